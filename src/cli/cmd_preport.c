/* cmd_preport.c — `cchc report periodic`: the periodic CCHC reports (quarter I, 6 months,
 * quarter III, year) from the command line, with the same store and report functions as the
 * API's /api/preports: create a unit's report with its figures frozen from the data, refresh
 * them while a draft, write the narrative sections, submit to the parent unit, accept or
 * return it there, consolidate the children's reports, list the children's status, and
 * export .xlsx or PDF. docs/reports.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "preport_doc.h"
#include "report_period.h"
#include "report_table.h"
#include "store_preport.h"

struct popts {
    const char *db, *unit, *parent, *period, *note, *actor, *format, *out, *data, *today_s;
    const char *section[PS__COUNT];
    int consolidate, json;
    int64_t id;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cchc report periodic create --unit CODE --period YYYY-CCHC-Q1|6M|Q3|Y\n"
            "                [--consolidate]\n"
            "       cchc report periodic refresh ID [--consolidate]\n"
            "       cchc report periodic edit ID [--results TEXT] [--shortcomings TEXT]\n"
            "                [--causes TEXT] [--next TEXT]   (@FILE reads the text from FILE)\n"
            "       cchc report periodic submit|accept|reopen ID\n"
            "       cchc report periodic return ID --note REASON\n"
            "       cchc report periodic show ID [--json]\n"
            "       cchc report periodic history ID\n"
            "       cchc report periodic list [--unit CODE] [--parent CODE] [--period P]\n"
            "       cchc report periodic children --unit CODE --period P\n"
            "       cchc report periodic export ID --format xlsx|pdf --out FILE\n"
            "Every command takes [--db FILE], [--actor NAME] (default: $USER), [--data DIR] and\n"
            "[--today YYYY-MM-DD] (the day figures are counted up to, when the period is not\n"
            "over; default: today). The figures are frozen into the report when it is created\n"
            "or refreshed; only a draft changes. submit sends it to the parent unit, which\n"
            "accepts it or returns it with a reason; reopen makes a returned report a draft.\n"
            "--consolidate adds the children's submitted or accepted reports (others are listed\n"
            "as missing); a period reaching back before 1/7/2025 includes the units merged into\n"
            "the unit, labelled as such.\n");
}

static const char *actor_of(const char *flag)
{
    const char *u = flag ? flag : getenv("USER");
    return u && *u ? u : "cli";
}

static int64_t now_of(const struct popts *o, struct err *e, int *rc)
{
    time_t t = time(NULL);
    int64_t now = (int64_t)t / 60 + 7 * 60; /* local minutes, UTC+7 (date.h) */
    *rc = 0;
    if (o->today_s) {
        struct ymd d;
        if ((*rc = ymd_parse(o->today_s, &d, "today", e))) return 0;
        now = ymd_to_days(d) * 1440 + 17 * 60;
    }
    return now;
}

/* A section's text: "@FILE" reads the file. */
static int section_text(const char *v, char **out, struct err *e)
{
    *out = NULL;
    if (!v) return 0;
    if (v[0] != '@') {
        *out = strdup(v);
        return *out ? 0 : err_set(e, ERR_NOMEM, "", "out of memory");
    }
    size_t len;
    return cli_read_file(v + 1, "section", out, &len, e);
}

static int parse(int argc, char **argv, int first, struct popts *o, struct err *e)
{
    memset(o, 0, sizeof *o);
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE(flag, field)                                                                          \
    if (!strcmp(a, flag)) {                                                                        \
        if (!v) return err_set(e, ERR_INVALID, flag, "%s needs a value", flag);                    \
        o->field = v;                                                                              \
        i++;                                                                                       \
        continue;                                                                                  \
    }
        TAKE("--db", db)
        TAKE("--unit", unit)
        TAKE("--parent", parent)
        TAKE("--period", period)
        TAKE("--note", note)
        TAKE("--actor", actor)
        TAKE("--format", format)
        TAKE("--out", out)
        TAKE("--data", data)
        TAKE("--today", today_s)
        TAKE("--results", section[PS_RESULTS])
        TAKE("--shortcomings", section[PS_SHORTCOMINGS])
        TAKE("--causes", section[PS_CAUSES])
        TAKE("--next", section[PS_NEXT])
#undef TAKE
        if (!strcmp(a, "--consolidate")) {
            o->consolidate = 1;
            continue;
        }
        if (!strcmp(a, "--json")) {
            o->json = 1;
            continue;
        }
        if (a[0] != '-' && !o->id) {
            char *end;
            long long id = strtoll(a, &end, 10);
            if (*end || id <= 0)
                return err_set(e, ERR_INVALID, "id", "'%s': a report id is a positive number", a);
            o->id = id;
            continue;
        }
        return err_set(e, ERR_INVALID, "option", "'%s': unknown option", a);
    }
    return 0;
}

static void day_text(int64_t day, char *b, size_t n)
{
    struct ymd d = days_to_ymd(day);
    snprintf(b, n, "%02d/%02d/%04d", d.d, d.m, d.y);
}

static int print_row(const struct preport *r, void *ctx)
{
    (void)ctx;
    printf("%lld\t%s\t%d-CCHC-%s\t%s\t%s\n", (long long)r->id, r->unit, r->year, r->period,
           preport_status_name(r->status), r->consolidated ? "consolidated" : "unit");
    return 0;
}

static int print_event(const struct preport_event *ev, void *ctx)
{
    (void)ctx;
    struct ymd d = days_to_ymd(instant_day(ev->at));
    int m = instant_minute_of_day(ev->at);
    printf("%04d-%02d-%02dT%02d:%02d\t%s\t%s\t%s->%s\t%s\n", d.y, d.m, d.d, m / 60, m % 60,
           ev->actor, ev->action, ev->from, ev->to, ev->note);
    return 0;
}

static int show(struct store *s, int64_t id, int json)
{
    struct preport r;
    struct err e = {0};
    if (store_preport_get(s, id, &r, &e)) return cli_fail("report periodic", &e);
    if (json) {
        printf("%s\n", r.snapshot);
        preport_clear(&r);
        return 0;
    }
    char a[16], b[16];
    day_text(r.from_day, a, sizeof a);
    day_text(r.to_day, b, sizeof b);
    printf("report\t%lld\nunit\t%s\nparent\t%s\nperiod\t%d-CCHC-%s\t%s\t%s\nstatus\t%s\t%s\n",
           (long long)r.id, r.unit, r.parent, r.year, r.period, a, b, preport_status_name(r.status),
           preport_status_label(r.status));
    printf("consolidated\t%d\n", r.consolidated);
    if (r.return_reason[0]) printf("return_reason\t%s\n", r.return_reason);
    for (int i = 0; i < PS__COUNT; i++)
        printf("section\t%s\t%s\n", preport_section_key((enum preport_section)i), r.section[i]);
    printf("snapshot\t%s\n", r.snapshot);
    preport_clear(&r);
    return 0;
}

struct kid_ctx {
    struct store *s;
    int year;
    const char *period;
};

static int kid_status(const struct unit *u, void *ctx)
{
    struct kid_ctx *k = ctx;
    if (u->kind == UNIT_DESK) return 0;
    int64_t id;
    struct err e = {0};
    if (store_preport_find(k->s, u->code, k->year, k->period, &id, &e)) {
        printf("%s\t%s\tmissing\t-\n", u->code, u->name);
        return 0;
    }
    struct preport r;
    if (store_preport_get(k->s, id, &r, &e)) return 1;
    printf("%s\t%s\t%s\t%lld\n", u->code, u->name, preport_status_name(r.status), (long long)id);
    preport_clear(&r);
    return 0;
}

int cmd_preport(int argc, char **argv)
{
    /* argv[0] = "periodic", argv[1] = the verb */
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    const char *verb = argv[1];
    struct popts o;
    if (parse(argc, argv, 2, &o, &e)) return cli_fail("report periodic", &e);
    int rc;
    int64_t now = now_of(&o, &e, &rc);
    if (rc) return cli_fail("report periodic", &e);
    const char *data = cli_data_dir(o.data);
    int year = 0;
    const char *pcode = NULL;
    if (o.period && preport_period_parse(o.period, "period", &year, &pcode, &e))
        return cli_fail("report periodic", &e);
    enum preport_action act;
    int is_act =
        !preport_action_parse(verb, &act, "action", NULL) && act != PA_REFRESH && act != PA_EDIT;
    int needs_id = is_act || !strcmp(verb, "refresh") || !strcmp(verb, "edit") ||
                   !strcmp(verb, "show") || !strcmp(verb, "history") || !strcmp(verb, "export");
    if (needs_id && !o.id) {
        err_set(&e, ERR_INVALID, "id", "%s needs the report's id", verb);
        return cli_fail("report periodic", &e);
    }
    if (!needs_id && strcmp(verb, "create") && strcmp(verb, "list") && strcmp(verb, "children")) {
        err_set(&e, ERR_INVALID, "command",
                "'%s': unknown (create, refresh, edit, submit, accept, return, reopen, show, "
                "history, list, children, export)",
                verb);
        return cli_fail("report periodic", &e);
    }
    if ((!strcmp(verb, "create") || !strcmp(verb, "children")) && (!o.unit || !o.period)) {
        err_set(&e, ERR_INVALID, o.unit ? "period" : "unit", "%s needs --unit and --period", verb);
        return cli_fail("report periodic", &e);
    }
    enum rformat fmt = RF_JSON;
    if (!strcmp(verb, "export")) {
        if (!o.format || rformat_parse(o.format, &fmt, &e) || (fmt != RF_XLSX && fmt != RF_PDF)) {
            err_set(&e, ERR_INVALID, "format", "--format '%s': must be xlsx or pdf",
                    o.format ? o.format : "");
            return cli_fail("report periodic", &e);
        }
        if (!o.out) {
            err_set(&e, ERR_INVALID, "out", "export needs --out FILE");
            return cli_fail("report periodic", &e);
        }
    }
    struct store *s = NULL;
    int st = cli_store_open("report periodic", o.db, 0, &s);
    if (st) return st;
    const char *actor = actor_of(o.actor);
    rc = 0;
    if (!strcmp(verb, "create")) {
        struct preport_build_in in = {.unit = o.unit,
                                      .year = year,
                                      .period = pcode,
                                      .consolidate = o.consolidate,
                                      .data = data,
                                      .now = now};
        char *snap = NULL;
        int64_t id = 0;
        rc = preport_build(s, &in, &snap, &e);
        if (!rc) {
            struct preport_in pin = {.unit = o.unit,
                                     .year = year,
                                     .period = pcode,
                                     .snapshot = snap,
                                     .consolidated = o.consolidate,
                                     .actor = actor,
                                     .at = now};
            rc = store_preport_create(s, &pin, &id, &e);
        }
        free(snap);
        if (!rc) printf("%lld\n", (long long)id);
    } else if (!strcmp(verb, "refresh")) {
        struct preport r;
        rc = store_preport_get(s, o.id, &r, &e);
        if (!rc) {
            struct preport_build_in in = {.unit = r.unit,
                                          .year = r.year,
                                          .period = r.period,
                                          .consolidate = o.consolidate || r.consolidated,
                                          .data = data,
                                          .now = now};
            char *snap = NULL;
            rc = preport_build(s, &in, &snap, &e);
            struct preport_act a = {.action = PA_REFRESH,
                                    .snapshot = snap,
                                    .consolidated = in.consolidate,
                                    .actor = actor,
                                    .at = now};
            if (!rc) rc = store_preport_act(s, o.id, &a, &e);
            free(snap);
            preport_clear(&r);
        }
    } else if (!strcmp(verb, "edit")) {
        struct preport_act a = {.action = PA_EDIT, .actor = actor, .at = now};
        char *txt[PS__COUNT] = {0};
        for (int i = 0; !rc && i < PS__COUNT; i++) {
            rc = section_text(o.section[i], &txt[i], &e);
            a.section[i] = txt[i];
        }
        if (!rc) rc = store_preport_act(s, o.id, &a, &e);
        for (int i = 0; i < PS__COUNT; i++)
            free(txt[i]);
    } else if (is_act) {
        struct preport_act a = {.action = act, .note = o.note, .actor = actor, .at = now};
        rc = store_preport_act(s, o.id, &a, &e);
    } else if (!strcmp(verb, "show")) {
        st = show(s, o.id, o.json);
    } else if (!strcmp(verb, "history")) {
        rc = store_preport_history(s, o.id, print_event, NULL, &e);
    } else if (!strcmp(verb, "list")) {
        struct preport_filter f = {
            .scope = o.unit, .parent = o.parent, .period = pcode, .year = year};
        rc = store_preport_list(s, &f, print_row, NULL, &e);
    } else if (!strcmp(verb, "children")) {
        const struct report_period *p = report_period_find(pcode);
        int64_t from, to;
        report_period_days(p, year, &from, &to);
        struct kid_ctx k = {s, year, pcode};
        struct unit u;
        rc = store_unit_get(s, o.unit, &u, &e);
        if (!rc) rc = store_unit_children(s, o.unit, to, kid_status, &k, &e);
    } else if (!strcmp(verb, "export")) {
        struct preport r;
        rc = store_preport_get(s, o.id, &r, &e);
        if (!rc) {
            rc = fmt == RF_XLSX ? preport_write_xlsx(&r, o.out, &e)
                                : preport_write_pdf(&r, o.out, &e);
            preport_clear(&r);
        }
    }
    store_close(s);
    if (rc) return cli_fail("report periodic", &e);
    return st;
}
