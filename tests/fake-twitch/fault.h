/*
 * fault.h: faults on a timer, from --fault KIND@TIME[/DURATION]:
 *   reconnect@5s   RECONNECT to every chat connection, close after the
 *                  grace period (--reconnect-grace)
 *   close@10s      close every chat connection abruptly (no close frame)
 *   nopong@3s[/2s] stop answering client PINGs (for DURATION, else for good)
 *   garbage@2s     a line that is not IRC
 *   longline@2s    a 64 KiB PRIVMSG line
 *   badutf8@2s     a PRIVMSG with invalid UTF-8 in the text and display-name
 *   escapes@2s     a PRIVMSG with terminal escapes (CSI cursor moves, CSI 2J,
 *                  OSC 0 title, OSC 52 clipboard, C1 CSI) in the text and
 *                  the display-name tag
 *   stall@4s[/3s]  stop reading and writing every chat connection for
 *                  DURATION (default 3 s)
 * TIME and DURATION: "5s", "500ms" or plain seconds ("1.5").
 */
#ifndef FAKE_FAULT_H
#define FAKE_FAULT_H

#include <uv.h>

/* 0 if spec is well formed. */
int	fault_check(const char *spec);
void	fault_start(uv_loop_t *);
/* Arm a checked spec, counted from now. */
int	fault_schedule(const char *spec);
/* Apply a fault now: kind as in the specs, channel NULL for all, dur_ms for
 * stall and nopong (0: default / for good). Returns connections hit, -1
 * for an unknown kind. */
long	fault_now(const char *kind, const char *channel, unsigned dur_ms);
void	fault_stop(void);

#endif
