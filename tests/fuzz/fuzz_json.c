/* fuzz_json.c — libFuzzer target: the strict JSON body reader of the HTTP API (json.c's
 * req_body_json: UTF-8, NUL, jansson, duplicate keys, unknown fields, types and bounds) on a
 * request built as the server builds one. Any input must give 0 or a JSON error reply. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct jfield spec[] = {
        {"unit", JT_STRING, 1, 1, 31},
        {"procedure", JT_STRING, 0, 1, 15},
        {"score", JT_INT, 0, 1, 5},
        {"online", JT_BOOL, 0, 0, 0},
        {"docs", JT_ARRAY, 0, 0, 0},
        {"meta", JT_OBJECT, 0, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    struct arena *a = arena_new();
    if (!a) return 0;
    struct req *r = arena_alloc(a, sizeof *r);
    memset(r, 0, sizeof *r);
    r->arena = a;
    r->body = arena_alloc(a, size + 1);
    memcpy(r->body, data, size);
    r->body[size] = 0;
    r->body_len = size;
    json_t *out = NULL;
    if (req_body_json(r, spec, &out) == 0) {
        if (!out || !jget_str(out, "unit")) abort(); /* required field checked */
    } else if (!r->replied || r->status < 400 || r->status >= 500 || !r->resp) {
        abort(); /* every refusal is a 4xx with a body */
    }
    arena_free(a);
    return 0;
}
