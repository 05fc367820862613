/*
 * ui.h: the interactive front end's entry point.
 */
#ifndef STITCH_UI_H
#define STITCH_UI_H

/* "stitch [options] [CHANNEL...]". Returns the exit status. */
int	ui_main(int argc, char **argv);

#endif
