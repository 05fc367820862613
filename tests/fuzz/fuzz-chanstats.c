/*
 * fuzz-chanstats: any bytes as a run of chat events (lines, JOIN, PART,
 * NAMES, REST marks) with any logins, display names, badges and clock jumps, into a
 * chanstats small enough to evict often. After each event what the panels
 * rely on must hold: the group counts match the list, the list is sorted
 * and holds only valid logins and safe names, the cap holds, and no rate
 * exceeds the lines counted.
 *
 * Input: per event, an op byte, a time step byte, a badges byte, then a
 * length byte and that many bytes of login, then the same for the name.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "chanstats.h"
#include "text.h"

#define FUZZ_CAP	32

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *
fuzz_field(const uint8_t **p, size_t *n, size_t max, size_t *len)
{
	const char	*s = (const char *)*p;

	*len = 0;
	if (*n == 0)
		return s;
	*len = (size_t)**p % (max + 1);
	(*p)++;
	(*n)--;
	if (*len > *n)
		*len = *n;
	s = (const char *)*p;
	*p += *len;
	*n -= *len;
	return s;
}

static int
fuzz_login_ok(const char *s)
{
	size_t	i, n = strlen(s);

	if (n == 0 || n > CHANSTATS_LOGIN_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static void
fuzz_check(const struct chanstats *s, uint32_t now)
{
	static const struct chanstats_chatter	*list[FUZZ_CAP + 1];
	uint32_t				 m[CHANSTATS_MINUTES];
	size_t					 n, i;
	int					 cmp;

	n = chanstats_list(s, CHANSTATS_GM_ALL, NULL, list, FUZZ_CAP + 1);
	if (chanstats_known(s) > FUZZ_CAP ||
	    n != chanstats_count(s, CHANSTATS_GM_ALL))
		abort();
	for (i = 0; i < n; i++) {
		if (!fuzz_login_ok(list[i]->login) ||
		    !text_is_safe(list[i]->name, strlen(list[i]->name)) ||
		    list[i]->group >= CHANSTATS_G_COUNT || !list[i]->present)
			abort();
		if (i == 0)
			continue;
		cmp = strcmp(list[i - 1]->login, list[i]->login);
		if (list[i - 1]->group > list[i]->group ||
		    (list[i - 1]->group == list[i]->group && cmp >= 0))
			abort();
	}
	if (chanstats_unique(s, now) > chanstats_known(s) ||
	    chanstats_rate(s, now) > chanstats_total(s) ||
	    chanstats_minutes(s, now, m) > chanstats_total(s))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chanstats	*s;
	const char		*login, *name;
	size_t			 llen, nlen;
	uint32_t		 now = 1700000000u;
	unsigned		 op, step, badges;

	setlocale(LC_ALL, "C.UTF-8");
	s = chanstats_new("owner", FUZZ_CAP);
	while (size >= 3) {
		op = data[0] % 5;
		/* Small steps mostly; the top bit jumps by minutes, to roll
		 * the rings over. */
		step = data[1] & 0x80 ? (data[1] & 0x7f) * 60u : data[1] % 8u;
		badges = data[2] | (data[2] & 1 ? CHAN_B_FOUNDER : 0);
		data += 3;
		size -= 3;
		login = fuzz_field(&data, &size, 40, &llen);
		name = fuzz_field(&data, &size, 120, &nlen);
		now += step;
		switch (op) {
		case 0:
			chanstats_message(s, login, llen, name, nlen, badges,
			    now);
			break;
		case 1:
			chanstats_join(s, login, llen, now);
			break;
		case 2:
			chanstats_part(s, login, llen, now);
			break;
		case 3:
			chanstats_mark(s, login, llen, name, nlen, badges,
			    now);
			break;
		default:
			chanstats_names(s, name, nlen, now);
			break;
		}
		fuzz_check(s, now);
	}
	chanstats_free(s);
	return 0;
}
