/*
 * report.h: `stitch report KIND [CHANNEL]`, tab-separated (or JSON Lines)
 * reports from Helix, in the tradition of the itch tool.
 */
#ifndef STITCH_REPORT_H
#define STITCH_REPORT_H

/* "stitch report ..." with argv[0] == "report". Returns the exit status:
 * 0 ok, 1 failure, 2 usage, 3 auth, 4 network or server, 130 interrupted. */
int	report_main(int argc, char **argv);

#endif
