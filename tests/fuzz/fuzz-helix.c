/*
 * fuzz-helix.c: the Helix decoders over any bytes, as every kind of reply
 * and as an error reply. Nothing may crash, leak or read out of bounds;
 * every string of a decoded item is non-NULL; an error sentence never
 * carries a control byte.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "helix.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The size of kind's item; each starts with a string. */
static size_t
fuzz_item_size(int k)
{
	switch (k) {
	case HELIX_USERS:		return sizeof(struct helix_user);
	case HELIX_STREAMS:		return sizeof(struct helix_stream);
	case HELIX_CHANNELS:		return sizeof(struct helix_channel);
	case HELIX_FOLLOWERS:
	case HELIX_FOLLOWED:		return sizeof(struct helix_follow);
	case HELIX_CHAT_SETTINGS:	return sizeof(struct helix_chat_settings);
	case HELIX_BADGES:		return sizeof(struct helix_badge);
	case HELIX_EMOTES:		return sizeof(struct helix_emote);
	case HELIX_BANS:		return sizeof(struct helix_ban);
	case HELIX_COLORS:		return sizeof(struct helix_color);
	case HELIX_VIDEOS:		return sizeof(struct helix_video);
	default:			return sizeof(struct helix_chatter);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct helix_page	 p;
	char			 err[256], out[512];
	int			 k;
	size_t			 i;

	for (k = 0; k < HELIX_NKINDS; k++) {
		if (helix_decode((enum helix_kind)k, (const char *)data, size,
		    &p, err, sizeof err) == 0)
			for (i = 0; i < p.n; i++)
				if (*(char **)((char *)p.u.v + i *
				    fuzz_item_size(k)) == NULL)
					abort();
		helix_page_free(&p);
		helix_error_text((enum helix_kind)k, 400 + k, (const char *)data,
		    size, out, sizeof out);
		for (i = 0; out[i] != '\0'; i++)
			if ((unsigned char)out[i] < 0x20)
				abort();
	}
	return 0;
}
