/*
 * libFuzzer harness for the status record decoder (lib/status.c) and
 * svstat's report of it (svstat/report.c): any bytes of any length must
 * decode or be refused as "bad format", never crash; what decodes must
 * pack back to the same daemontools prefix; and svstat's line for it, in
 * words or JSON, must be one line (the JSON well formed).
 */
// sources: svstat/report.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/out.h"
#include "../../lib/status.h"
#include "../../svstat/svstat.h"

#define DIR "s \"q\"\\\x01\x7f"	/* a name JSON must escape */

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A JSON object on one line: strings closed, no raw control characters. */
static void
checkjson(const char *s, size_t len)
{
	int instr = 0, depth = 0;
	size_t i;

	if (len < 3 || s[0] != '{' || s[len - 2] != '}' || s[len - 1] != '\n')
		abort();
	for (i = 0; i < len - 1; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
		if (instr) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				instr = 0;
		} else if (s[i] == '"')
			instr = 1;
		else if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0 && i != len - 2)
			abort();
	}
	if (instr || depth != 0)
		abort();
}

static void
checktext(const char *s, size_t len)
{
	if (len < sizeof(DIR) + 2 || memcmp(s, DIR ": ", sizeof(DIR) + 1) != 0 ||
	    memchr(s, '\n', len) != s + len - 1)
		abort();
}

static void
report(const struct status *st, int ok, uint32_t ago)
{
	char buf[1024];
	struct out o = { -1, buf, sizeof(buf), 0, 0 };
	struct report r;
	struct tai now;

	memset(&r, 0, sizeof(r));
	r.dir = DIR;
	r.s = *st;
	r.notify = ago & 1;
	if (ok) {
		now = st->stamp;
		now.sec += ago;
		report_fill(&r, &now);
	} else {
		r.state = ERROR;
		r.err = "unable to read supervise/status";
		r.reason = "bad format";
	}
	report_print(&o, &r, 0);
	checktext(buf, o.len);
	o.len = 0;
	report_print(&o, &r, 1);
	checkjson(buf, o.len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct status st;
	char out[STATUS_SIZE];

	if (status_unpack((const char *)data, len, &st) == -1)
		return 0;
	status_pack(out, &st);
	/* Bytes 0-15 and 17 survive; byte 16 is normalised to 0 or 1. */
	if (memcmp(out, data, 16) != 0 || out[17] != (char)data[17])
		abort();
	/* A version 2 record survives whole, but for the unused bit 4. */
	if (st.kind == STATUS_V2 && status_plausible(&st) &&
	    (memcmp(out + 18, data + 18, 3) != 0 ||
	    (out[21] != (char)(data[21] & ~STATUS_FINISH)) ||
	    memcmp(out + 36, data + 36, 8) != 0))
		abort();
	/* Version 1's wait status and starts move, unchanged, to v2's place. */
	if (st.kind == STATUS_V1 && memcmp(out + 36, data + 32, 8) != 0)
		abort();
	report(&st, status_plausible(&st), (uint32_t)data[len - 1] * 1000);
	return 0;
}
