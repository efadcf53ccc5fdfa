/* health.c — GET /healthz: 200 {"status":"ok"} when the database answers, 503 otherwise,
 * so a load balancer takes a server with a broken store out of rotation. */
#include "http.h"
#include "store.h"

void h_health(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct err e = {0};
    int dbv = 0, known = 0;
    struct store *s = req_store(r);
    if (!s || store_schema_version(s, &dbv, &known, &e)) {
        reply_error(r, 503, "unavailable", "db", "the database does not answer");
        return;
    }
    reply_json(r, 200,
               json_pack("{s:s, s:i, s:i}", "status", "ok", "schema", dbv, "schema_known", known));
}
