/*
 * fake-twitch: a Twitch stand-in on 127.0.0.1 for tests, the demo and the
 * benchmarks. Placeholder until the network core lands.
 */
#include <stdio.h>

int
main(void)
{
	fputs("fake-twitch: not built yet\n", stderr);
	return 1;
}
