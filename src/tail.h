/*
 * tail.h: headless mode; joins channels and prints every chat event.
 */
#ifndef STITCH_TAIL_H
#define STITCH_TAIL_H

/* "stitch tail ..." with argv[0] == "tail". Returns the exit status. */
int	tail_main(int argc, char **argv);

#endif
