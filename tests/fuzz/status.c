/*
 * libFuzzer harness for the status record decoder (lib/status.c): any bytes
 * of any length must decode or be refused as "bad format", never crash,
 * and what decodes must pack back to the same daemontools prefix.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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
	if (st.ext && memcmp(out + 32, data + 32, 8) != 0)
		abort();
	return 0;
}
