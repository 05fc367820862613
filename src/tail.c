/*
 * tail.c: placeholder until the shard manager lands.
 */
#include "config.h"

#include <stdio.h>

#include "tail.h"

int
tail_main(int argc, char **argv)
{
	fprintf(stderr, "stitch tail: not built yet\n");
	return 2;
}
