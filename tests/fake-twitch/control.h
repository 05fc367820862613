/*
 * control.h: the admin port (admin=PORT in the port file), one command per
 * line, one answer line "ok ..." or "err ..." per command ("stats" first
 * prints "stat ..." lines, then "ok"):
 *   fault reconnect|close|garbage|longline|badutf8|escapes [CHANNEL|all]
 *   fault stall MS [CHANNEL|all]
 *   fault nopong on|off
 *   say CHANNEL LOGIN TEXT      PRIVMSG from a seeded or made-up user
 *   marker CHANNEL TEXT         the same from "marker"; answers sent_ms=
 *   raw CHANNEL|all LINE        a raw line to the channel's clients
 *   event CHANNEL KIND          sub resub raid announcement clearmsg
 *                               timeout ban clear roomstate
 *   roomstate CHANNEL KEY VALUE emote-only followers-only r9k slow subs-only
 *   clearchat CHANNEL [LOGIN [SECONDS]]  clear the chat, or ban (no
 *                               SECONDS) / time out LOGIN: CLEARCHAT
 *   unban CHANNEL LOGIN         lift a ban or timeout
 *   chatrate N                  simulated lines per second
 *   stats                       counters (with the HTTP half, also
 *                               "stat http path=P method=M requests=N")
 *   approve USER_CODE LOGIN     the HTTP half's (route.c): device codes,
 *   deny USER_CODE              tokens, Helix buckets and faults
 *   expire TOKEN|USER_CODE | revoke TOKEN
 *   helix-bucket N | helix-fault N 500|429|malformed|slow | http-stats
 *   quit                        shut down
 */
#ifndef FAKE_CONTROL_H
#define FAKE_CONTROL_H

void	control_stop(void);

/* main.c: shut everything down; the loop then ends. */
void	main_shutdown(const char *why);

#endif
