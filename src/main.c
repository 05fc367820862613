/*
 * main.c: picks the mode. The only file that links the core (src/) and the
 * front end (ui/); everything it calls takes argc/argv past the mode word
 * and returns the process exit status.
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "plotcmd.h"
#include "replay.h"
#include "login.h"
#include "report.h"
#include "tail.h"
#include "ui.h"

static int	main_help(int, char **);
static int	main_version(int, char **);

static const struct {
	const char	*name;
	int		(*run)(int, char **);
	const char	*what;
} main_modes[] = {
	{ "tail",	tail_main,	"print live chat to stdout (TSV or JSON Lines)" },
	{ "plot",	plotcmd_main,	"chart a TSV report as SVG or in the terminal" },
	{ "replay",	replay_main,	"play a recorded chatlog back with its timing" },
	{ "report",	report_main,	"Helix reports: users, streams, chatters, followers... (TSV or JSON Lines)" },
	{ "login",	login_main,	"log in to Twitch (device code) and store the token" },
	{ "logout",	logout_main,	"revoke a stored token and delete it" },
	{ "help",	main_help,	"this list" },
	{ "version",	main_version,	"print the version" },
};

static int
main_help(int argc, char **argv)
{
	size_t	i;

	printf("usage: stitch [options] [CHANNEL...]    open the chat client\n");
	printf("       stitch MODE [options] ...\n\nmodes:\n");
	for (i = 0; i < sizeof main_modes / sizeof main_modes[0]; i++)
		printf("  %-10s %s\n", main_modes[i].name, main_modes[i].what);
	printf("\n'stitch MODE --help' tells a mode's options; man stitch has the rest.\n");
	return 0;
}

static int
main_version(int argc, char **argv)
{
	printf("%s\n", PACKAGE_STRING);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t	i;

	setlocale(LC_ALL, "");
	replay_set_ui(ui_replay_main);
	/*
	 * A file past RLIMIT_FSIZE (ulimit -f, a quota-like limit) must fail
	 * its write with EFBIG, which the cache and the writers report and
	 * survive, not kill the whole process with SIGXFSZ.
	 */
	signal(SIGXFSZ, SIG_IGN);
	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
			return main_help(argc - 1, argv + 1);
		if (strcmp(argv[1], "--version") == 0)
			return main_version(argc - 1, argv + 1);
		for (i = 0; i < sizeof main_modes / sizeof main_modes[0]; i++)
			if (strcmp(argv[1], main_modes[i].name) == 0)
				return main_modes[i].run(argc - 1, argv + 1);
	}
	return ui_main(argc, argv);
}
