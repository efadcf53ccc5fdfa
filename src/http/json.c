/* json.c — JSON in and out. Out: small constructors over jansson (which escapes every
 * string), so no handler ever writes JSON text by hand. In: req_body_json reads a body
 * against a field table and answers the precise 4xx itself: bad UTF-8, bad JSON, duplicate
 * or unknown fields, wrong types, missing fields, values out of bounds. */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "http.h"
#include "vntext.h"

json_t *jstr(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

json_t *jstr_or_null(const char *s)
{
    return s && *s ? jstr(s) : json_null();
}

json_t *jinstant(int64_t minutes)
{
    if (!minutes) return json_null();
    char buf[24];
    instant_format(minutes, buf);
    strcat(buf, "+07:00");
    return json_string(buf);
}

json_t *jday(int64_t day)
{
    char buf[16];
    day_format(day, buf);
    return json_string(buf);
}

int parse_instant_local(const char *s, int64_t *out, const char *field, struct err *e)
{
    char buf[24];
    size_t n = strlen(s);
    if (n > 6 && !strcmp(s + n - 6, "+07:00")) n -= 6;
    if (n >= sizeof buf)
        return err_set(e, ERR_INVALID, field,
                       "%s '%.40s': must be YYYY-MM-DDTHH:MM (local time, optionally +07:00)",
                       field, s);
    memcpy(buf, s, n);
    buf[n] = 0;
    return instant_parse(buf, out, field, e);
}

static const char *jtype_name(enum jtype t)
{
    static const char *const names[] = {"a string", "a whole number", "true or false", "an object",
                                        "an array"};
    return names[t];
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "a whole number";
    case JSON_REAL:
        return "a number with a fraction";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

static int type_ok(const json_t *v, enum jtype t)
{
    switch (t) {
    case JT_STRING:
        return json_is_string(v);
    case JT_INT:
        return json_is_integer(v);
    case JT_BOOL:
        return json_is_boolean(v);
    case JT_OBJECT:
        return json_is_object(v);
    case JT_ARRAY:
        return json_is_array(v);
    }
    return 0;
}

/* Checks one present field; replies and returns -1 on a problem. */
static int field_ok(struct req *r, const struct jfield *f, json_t *v)
{
    if (!type_ok(v, f->type)) {
        reply_error(r, 400, "wrong_type", f->name, "field '%s' must be %s, not %s", f->name,
                    jtype_name(f->type), json_kind(v));
        return -1;
    }
    if (f->min == 0 && f->max == 0) return 0;
    if (f->type == JT_STRING) {
        int64_t n = (int64_t)json_string_length(v);
        if (n < f->min || n > f->max) {
            reply_error(r, 400, "invalid", f->name, "field '%s' must be %lld to %lld bytes long",
                        f->name, (long long)f->min, (long long)f->max);
            return -1;
        }
    } else if (f->type == JT_INT) {
        json_int_t x = json_integer_value(v);
        if (x < f->min || x > f->max) {
            reply_error(r, 400, "invalid", f->name, "field '%s' must be from %lld to %lld", f->name,
                        (long long)f->min, (long long)f->max);
            return -1;
        }
    } else if (f->type == JT_ARRAY) {
        int64_t n = (int64_t)json_array_size(v);
        if (n < f->min || n > f->max) {
            reply_error(r, 400, "invalid", f->name, "field '%s' must hold %lld to %lld items",
                        f->name, (long long)f->min, (long long)f->max);
            return -1;
        }
    }
    return 0;
}

static void jdecref(void *p)
{
    json_decref(p);
}

int req_body_json(struct req *r, const struct jfield *spec, json_t **out)
{
    *out = NULL;
    if (!r->body_len) {
        reply_error(r, 400, "bad_json", NULL, "a JSON object body is required");
        return -1;
    }
    if (strlen(r->body) != r->body_len) {
        reply_error(r, 400, "bad_json", NULL, "the body contains a NUL byte");
        return -1;
    }
    if (!vntext_valid_utf8(r->body)) {
        reply_error(r, 400, "bad_utf8", NULL, "the body is not valid UTF-8");
        return -1;
    }
    json_error_t je;
    /* JSON_DECODE_ANY: a bare scalar gets our "must be a JSON object" below, not jansson's
     * text; jansson's own option names (JSON_ALLOW_NUL) are not the client's business. */
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!j) {
        const char *why =
            strstr(je.text, "JSON_") ? "\\u0000 is not accepted in a string" : je.text;
        reply_error(r, 400, "bad_json", NULL, "not valid JSON at line %d column %d: %s", je.line,
                    je.column, why);
        return -1;
    }
    if (arena_defer(r->arena, jdecref, j)) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return -1;
    }
    if (!json_is_object(j)) {
        reply_error(r, 400, "bad_json", NULL, "the body must be a JSON object, not %s",
                    json_kind(j));
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v)
    {
        const struct jfield *f = spec;
        while (f->name && strcmp(f->name, key))
            f++;
        if (!f->name) {
            reply_error(r, 400, "unknown_field", key, "field '%.60s' is not known here", key);
            return -1;
        }
    }
    for (const struct jfield *f = spec; f->name; f++) {
        v = json_object_get(j, f->name);
        if (!v || (json_is_null(v) && !f->required)) {
            if (f->required) {
                reply_error(r, 400, "missing_field", f->name, "field '%s' is required", f->name);
                return -1;
            }
            continue;
        }
        if (field_ok(r, f, v)) return -1;
    }
    *out = j;
    return 0;
}

int req_body_json_opt(struct req *r, const struct jfield *spec, json_t **out)
{
    if (r->body_len) return req_body_json(r, spec, out);
    *out = json_object();
    if (!*out || arena_defer(r->arena, jdecref, *out)) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return -1;
    }
    return 0;
}

const char *jget_str(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t jget_int(json_t *o, const char *name, int64_t def)
{
    json_t *v = json_object_get(o, name);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

int jget_bool(json_t *o, const char *name, int def)
{
    json_t *v = json_object_get(o, name);
    return json_is_boolean(v) ? json_is_true(v) : def;
}
