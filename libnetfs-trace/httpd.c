// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics HTTP server (httpd.h): non-blocking sockets, one poll() per
 * call, no threads.  Responses are built whole in memory (an exposition is
 * a few KiB) and written as the socket takes them; send() with
 * MSG_NOSIGNAL, so a scraper that hangs up cannot raise SIGPIPE (which
 * netfs-top treats as a stop signal).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "httpd.h"

#define HEAD_MAX 8192

struct client {
	int fd;			/* -1: free slot */
	char in[HEAD_MAX + 1];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	uint64_t deadline;	/* ms, monotonic */
};

struct nft_httpd {
	int fd;
	char addr[80];
	nft_httpd_render_fn render;
	void *ctx;
	struct client c[NFT_HTTPD_CLIENTS];
	unsigned long requests;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* "9858", ":9858", "0.0.0.0:9858", "[::1]:9858" -> host, port. */
static int split_spec(const char *spec, char *host, size_t hsz, char *port,
		      size_t psz)
{
	const char *colon, *p;
	size_t n;

	if (!spec || !*spec)
		return -1;
	if (*spec == '[') {
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':')
			return -1;
		n = (size_t)(close - spec - 1);
		if (n >= hsz)
			return -1;
		memcpy(host, spec + 1, n);
		host[n] = 0;
		colon = close + 1;
	} else {
		colon = strrchr(spec, ':');
		if (!colon) {
			snprintf(host, hsz, "127.0.0.1");
			colon = spec - 1;
		} else {
			n = (size_t)(colon - spec);
			if (n >= hsz || memchr(spec, ':', n))
				return -1;	/* a bare IPv6 address: use [] */
			memcpy(host, spec, n);
			host[n] = 0;
			if (!n)
				snprintf(host, hsz, "127.0.0.1");
		}
	}
	p = colon + 1;
	if (!*p || strlen(p) >= psz || strlen(p) > 5)
		return -1;
	for (n = 0; p[n]; n++)
		if (p[n] < '0' || p[n] > '9')
			return -1;
	if (atol(p) > 65535)
		return -1;
	snprintf(port, psz, "%s", p);
	return 0;
}

struct nft_httpd *nft_httpd_open(const char *spec, nft_httpd_render_fn render,
				 void *ctx, char *err, size_t errsz)
{
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[256], port[8], ip[INET6_ADDRSTRLEN];
	struct nft_httpd *h;
	int rc, fd = -1, one = 1, e = 0;
	size_t i;

	if (split_spec(spec, host, sizeof(host), port, sizeof(port))) {
		snprintf(err, errsz, "'%s': not PORT, :PORT, HOST:PORT or [IPV6]:PORT",
			 spec ? spec : "");
		return NULL;
	}
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		snprintf(err, errsz, "%s: %s", host, gai_strerror(rc));
		return NULL;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family,
			    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (!bind(fd, ai->ai_addr, ai->ai_addrlen) && !listen(fd, 16))
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errsz, "%s: %s", spec, strerror(e ? e : EINVAL));
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd);
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	h->fd = fd;
	h->render = render;
	h->ctx = ctx;
	for (i = 0; i < NFT_HTTPD_CLIENTS; i++)
		h->c[i].fd = -1;
	if (!getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

			inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
			snprintf(h->addr, sizeof(h->addr), "[%s]:%u", ip,
				 ntohs(a->sin6_port));
		} else {
			struct sockaddr_in *a = (struct sockaddr_in *)&ss;

			inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
			snprintf(h->addr, sizeof(h->addr), "%s:%u", ip,
				 ntohs(a->sin_port));
		}
	}
	return h;
}

static void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void nft_httpd_close(struct nft_httpd *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < NFT_HTTPD_CLIENTS; i++)
		client_close(&h->c[i]);
	close(h->fd);
	free(h);
}

const char *nft_httpd_addr(const struct nft_httpd *h)
{
	return h->addr;
}

unsigned long nft_httpd_requests(const struct nft_httpd *h)
{
	return h->requests;
}

/* The value of header @name in the request head @head, into @buf. */
static bool header_value(const char *head, const char *name, char *buf,
			 size_t sz)
{
	size_t n = strlen(name);
	const char *p = strchr(head, '\n');

	while (p) {
		p++;
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1, *e;
			size_t len;

			while (*v == ' ' || *v == '\t')
				v++;
			e = strpbrk(v, "\r\n");
			len = e ? (size_t)(e - v) : strlen(v);
			if (len >= sz)
				len = sz - 1;
			memcpy(buf, v, len);
			buf[len] = 0;
			return true;
		}
		p = strchr(p, '\n');
	}
	return false;
}

static const char index_html[] =
	"<!DOCTYPE html>\n<html><head><title>netfs-top exporter</title></head>\n"
	"<body><h1>netfs-top exporter</h1>\n"
	"<p><a href=\"metrics\">Metrics</a> (OpenMetrics or Prometheus text, "
	"as the Accept header asks)</p>\n</body></html>\n";

static void respond(struct nft_httpd *h, struct client *c)
{
	char method[16] = "", path[256] = "", accept[1024], head[512];
	const char *status = "200 OK", *type = "text/plain; charset=utf-8";
	char *body = NULL;
	size_t body_len = 0;
	bool head_only = false;
	FILE *mem;
	int n;

	h->requests++;
	if (sscanf(c->in, "%15s %255s", method, path) != 2) {
		status = "400 Bad Request";
		body = strdup("bad request\n");
	} else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		status = "405 Method Not Allowed";
		body = strdup("only GET and HEAD\n");
	} else {
		char *q = strchr(path, '?');

		if (q)
			*q = 0;
		head_only = !strcmp(method, "HEAD");
		if (!strcmp(path, "/metrics")) {
			enum nft_om_format fmt = NFT_OM_CLASSIC;

			if (header_value(c->in, "Accept", accept, sizeof(accept)))
				fmt = nft_om_negotiate(accept);
			mem = open_memstream(&body, &body_len);
			if (!mem || h->render(h->ctx, mem, fmt)) {
				if (mem)
					fclose(mem);
				free(body);
				body = strdup("cannot render the metrics\n");
				status = "500 Internal Server Error";
			} else {
				fclose(mem);
				type = nft_om_content_type(fmt);
			}
		} else if (!strcmp(path, "/")) {
			body = strdup(index_html);
			type = "text/html; charset=utf-8";
		} else {
			status = "404 Not Found";
			body = strdup("not found: try /metrics\n");
		}
	}
	body_len = body ? strlen(body) : 0;
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		     "Connection: close\r\n%s\r\n",
		     status, type, body_len,
		     !strncmp(status, "405", 3) ? "Allow: GET, HEAD\r\n" : "");
	if (head_only)
		body_len = 0;
	c->out = malloc((size_t)n + body_len);
	if (!c->out) {
		free(body);
		client_close(c);
		return;
	}
	memcpy(c->out, head, (size_t)n);
	if (body_len)
		memcpy(c->out + n, body, body_len);
	c->out_len = (size_t)n + body_len;
	c->out_off = 0;
	free(body);
}

/* true when the client is done with (closed or to close) */
static bool client_write(struct client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno != EAGAIN && errno != EWOULDBLOCK;
		}
		c->out_off += (size_t)w;
	}
	/* all sent: no lingering half-close dance, the client reads to EOF */
	shutdown(c->fd, SHUT_WR);
	return true;
}

static bool head_complete(const struct client *c)
{
	return strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n");
}

/* true when the client is done with */
static bool client_read(struct nft_httpd *h, struct client *c)
{
	for (;;) {
		ssize_t r = recv(c->fd, c->in + c->in_len, HEAD_MAX - c->in_len, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return errno != EAGAIN && errno != EWOULDBLOCK;
		}
		if (!r)
			return true;	/* gone before a whole request */
		c->in_len += (size_t)r;
		c->in[c->in_len] = 0;
		if (head_complete(c)) {
			respond(h, c);
			if (c->fd < 0)
				return false;	/* closed (out of memory) */
			return client_write(c);
		}
		if (c->in_len >= HEAD_MAX)
			return true;	/* too big a head: drop it */
	}
}

static void accept_all(struct nft_httpd *h)
{
	for (;;) {
		struct client *c = NULL;
		size_t i;
		int fd = accept4(h->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		for (i = 0; i < NFT_HTTPD_CLIENTS && !c; i++)
			if (h->c[i].fd < 0)
				c = &h->c[i];
		/*
		 * Full: the oldest connection still sending its request goes,
		 * so idle connections cannot lock scrapes out.
		 */
		if (!c)
			for (i = 0; i < NFT_HTTPD_CLIENTS; i++)
				if (!h->c[i].out &&
				    (!c || h->c[i].deadline < c->deadline))
					c = &h->c[i];
		if (!c) {
			close(fd);	/* all busy answering: the scraper retries */
			continue;
		}
		client_close(c);
		c->fd = fd;
		c->in_len = 0;
		c->in[0] = 0;
		c->deadline = now_ms() + NFT_HTTPD_TIMEOUT_MS;
	}
}

int nft_httpd_poll(struct nft_httpd *h, int timeout_ms)
{
	struct pollfd pfd[NFT_HTTPD_CLIENTS + 1];
	size_t map[NFT_HTTPD_CLIENTS + 1];
	uint64_t now = now_ms();
	unsigned long before = h->requests;
	int n = 0, i, r;

	pfd[n].fd = h->fd;
	pfd[n].events = POLLIN;
	n++;
	for (i = 0; i < NFT_HTTPD_CLIENTS; i++) {
		struct client *c = &h->c[i];

		if (c->fd < 0)
			continue;
		if (now >= c->deadline) {
			client_close(c);
			continue;
		}
		if (timeout_ms < 0 || c->deadline - now < (uint64_t)timeout_ms)
			timeout_ms = (int)(c->deadline - now);
		pfd[n].fd = c->fd;
		pfd[n].events = c->out ? POLLOUT : POLLIN;
		map[n] = (size_t)i;
		n++;
	}
	r = poll(pfd, (nfds_t)n, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	for (i = 1; i < n; i++) {
		struct client *c = &h->c[map[i]];
		bool done;

		if (!pfd[i].revents)
			continue;
		if (c->out)
			done = (pfd[i].revents & (POLLERR | POLLHUP)) ||
			       client_write(c);
		else
			done = client_read(h, c);
		if (done)
			client_close(c);
	}
	if (pfd[0].revents & POLLIN)
		accept_all(h);
	return (int)(h->requests - before);
}
