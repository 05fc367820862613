/*
 * fuzz-render: any bytes as a chat event (login, display name, text, reply,
 * system message, emote ranges, flags) through chan.c and render.c, at any
 * width. Checks what must hold for hostile input: no control byte reaches
 * the rendered text, rows stay inside the text and fit their width.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "render.h"
#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Cut the next NUL-separated field off the input. */
static struct irc_span
fuzz_field(const uint8_t **p, size_t *n)
{
	struct irc_span	 s = { (const char *)*p, 0 };
	const uint8_t	*z = memchr(*p, 0, *n);

	s.len = z != NULL ? (size_t)(z - *p) : *n;
	*p += s.len + (z != NULL);
	*n -= s.len + (z != NULL);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct chan		*c;
	static struct render_out	 out;
	static struct render_row	 rows[256];
	struct twitch_event		 ev;
	struct render_opts		 o;
	const char			*words[] = { "me", "pog" };
	struct chan_match		 m = { "me", words, 2 };
	uint64_t			 seq;
	size_t				 n, i;
	int				 width, w;

	if (c == NULL) {
		setlocale(LC_ALL, "C.UTF-8");
		c = chan_new("fuzz", 64);
		render_out_init(&out);
	}
	if (size < 4)
		return 0;
	memset(&ev, 0, sizeof ev);
	ev.kind = (data[0] & 3) == 0 ? TWITCH_USERNOTICE :
	    (data[0] & 3) == 1 ? TWITCH_CLEARCHAT : TWITCH_PRIVMSG;
	ev.flags = (unsigned)data[1] << 1;
	width = data[2] % 120;
	ev.nemotes = data[3] % 4;
	data += 4;
	size -= 4;
	for (i = 0; i < (size_t)ev.nemotes && size >= 2; i++) {
		ev.emotes[i].start = data[0];
		ev.emotes[i].end = (uint32_t)data[0] + data[1] % 16;
		data += 2;
		size -= 2;
	}
	ev.login = fuzz_field(&data, &size);
	ev.display_name = fuzz_field(&data, &size);
	ev.text = fuzz_field(&data, &size);
	ev.reply_body = fuzz_field(&data, &size);
	ev.system_msg = fuzz_field(&data, &size);
	ev.target = ev.login;
	ev.id = ev.reply_body;
	ev.msg_id = ev.system_msg;
	ev.has_color = ev.flags & 2;
	ev.color = 0x123456;
	ev.bits = (long)(ev.flags & 0x30);

	seq = chan_add_event(c, &ev, &m, 1);
	if (ev.id.len > 0)
		chan_delete_msg(c, ev.id.p, ev.id.len);
	if (seq == 0)
		return 0;
	memset(&o, 0, sizeof o);
	render_default_badges(&o);
	o.timefmt = "%H:%M";
	o.utc = 1;
	o.match = &m;
	o.search = ev.text.len > 0 && ev.text.len < 8 ? "e" : NULL;
	o.min_contrast = 4.5;
	render_line(chan_line(c, seq), &o, &out);
	for (i = 0; i < out.len; i++)
		if ((unsigned char)out.text[i] < 0x20 ||
		    out.text[i] == 0x7f)
			abort();	/* a control byte got through */
	if (!text_is_safe(out.text, out.len))
		abort();
	n = render_wrap(&out, width, rows, 256);
	for (i = 0; i < n && i < 256; i++) {
		if (rows[i].start > rows[i].end || rows[i].end > out.len)
			abort();
		w = text_width(out.text + rows[i].start,
		    rows[i].end - rows[i].start);
		/* Only a lone character wider than the row may overflow. */
		if (width > 2 && rows[i].col + w > width &&
		    text_next_char(out.text + rows[i].start, rows[i].end -
		    rows[i].start, NULL) != rows[i].end - rows[i].start)
			abort();
	}
	chan_search(c, chan_end(c), -1, "x");
	return 0;
}
