/*
 * plotcmd.h: `stitch plot`, a report's TSV drawn as SVG or, with --term,
 * as braille text in the terminal.
 */
#ifndef STITCH_PLOTCMD_H
#define STITCH_PLOTCMD_H

/* "stitch plot ..." with argv[0] == "plot". Returns the exit status:
 * 0, 1 for unreadable or unusable input, 2 for a usage error. */
int	plotcmd_main(int argc, char **argv);

#endif
