/*
 * ui.c: placeholder until the terminal UI lands.
 */
#include "config.h"

#include <stdio.h>

#include "ui.h"

int
ui_main(int argc, char **argv)
{
	fprintf(stderr, "stitch: the terminal UI is not built yet; try 'stitch help'\n");
	return 2;
}
