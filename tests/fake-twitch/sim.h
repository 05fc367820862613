/*
 * sim.h: the simulated crowd. --chat-rate N lines a second, spread over the
 * channels that have members, from a deterministic xorshift PRNG: mixed
 * lengths up to 500 code points, emoji and CJK, mentions, /me, emotes (with
 * their emotes tags), bits, and now and then USERNOTICE (sub, resub, raid,
 * announcement), CLEARMSG, CLEARCHAT (timeouts, bans) and ROOMSTATE.
 * Each line is built once, tagged and plain, and shared by every client.
 */
#ifndef FAKE_SIM_H
#define FAKE_SIM_H

#include <stdint.h>
#include <uv.h>

void	 sim_start(uv_loop_t *, double rate, uint64_t seed);
void	 sim_set_rate(double rate);
double	 sim_rate(void);
uint64_t sim_lines(void);
/* One event now: sub resub raid announcement clearmsg timeout ban clear
 * roomstate privmsg. Returns 0, or -1 for an unknown kind or channel. */
int	 sim_event(const char *kind, const char *channel);
void	 sim_stop(void);

#endif
