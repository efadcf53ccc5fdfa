/* reports.c — GET /api/reports/{report}: the statistics reports of `cchc report` over HTTP, as
 * JSON, CSV or Excel (.xlsx): `summary` (the periodic report on dossier processing), `book`
 * (Sổ theo dõi hồ sơ, Mẫu 06 of Circular 01/2018/TT-VPCP) and `index` (the Decision 766
 * service index, ranked; ties share a rank). The same code writes the file as the CLI
 * (src/report/stats_report.c), into a private temporary file that is read back and removed.
 * Units outside the signed-in user's scope do not exist (404). docs/statistics.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "stats_report.h"

/* A tracking book over HTTP is capped (the CLI streams any size to disk). */
#define BOOK_API_MAX_ROWS 200000

void h_report(struct req *r)
{
    static const char *const allowed[] = {"period", "unit", "parent", "denominator",
                                          "format", "set",  NULL};
    if (req_query_check(r, allowed)) return;
    const char *kind = req_param(r, "report");
    const struct report_desc *rep = report_find(kind);
    struct err e = {0};
    char names[128];
    if (!rep || (rep->flags & REPORT_OWN_ROUTE)) { /* backdated: GET /api/backdated */
        reply_error(r, 404, "not_found", "report", "report '%.40s' does not exist (%s)",
                    kind ? kind : "", report_names(names, sizeof names));
        return;
    }
    struct stats_opts o;
    memset(&o, 0, sizeof o);
    o.q.channel = -1;
    o.denom = DEN_SOLVED;
    o.figure = -1;
    o.set = req_query(r, "set") ? req_query(r, "set") : "766-2022";
    o.data = config_data_dir(req_config(r));
    const char *period = req_query(r, "period"), *fs = req_query(r, "format"),
               *ds = req_query(r, "denominator");
    if (!period) {
        reply_error(r, 400, "missing_field", "period",
                    "query argument 'period' is required (YYYY, YYYY-MM, YYYY-Qn, YYYY-6M, "
                    "YYYY-MM-DD..YYYY-MM-DD)");
        return;
    }
    enum rformat fmt = RF_JSON;
    if (stats_period_parse(period, &o.q.from_day, &o.q.to_day, &e) ||
        (fs && rformat_parse(fs, &fmt, &e)) || (ds && stats_denom_parse(ds, &o.denom, &e))) {
        reply_err(r, &e);
        return;
    }
    stats_period_clamp(o.q.from_day, &o.q.to_day, today_local());
    o.period = period;
    /* the unit (summary, book) or the parent of the ranked peers (index): by default the
     * user's own scope unit, so a report never reaches outside the scope */
    const char *unit = req_query(r, "unit"), *parent = req_query(r, "parent");
    int by_parent = (rep->flags & REPORT_BY_PARENT) != 0;
    if (by_parent && unit) {
        reply_error(r, 400, "invalid", "unit", "the index ranks the children of 'parent'");
        return;
    }
    if (!by_parent && parent) {
        reply_error(r, 400, "invalid", "parent",
                    "'parent' belongs to the index report; use 'unit'");
        return;
    }
    const char *root = unit ? unit : parent;
    if (root ? !auth_scope_covers(r, root) : !auth_scope_root_valid(r)) {
        reply_error(r, 404, "not_found", unit ? "unit" : "parent", "unit '%.40s' does not exist",
                    root ? root : r->sess->user.unit);
        return;
    }
    if (!root) root = r->sess->user.unit;
    if (by_parent)
        o.parent = root;
    else
        o.q.unit = root;
    struct store *s = req_store(r);
    if (!s) {
        err_set(&e, ERR_IO, "", "no database connection");
        reply_err(r, &e);
        return;
    }
    if (rep->flags & REPORT_PER_DOSSIER) {
        struct stats_figures f;
        if (store_stats_figures(s, &o.q, &f, &e)) {
            reply_err(r, &e);
            return;
        }
        if (f.flow.c[SC_RECEIVED] > BOOK_API_MAX_ROWS) {
            reply_error(r, 400, "too_large", "period",
                        "the book of %.40s for %.40s has %lld dossiers; the API exports at most "
                        "%d rows (use a shorter period or `cchc report book`)",
                        root, period, (long long)f.flow.c[SC_RECEIVED], BOOK_API_MAX_ROWS);
            return;
        }
    }
    char path[512];
    if (download_temp_path(path, sizeof path)) {
        err_set(&e, ERR_IO, "report", "cannot create a temporary file");
        reply_err(r, &e);
        return;
    }
    o.out = path;
    int rc = rep->run(s, &o, fmt, &e);
    size_t len = 0;
    char *body = rc ? NULL : download_slurp(path, &len);
    unlink(path);
    if (rc) {
        reply_err(r, &e);
        return;
    }
    if (!body) {
        err_set(&e, ERR_IO, "report", "the report could not be read back");
        reply_err(r, &e);
        return;
    }
    static const char *const ctype[] = {
        "application/json; charset=utf-8", "text/csv; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf"};
    static const char *const ext[] = {"json", "csv", "xlsx", "pdf"};
    const char *name = arena_printf(r->arena, "cchc-%s-%s.%s", kind, period, ext[fmt]);
    reply_download(r, ctype[fmt], name ? name : "cchc-report", body, len);
    free(body);
}
