/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny non-blocking HTTP/1.1 server for the metrics exposition, driven
 * from the caller's loop (netfs-top's screen, batch and headless loops):
 * GET or HEAD /metrics renders the exposition in the format the Accept
 * header asks for (openmetrics.h), / answers a small HTML page linking to
 * it, anything else 404 (405 for other methods).  Every response has a
 * Content-Length and "Connection: close".  At most NFT_HTTPD_CLIENTS
 * connections at once; one that sends no complete request head within
 * NFT_HTTPD_TIMEOUT_MS, or sends more than 8 KiB of it, is closed, and when
 * all are taken a new one replaces the oldest still sending its request.
 */
#ifndef NFT_HTTPD_H
#define NFT_HTTPD_H

#include <stdio.h>

#include "report/openmetrics.h"

#define NFT_HTTPD_DEFAULT_PORT 9858
#define NFT_HTTPD_CLIENTS 16
#define NFT_HTTPD_TIMEOUT_MS 10000

/* Write a whole exposition in @fmt to @out; 0 or -1 (500 is answered). */
typedef int (*nft_httpd_render_fn)(void *ctx, FILE *out,
				   enum nft_om_format fmt);

struct nft_httpd;

/*
 * Listen on @spec: "PORT" or ":PORT" (127.0.0.1, loopback by default),
 * "HOST:PORT" ("0.0.0.0:9858" to expose, "[::1]:9858", "localhost:9858").
 * Port 0 picks a free one (nft_httpd_addr() tells which).  Returns NULL
 * with a message in @err.
 */
struct nft_httpd *nft_httpd_open(const char *spec, nft_httpd_render_fn render,
				 void *ctx, char *err, size_t errsz);
void nft_httpd_close(struct nft_httpd *h);

/* "127.0.0.1:9858", "[::1]:9858": what was bound. */
const char *nft_httpd_addr(const struct nft_httpd *h);

/*
 * Serve whatever is ready, waiting up to @timeout_ms (0: do not wait, -1:
 * forever) for something to do.  A signal ends the wait early.  Returns
 * the number of requests answered, -1 on a fatal error of the listening
 * socket.
 */
int nft_httpd_poll(struct nft_httpd *h, int timeout_ms);

/* Requests answered so far (all paths). */
unsigned long nft_httpd_requests(const struct nft_httpd *h);

#endif /* NFT_HTTPD_H */
