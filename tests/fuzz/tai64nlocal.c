/*
 * libFuzzer harness for tai64nlocal's conversion (tai64nlocal/conv.c). The
 * first byte picks a read size; the rest is the input. Fed in pieces, as
 * tai64nlocal reads it, the output must be what one piece gives; and a
 * label alone becomes YYYY-MM-DD HH:MM:SS.nnnnnnnnn, digits where digits
 * go, or is left as it is.
 */
// sources: tai64nlocal/conv.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/out.h"
#include "../../lib/tai.h"
#include "../../tai64nlocal/tai64nlocal.h"

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "UTC", 1);
	return 0;
}

/* Output into a buffer big enough never to be flushed. */
static struct out
sink(size_t len)
{
	struct out o = { -1, NULL, 2 * len + 64, 0, 0 };

	o.buf = malloc(o.size);
	return o;
}

/* Feeds in[0..len) in pieces of step bytes, keeping what is not used. */
static void
pieces(struct out *o, const char *in, size_t len, size_t step)
{
	struct conv c = CONV_INIT;
	char *buf = malloc(len + 1);
	size_t have = 0, off = 0, n, used;

	for (;;) {
		n = len - off < step ? len - off : step;
		memcpy(buf + have, in + off, n);
		have += n;
		off += n;
		used = conv_run(&c, o, buf, have, n == 0);
		memmove(buf, buf + used, have - used);
		have -= used;
		if (n == 0)
			break;
	}
	if (have != 0)
		abort();
	free(buf);
}

static void
label(const char *in, size_t len)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd.ddddddddd";
	struct conv c = CONV_INIT;
	struct out o;
	struct tai t;
	size_t i;

	if (len < TAI_HEX || tai_scan(in, &t) != TAI_HEX)
		return;
	o = sink(TAI_HEX);
	if (conv_run(&c, &o, in, TAI_HEX, 1) != TAI_HEX || o.err != 0)
		abort();
	if (o.len == TAI_HEX && memcmp(o.buf, in, TAI_HEX) == 0) {
		free(o.buf);
		return;
	}
	if (o.len != sizeof(shape) - 1)
		abort();
	for (i = 0; i < o.len; i++)
		if (shape[i] == 'd' ? o.buf[i] < '0' || o.buf[i] > '9' :
		    o.buf[i] != shape[i])
			abort();
	free(o.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct conv c = CONV_INIT;
	struct out whole, cut;
	const char *in = (const char *)data + 1;

	if (len == 0)
		return 0;
	len--;
	whole = sink(len);
	if (conv_run(&c, &whole, in, len, 1) != len || whole.err != 0)
		abort();
	cut = sink(len);
	pieces(&cut, in, len, data[0] % 40 + 1);
	if (cut.err != 0 || cut.len != whole.len ||
	    memcmp(cut.buf, whole.buf, whole.len) != 0)
		abort();
	free(whole.buf);
	free(cut.buf);
	label(in, len);
	return 0;
}
