/*
 * ui.h: the interactive front end's entry point.
 */
#ifndef STITCH_UI_H
#define STITCH_UI_H

/* "stitch [options] [CHANNEL...]". Returns the exit status. */
int	ui_main(int argc, char **argv);

/* "stitch replay FILE [--speed X]": the recording played into the client,
 * read-only (replay_set_ui's hook). Returns the exit status. */
int	ui_replay_main(const char *file, double speed, long long max_gap_ms);

#endif
