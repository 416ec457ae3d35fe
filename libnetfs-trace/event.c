// SPDX-License-Identifier: GPL-2.0
/*
 * Event kinds by name.
 */
#include <string.h>

#include "event.h"

static const char *const kind_names[NFT_EV__NR] = {
#define NFT_X(e, n) [NFT_EV_##e] = n,
	NFT_EVENT_KINDS(NFT_X)
#undef NFT_X
};

void nft_event_init(struct nft_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->index = -1;
	ev->stream = -1;
	ev->pid = -1;
	ev->cpu = -1;
	ev->slot = -1;
	ev->comm = "";
	ev->name = "";
}

const char *nft_event_kind_name(enum nft_event_kind kind)
{
	if ((unsigned int)kind >= NFT_EV__NR || !kind_names[kind])
		return "";
	return kind_names[kind];
}

enum nft_event_kind nft_event_kind_lookup(const char *name, size_t len)
{
	int k;

	/* Every known name starts with one of three prefixes. */
	if (len < 7 || (name[0] != 'n' && name[0] != 'f' && name[0] != 'c'))
		return NFT_EV_OTHER;
	for (k = 1; k < NFT_EV_OTHER; k++) {
		const char *n = kind_names[k];

		if (n[0] == name[0] && !strncmp(n, name, len) && !n[len])
			return k;
	}
	return NFT_EV_OTHER;
}
