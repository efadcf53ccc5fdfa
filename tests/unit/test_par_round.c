/* test_par_round.c — PAR assessment rounds in the SQLite store: phases closing in order with who
 * and when; a published round refusing every write; scores over a node's maximum, with too many
 * decimals, of the wrong kind or for a unit outside the round rejected with nothing written; a
 * re-scored appraisal keeping its history; evidence hashed, sniffed and size-limited; a survey
 * import that fails on one row importing nothing; a computed criterion fed by real dossiers
 * created through the store API (with the drill-down to them, and a merged unit inheriting its
 * predecessor's dossiers); and results with ties, a unit with missing scores, last year's
 * published round matched through successor links and targets, against values worked by hand
 * in tests/data/par/round/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "date.h"
#include "import.h"
#include "par_io.h"
#include "db.h"
#include "testdb.h"
#include "store.h"

static struct calendar *cal;
static struct store *db;
static struct tmpdb tdb;
static const char *path = tdb.path;
static char late_x01[DOSSIER_CODE_LEN]; /* X01's late dossier of 2025 */

#define P(s) pts(s)

static par_pts pts(const char *s)
{
    par_pts v;
    struct err e = {0};
    if (par_decimal_parse(s, 3, 1, &v, "test", &e)) fail_msg("%s", e.msg);
    return v;
}

static const char *data_path(const char *name)
{
    static char buf[8][512];
    static int k;
    const char *d = getenv("CCHC_TESTDATA");
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/par/%s", d ? d : "tests/data", name);
    return buf[k];
}

static int64_t at(const char *s)
{
    int64_t v;
    struct err e = {0};
    if (instant_parse(s, &v, "test", &e)) fail_msg("%s", e.msg);
    return v;
}

/* Rows of a data file: '#' lines skipped, fields split on sep (no quoting in these files). */
static int split(char *line, char sep, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *q = strchr(p, sep);
        if (!q) break;
        *q = '\0';
        p = q + 1;
    }
    return n;
}

/* ---- fixture: units, the set, a procedure and the dossiers of dossiers.tsv ------------------ */

static void make_procedure(void)
{
    struct procedure p;
    memset(&p, 0, sizeof p);
    snprintf(p.code, sizeof p.code, "1.001193");
    snprintf(p.name, sizeof p.name, "Đăng ký khai sinh");
    snprintf(p.field, sizeof p.field, "Hộ tịch");
    p.level = LEVEL_COMMUNE;
    p.time_amount = 5;
    p.time_unit = TIME_WORKING_DAYS;
    p.online = ONLINE_FULL;
    p.ndocs = 1;
    snprintf(p.docs[0], sizeof p.docs[0], "Tờ khai");
    p.nsteps = 2;
    for (int i = 0; i < 2; i++) {
        snprintf(p.steps[i].name, sizeof p.steps[i].name, "Bước %d", i + 1);
        p.steps[i].role = i ? ROLE_LEADER : ROLE_SPECIALIST;
        p.steps[i].unit_kind = -1;
        p.steps[i].share_unit = SHARE_PERCENT;
        p.steps[i].share = 50;
    }
    struct err e = {0};
    if (store_procedure_put(db, &p, &e)) fail_msg("procedure: %s", e.msg);
}

static void act(const char *code, enum dossier_action a, int64_t t)
{
    struct dossier_change c = {.code = code, .action = a, .at = t, .actor = "cv.test"};
    struct err e = {0};
    if (store_dossier_apply(db, cal, &c, NULL, &e)) fail_msg("%s: %s", code, e.msg);
}

static void make_dossiers(void)
{
    FILE *f = fopen(data_path("round/dossiers.tsv"), "r");
    if (!f) fail_msg("dossiers.tsv");
    char line[256], *fl[4] = {0};
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || split(line, '\t', fl, 4) != 4) continue;
        struct dossier_intake in = {.unit = fl[0],
                                    .procedure = "1.001193",
                                    .channel = CHANNEL_DIRECT,
                                    .at = at(fl[1]),
                                    .actor = "cb.motcua",
                                    .receive = 1};
        snprintf(in.applicant.name, sizeof in.applicant.name, "Trần Thị Hoa");
        struct dossier d;
        struct err e = {0};
        if (store_dossier_create(db, cal, &in, &d, &e)) fail_msg("create: %s", e.msg);
        act(d.code, DA_ADVANCE, in.at + 10);
        act(d.code, DA_ADVANCE, in.at + 20);
        act(d.code, DA_FINISH, at(fl[2]));
        struct dossier got;
        if (store_dossier_get(db, d.code, &got, &e)) fail_msg("%s", e.msg);
        int late = !strcmp(fl[3], "late");
        assert_int_equal(got.st.result_at > got.st.due_at, late); /* the file's outcome is right */
        if (late && !strcmp(fl[0], "X01") && !strncmp(fl[1], "2025", 4))
            snprintf(late_x01, sizeof late_x01, "%s", d.code);
    }
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (calendar_load(dir ? dir : CCHC_DATA_DIR, 2023, 2026, NULL, &cal, &e)) return -1;
    tmpdb_make(&tdb);
    if (store_open(path, &db, &e)) {
        fprintf(stderr, "store_open: %s\n", e.msg);
        return -1;
    }
    struct import_result res;
    if (import_units(db, data_path("round/units.csv"), NULL, NULL, &res, &e)) {
        fprintf(stderr, "units: %s\n", e.msg);
        return -1;
    }
    struct par_set *set;
    if (par_io_read_set(data_path("t1-set.csv"), &set, NULL, NULL, &e) ||
        store_par_set_import(db, set, "admin", at("2025-01-02T08:00"), &e)) {
        fprintf(stderr, "set: %s\n", e.msg);
        return -1;
    }
    par_set_free(set);
    make_procedure();
    make_dossiers();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    calendar_free(cal);
    tmpdb_remove(&tdb);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------- */

static void new_round(const char *code, int year, const char *units)
{
    const char *list[8];
    char buf[128];
    int n = 0;
    if (units) {
        snprintf(buf, sizeof buf, "%s", units);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            list[n++] = t;
    }
    struct par_round_new in = {.code = code,
                               .title = "Đợt thử",
                               .set = "T1",
                               .year = year,
                               .period_from = INT64_MIN,
                               .units = list,
                               .nunits = n,
                               .actor = "admin",
                               .at = at("2025-01-05T08:00")};
    struct par_round r;
    struct err e = {0};
    if (store_par_round_create(db, &in, &r, &e)) fail_msg("round %s: %s", code, e.msg);
}

static int score(const char *round, const char *unit, const char *node, enum par_kind k,
                 const char *v, const char *actor, struct err *e)
{
    struct par_score_in in = {.round = round,
                              .unit = unit,
                              .node = node,
                              .kind = k,
                              .points = P(v),
                              .comment = k == PAR_APPRAISED ? "Hội đồng chấm lại" : NULL,
                              .actor = actor,
                              .at = at("2025-02-01T09:00")};
    return store_par_score_put(db, &in, e);
}

static void must_score(const char *round, const char *unit, const char *node, enum par_kind k,
                       const char *v)
{
    struct err e = {0};
    if (score(round, unit, node, k, v, "tester", &e))
        fail_msg("%s %s %s: %s", unit, node, v, e.msg);
}

static void close_phase(const char *round, const char *phase, const char *when)
{
    struct err e = {0};
    if (store_par_round_close_phase(db, round, phase, "chu.tich.hd", at(when), NULL, &e))
        fail_msg("close %s: %s", phase, e.msg);
}

/* Writes the self (then, after closing the self phase, the appraised) values of a scores file;
 * survey values, if any, are returned as rows for store_par_survey_import. */
static int load_scores(const char *round, const char *file, struct par_survey_row *survey)
{
    int nsurvey = 0;
    for (int pass = 0; pass < 2; pass++) {
        FILE *f = fopen(data_path(file), "r");
        if (!f) fail_msg("%s", file);
        char line[256], *fl[5] = {0};
        int header = 1;
        while (fgets(line, sizeof line, f)) {
            if (line[0] == '#') continue;
            int n = split(line, ',', fl, 5);
            if (header || n < 4) {
                header = 0;
                continue;
            }
            if (pass == 0 && *fl[2]) must_score(round, fl[0], fl[1], PAR_SELF, fl[2]);
            if (pass == 1 && *fl[3]) must_score(round, fl[0], fl[1], PAR_APPRAISED, fl[3]);
            if (pass == 1 && n == 5 && *fl[4]) {
                struct par_survey_row *r = &survey[nsurvey++];
                snprintf(r->unit, sizeof r->unit, "%.*s", (int)sizeof r->unit - 1, fl[0]);
                snprintf(r->node, sizeof r->node, "%s", fl[1]);
                r->points = P(fl[4]);
                snprintf(r->where, sizeof r->where, "%s", file);
            }
        }
        fclose(f);
        if (pass == 0) close_phase(round, "self", "2025-02-10T17:00");
    }
    close_phase(round, "appraisal", "2025-03-10T17:00");
    return nsurvey;
}

/* A text dump of a round's score cells, history and evidence, to prove nothing changed. */
static int dump_cell(const struct par_cell *c, void *ctx)
{
    char *b = ctx;
    size_t l = strlen(b);
    snprintf(b + l, 8192 - l, "%s|%s|%lld|%lld|%lld|%s|%s\n", c->unit, c->node, (long long)c->self,
             (long long)c->appraised, (long long)c->survey, c->self_comment, c->appraisal_comment);
    return 0;
}

static void dump(const char *round, char *buf)
{
    struct err e = {0};
    buf[0] = '\0';
    if (store_par_cells(db, round, NULL, dump_cell, buf, &e)) fail_msg("%s", e.msg);
    struct db *h;
    struct db_stmt *st;
    if (db_open(path, &h, &e)) fail_msg("open: %s", e.msg);
    /* the phases one by one, in code order: group_concat / string_agg differ by dialect */
    const char *q = "SELECT (SELECT count(*) FROM par_score_changes), (SELECT count(*) FROM "
                    "par_evidence), (SELECT count(*) FROM par_blobs), (SELECT count(*) FROM "
                    "par_round_phases), (SELECT count(*) FROM par_targets), phase FROM par_rounds "
                    "ORDER BY code";
    if (db_prepare(h, q, &st)) fail_msg("%s", db_errmsg(h));
    size_t l = strlen(buf);
    for (int row = 0; db_step(st) == DB_ROW; row++) {
        l = strlen(buf);
        if (!row)
            snprintf(buf + l, 8192 - l, "changes %d evidence %d blobs %d phases %d targets %d %s",
                     (int)db_col_int64(st, 0), (int)db_col_int64(st, 1), (int)db_col_int64(st, 2),
                     (int)db_col_int64(st, 3), (int)db_col_int64(st, 4), db_col_text(st, 5));
        else
            snprintf(buf + l, 8192 - l, ",%s", db_col_text(st, 5));
    }
    l = strlen(buf);
    snprintf(buf + l, 8192 - l, "\n");
    db_finalize(st);
    db_close(h);
}

/* ---- phases --------------------------------------------------------------------------- */

static void test_phases(void **state)
{
    (void)state;
    struct err e = {0};
    struct par_round r;
    new_round("PH", 2025, "X01,X02");
    assert_int_equal(store_par_round_get(db, "PH", &r, &e), 0);
    assert_int_equal(r.phase, PAR_PHASE_SELF);
    assert_int_equal(r.nunits, 2);
    assert_int_equal(r.period_from, ymd_to_days((struct ymd){2025, 1, 1}));
    assert_int_equal(r.period_to, ymd_to_days((struct ymd){2025, 12, 31}));
    /* publishing from self, or closing a phase that is not the current one, closes nothing */
    assert_int_equal(store_par_round_publish(db, "PH", "admin", at("2025-02-01T08:00"), NULL, &e),
                     ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "phase 'self'"));
    assert_int_equal(store_par_round_close_phase(db, "PH", "appraisal", "admin",
                                                 at("2025-02-01T08:00"), NULL, &e),
                     ERR_CONFLICT);
    assert_string_equal(e.msg,
                        "round 'PH' is in phase 'self', not 'appraisal': nothing was closed");
    assert_int_equal(
        store_par_round_close_phase(db, "PH", "self", "can.bo.a", at("2025-02-10T17:00"), &r, &e),
        0);
    assert_int_equal(r.phase, PAR_PHASE_APPRAISAL);
    assert_int_equal(r.closed_at[PAR_PHASE_SELF], at("2025-02-10T17:00"));
    assert_string_equal(r.closed_by[PAR_PHASE_SELF], "can.bo.a");
    assert_int_equal(r.closed_at[PAR_PHASE_APPRAISAL], 0);
    close_phase("PH", NULL, "2025-03-01T10:00");
    assert_int_equal(
        store_par_round_close_phase(db, "PH", NULL, "admin", at("2025-03-02T08:00"), NULL, &e),
        ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "closes by publishing"));
    assert_int_equal(store_par_round_publish(db, "PH", "giam.doc", at("2025-03-20T15:30"), &r, &e),
                     0);
    assert_int_equal(r.phase, PAR_PHASE_PUBLISHED);
    assert_int_equal(r.closed_at[PAR_PHASE_APPRAISAL], at("2025-03-01T10:00"));
    assert_string_equal(r.closed_by[PAR_PHASE_SURVEY], "giam.doc");
    assert_int_equal(
        store_par_round_publish(db, "PH", "giam.doc", at("2025-03-21T08:00"), NULL, &e),
        ERR_CONFLICT);
    assert_string_equal(e.msg,
                        "round 'PH' was published on 2025-03-20T15:30 by giam.doc: it is frozen");
    /* bad input */
    assert_int_equal(store_par_round_get(db, "NONE", &r, &e), ERR_NOT_FOUND);
    assert_int_equal(store_par_round_close_phase(db, "PH", "later", "admin", 0, NULL, &e),
                     ERR_INVALID);
    struct par_round_new in = {
        .code = "PH", .set = "T1", .year = 2025, .period_from = INT64_MIN, .actor = "admin"};
    assert_int_equal(store_par_round_create(db, &in, &r, &e), ERR_CONFLICT);
    in.code = "bad code";
    assert_int_equal(store_par_round_create(db, &in, &r, &e), ERR_INVALID);
    in.code = "NEW";
    in.set = "T9";
    assert_int_equal(store_par_round_create(db, &in, &r, &e), ERR_NOT_FOUND);
    in.set = "T1";
    in.kinds = "district";
    assert_int_equal(store_par_round_create(db, &in, &r, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "no unit of the kinds asked exists on 2025-12-31"));
    in.kinds = "villa";
    assert_int_equal(store_par_round_create(db, &in, &r, &e), ERR_INVALID);
    assert_int_equal(store_par_round_get(db, "NEW", &r, &e), ERR_NOT_FOUND); /* none created */
}

/* ---- bad scores ------------------------------------------------------------------------ */

static void test_bad_scores_change_nothing(void **state)
{
    (void)state;
    struct err e = {0};
    char before[8192], after[8192];
    new_round("BAD", 2025, "X01,X02");
    must_score("BAD", "X01", "1.1", PAR_SELF, "3");
    dump("BAD", before);
    struct {
        const char *unit, *node;
        enum par_kind kind;
        const char *value;
        int code;
        const char *msg;
    } cases[] = {
        {"X01", "1.1", PAR_SELF, "4.01", ERR_INVALID,
         "unit 'X01': node '1.1': self points 4.01 exceed the node's max 4"},
        {"X01", "2.1", PAR_SELF, "5.5", ERR_INVALID,
         "unit 'X01': node '2.1': self points 5.5 exceed the node's max 5"},
        {"X01", "1.1", PAR_SELF, "1.125", ERR_INVALID,
         "unit 'X01': node '1.1': self points 1.125 have more than the 2 decimals the set allows"},
        {"X01", "1.2", PAR_SELF, "1", ERR_INVALID,
         "unit 'X01': node '1.2' has sub-criteria; its points are their sum, so score the "
         "sub-criteria"},
        {"X01", "3.1", PAR_SELF, "1", ERR_INVALID,
         "unit 'X01': node '3.1' is scored survey and takes no self value (its points come from "
         "the survey column)"},
        {"X01", "9.9", PAR_SELF, "1", ERR_INVALID,
         "unit 'X01': node '9.9' is not a criterion of set 'T1'"},
        {"X03", "1.1", PAR_SELF, "1", ERR_NOT_FOUND, "unit 'X03' is not assessed in round 'BAD'"},
        {"X01", "1.1", PAR_APPRAISED, "1", ERR_CONFLICT,
         "round 'BAD' is in phase 'self' (Tự đánh giá); appraised scores are written in phase "
         "'appraisal'"},
        {"X01", "3.1", PAR_SURVEYED, "1", ERR_CONFLICT,
         "round 'BAD' is in phase 'self' (Tự đánh giá); survey scores are written in phase "
         "'survey'"},
        {"X01", "2.1", PAR_METRIC, "90", ERR_INVALID,
         "kind: only self, appraised or survey scores are written"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc =
            score("BAD", cases[i].unit, cases[i].node, cases[i].kind, cases[i].value, "tester", &e);
        if (rc != cases[i].code || strcmp(e.msg, cases[i].msg))
            fail_msg("case %zu: rc %d, '%s'", i, rc, e.msg);
    }
    assert_int_equal(score("BAD", "X01", "1.1", PAR_SELF, "1", "", &e), ERR_INVALID);
    assert_int_equal(score("NONE", "X01", "1.1", PAR_SELF, "1", "t", &e), ERR_NOT_FOUND);
    dump("BAD", after);
    assert_string_equal(before, after);
}

/* ---- re-scored appraisal --------------------------------------------------------------- */

struct hist {
    int n;
    char text[1024];
};

static int hist_line(const struct par_score_change *c, void *ctx)
{
    struct hist *h = ctx;
    char a[32], b[32];
    size_t l = strlen(h->text);
    snprintf(h->text + l, sizeof h->text - l, "%s %s %s->%s %s [%s]\n", c->node,
             par_kind_name(c->kind),
             c->old_points == PAR_NONE ? "-" : par_pts_format(c->old_points, 0, a),
             par_pts_format(c->new_points, 0, b), c->actor, c->comment);
    h->n++;
    return 0;
}

static void test_rescored_appraisal_keeps_history(void **state)
{
    (void)state;
    struct err e = {0};
    new_round("RS", 2025, "X01");
    must_score("RS", "X01", "1.1", PAR_SELF, "4");
    close_phase("RS", "self", "2025-02-10T17:00");
    assert_int_equal(score("RS", "X01", "1.1", PAR_SELF, "3", "tester", &e), ERR_CONFLICT);
    assert_int_equal(score("RS", "X01", "1.1", PAR_APPRAISED, "3", "tv.hoidong1", &e), 0);
    assert_int_equal(score("RS", "X01", "1.1", PAR_APPRAISED, "3.5", "tv.hoidong2", &e), 0);
    assert_int_equal(score("RS", "X01", "1.1", PAR_APPRAISED, "2.25", "tv.hoidong1", &e), 0);
    struct hist h = {0};
    assert_int_equal(store_par_score_history(db, "RS", "X01", "1.1", hist_line, &h, &e), 0);
    assert_int_equal(h.n, 4);
    assert_string_equal(h.text, "1.1 self -->4 tester []\n"
                                "1.1 appraised -->3 tv.hoidong1 [Hội đồng chấm lại]\n"
                                "1.1 appraised 3->3.5 tv.hoidong2 [Hội đồng chấm lại]\n"
                                "1.1 appraised 3.5->2.25 tv.hoidong1 [Hội đồng chấm lại]\n");
    struct par_round_results r;
    assert_int_equal(store_par_results(db, "RS", "", &r, &e), 0);
    /* the latest appraisal counts: 2.25, plus 2.5 for 2.1 computed from X01's dossiers */
    assert_int_equal(r.res->u[0].total, P("4.75"));
    assert_int_equal(r.res->u[0].area[0], P("2.25"));
    assert_int_equal(r.res->u[0].missing, 4); /* 1.2.1, 1.2.2, 2.2, 3.1 */
    store_par_results_free(&r);
    assert_int_equal(store_par_score_history(db, "RS", "X02", NULL, hist_line, &h, &e),
                     ERR_NOT_FOUND);
}

/* ---- evidence -------------------------------------------------------------------------- */

static const char PDF[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n";
static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0,    0,    0,
                                    0x0d, 'I', 'H', 'D', 'R',  0,    0,    0,    1,    0,    0,
                                    0,    1,   8,   6,   0,    0,    0,    0x1f, 0x15, 0xc4, 0x89};

static int evidence_add(const char *round, const char *name, const void *data, int64_t size,
                        int64_t max, struct par_evidence *out, struct err *e)
{
    struct par_evidence_in in = {.round = round,
                                 .unit = "X01",
                                 .node = "1.1",
                                 .name = name,
                                 .data = data,
                                 .size = size,
                                 .max_size = max,
                                 .actor = "can.bo.x01",
                                 .at = at("2025-02-03T10:00")};
    return store_par_evidence_add(db, &in, out, e);
}

static int count_evidence(const struct par_evidence *ev, void *ctx)
{
    (void)ev;
    (*(int *)ctx)++;
    return 0;
}

static void test_evidence(void **state)
{
    (void)state;
    struct err e = {0};
    struct par_evidence ev;
    char before[8192], after[8192];
    new_round("EV", 2025, "X01");
    assert_int_equal(evidence_add("EV", "Kế hoạch CCHC 2025.pdf", PDF, sizeof PDF - 1, 0, &ev, &e),
                     0);
    assert_string_equal(ev.mime, "application/pdf");
    assert_int_equal(ev.size, 58);
    /* sha256sum of the same 58 bytes, computed outside cchc */
    assert_string_equal(ev.sha256,
                        "269d6a4b456524f1c73524ab7b3192bffc700088724675c98065fa57b7b2d033");
    struct par_evidence got;
    void *data;
    assert_int_equal(store_par_evidence_get(db, ev.id, &got, &data, &e), 0);
    assert_memory_equal(data, PDF, sizeof PDF - 1);
    assert_string_equal(got.name, "Kế hoạch CCHC 2025.pdf");
    assert_string_equal(got.added_by, "can.bo.x01");
    free(data);
    /* the same content twice: two evidence rows, one stored blob */
    dump("EV", before);
    assert_int_equal(evidence_add("EV", "ban-sao.pdf", PDF, sizeof PDF - 1, 0, &ev, &e), 0);
    assert_int_equal(evidence_add("EV", "anh.PNG", PNG, sizeof PNG, 0, &ev, &e), 0);
    assert_string_equal(ev.mime, "image/png");
    dump("EV", after);
    assert_non_null(strstr(before, "evidence 1 blobs 1"));
    assert_non_null(strstr(after, "evidence 3 blobs 2"));
    /* refusals change nothing */
    struct {
        const char *name;
        const void *data;
        int64_t size, max;
        const char *msg;
    } bad[] = {
        {"anh.pdf", PNG, sizeof PNG, 0,
         "file 'anh.pdf': its content is image/png, not application/pdf as its extension '.pdf' "
         "says"},
        {"chay.exe", PDF, sizeof PDF - 1, 0,
         "file 'chay.exe': the extension must be one of pdf, jpg, jpeg, png, doc, xls, docx, "
         "xlsx, odt, ods"},
        {"khong-duoi", PDF, sizeof PDF - 1, 0,
         "file 'khong-duoi': the extension must be one of pdf, jpg, jpeg, png, doc, xls, docx, "
         "xlsx, odt, ods"},
        {"lon.pdf", PDF, sizeof PDF - 1, 57,
         "file 'lon.pdf' has 58 bytes, above the limit of 57 bytes (0 MiB)"},
        {"rong.pdf", PDF, 0, 0, "file 'rong.pdf' is empty"},
        {"../x.pdf", PDF, sizeof PDF - 1, 0,
         "file name '../x.pdf': no directory part or control characters allowed"},
        {"", PDF, sizeof PDF - 1, 0, "file name: must not be empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = evidence_add("EV", bad[i].name, bad[i].data, bad[i].size, bad[i].max, &ev, &e);
        if (rc != ERR_INVALID || strcmp(e.msg, bad[i].msg))
            fail_msg("case %zu: rc %d, '%s'", i, rc, e.msg);
    }
    /* 20 MiB by default: one byte more is refused before it is read */
    assert_int_equal(evidence_add("EV", "to.pdf", PDF, PAR_EVIDENCE_MAX_DEFAULT + 1, 0, &ev, &e),
                     ERR_INVALID);
    assert_string_equal(e.msg, "file 'to.pdf' has 20971521 bytes, above the limit of 20971520 "
                               "bytes (20 MiB)");
    int n = 0;
    assert_int_equal(store_par_evidence_list(db, "EV", "X01", "1.1", count_evidence, &n, &e), 0);
    assert_int_equal(n, 3);
    dump("EV", before);
    assert_string_equal(before, after);
    /* phases: allowed during appraisal, refused in the survey phase and after publication */
    close_phase("EV", "self", "2025-02-10T17:00");
    assert_int_equal(evidence_add("EV", "bo-sung.pdf", PDF, sizeof PDF - 1, 0, &ev, &e), 0);
    close_phase("EV", "appraisal", "2025-03-10T17:00");
    assert_int_equal(evidence_add("EV", "muon.pdf", PDF, sizeof PDF - 1, 0, &ev, &e), ERR_CONFLICT);
    assert_int_equal(store_par_evidence_get(db, 999999, &got, &data, &e), ERR_NOT_FOUND);
}

/* ---- survey import: all or nothing ---------------------------------------------------- */

static int read_survey(const char *file, const struct par_set *set, struct par_survey_row **rows,
                       struct err *e)
{
    int n;
    return par_io_read_survey(data_path(file), set, rows, &n, NULL, NULL, e) ? -1 : n;
}

static void test_survey_all_or_nothing(void **state)
{
    (void)state;
    struct err e = {0};
    struct par_set *set;
    struct par_survey_row *rows;
    char before[8192], after[8192];
    assert_int_equal(store_par_set_load(db, "T1", &set, &e), 0);
    new_round("SV", 2025, "X01,X02,X03");
    int n = read_survey("round/survey-2025.csv", set, &rows, &e);
    assert_int_equal(n, 3);
    assert_int_equal(store_par_survey_import(db, "SV", rows, n, "xhh", 0, &e), ERR_CONFLICT);
    close_phase("SV", "self", "2025-02-10T17:00");
    close_phase("SV", "appraisal", "2025-03-10T17:00");
    free(rows);
    dump("SV", before);
    /* a file with one bad row gives no rows at all */
    assert_int_equal(read_survey("round/survey-bad-max.csv", set, &rows, &e), -1);
    assert_non_null(strstr(e.msg, "survey-bad-max.csv:4: unit 'X03': node '3.1': survey points "
                                  "25.5 exceed the node's max 25"));
    assert_null(rows);
    /* the first bad row of several is named, each with its line */
    assert_int_equal(read_survey("round/survey-bad-many.csv", set, &rows, &e), -1);
    assert_non_null(strstr(e.msg, "survey-bad-many.csv:3: unit 'X01': node '2.2' is scored "
                                  "manual and takes no survey value"));
    /* rows that read well but whose unit is not in the round: the store refuses them all */
    n = read_survey("round/survey-bad-unit.csv", set, &rows, &e);
    assert_int_equal(n, 3);
    assert_int_equal(store_par_survey_import(db, "SV", rows, n, "xhh", 0, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "survey-bad-unit.csv:4: unit 'OLD1' is not assessed in round "
                                  "'SV'"));
    free(rows);
    dump("SV", after);
    assert_string_equal(before, after); /* X01 and X02 of lines 2-3 were not kept */
    /* rows handed to the store directly (the API's): one cell twice is refused, naming both */
    struct par_survey_row twice[3] = {{"X01", "3.1", 20000, "$.rows[0]"},
                                      {"X02", "3.1", 21000, "$.rows[1]"},
                                      {"X01", "3.1", 19000, "$.rows[2]"}};
    assert_int_equal(store_par_survey_import(db, "SV", twice, 3, "xhh", 0, &e), ERR_INVALID);
    assert_string_equal(e.msg, "$.rows[2]: unit 'X01', node '3.1': survey points given twice "
                               "(also $.rows[0])");
    dump("SV", after);
    assert_string_equal(before, after);
    n = read_survey("round/survey-2025.csv", set, &rows, &e);
    assert_int_equal(store_par_survey_import(db, "SV", rows, n, "xhh", at("2025-03-15T08:00"), &e),
                     0);
    free(rows);
    dump("SV", after);
    assert_non_null(strstr(after, "X02|3.1|"
                                  "-9223372036854775808|-9223372036854775808|18250||\n"));
    par_set_free(set);
}

/* ---- computed criteria from dossiers -------------------------------------------------- */

struct mlist {
    int n;
    struct par_metric m[8];
};

static int keep_metric(const struct par_metric *m, void *ctx)
{
    struct mlist *l = ctx;
    if (l->n < 8) l->m[l->n++] = *m;
    return 0;
}

struct dcodes {
    int n, num;
    char late[DOSSIER_CODE_LEN];
};

static int keep_dossier(const char *code, int in_num, void *ctx)
{
    struct dcodes *d = ctx;
    d->n++;
    d->num += in_num;
    if (!in_num) snprintf(d->late, sizeof d->late, "%s", code);
    return 0;
}

static void test_computed_from_dossiers(void **state)
{
    (void)state;
    struct err e = {0};
    new_round("CM", 2025, "X01,X02,X04");
    struct mlist l = {0};
    assert_int_equal(store_par_metrics(db, "CM", NULL, keep_metric, &l, &e), 0);
    assert_int_equal(l.n, 3); /* one computed leaf (2.1) per unit */
    /* X01: 10 dossiers solved in 2025 (its 2024 one is outside the period), 9 in time */
    assert_string_equal(l.m[0].unit, "X01");
    assert_string_equal(l.m[0].metric, "on_time_pct");
    assert_int_equal(l.m[0].num, 9);
    assert_int_equal(l.m[0].den, 10);
    assert_int_equal(l.m[0].value, P("90"));
    assert_string_equal(l.m[0].denom, "solved");
    assert_false(l.m[0].frozen);
    /* X02: no dossiers, no value */
    assert_int_equal(l.m[1].den, 0);
    assert_int_equal(l.m[1].value, PAR_NONE);
    /* X04: OLD1, merged into it, solved one dossier late in March 2025 */
    assert_int_equal(l.m[2].num, 0);
    assert_int_equal(l.m[2].den, 1);
    assert_int_equal(l.m[2].value, 0);
    struct dcodes d = {0};
    assert_int_equal(store_par_metric_dossiers(db, "CM", "X01", "2.1", keep_dossier, &d, &e), 0);
    assert_int_equal(d.n, 10);
    assert_int_equal(d.num, 9);
    assert_string_equal(d.late, late_x01);
    assert_int_equal(store_par_metric_dossiers(db, "CM", "X01", "1.1", keep_dossier, &d, &e),
                     ERR_INVALID);
    assert_string_equal(e.msg, "node '1.1' is not a computed criterion of set 'T1'");
    /* 90 % meets ">=90:2.5": X01 gets 2.5 of 5 with no other score */
    struct par_round_results r;
    assert_int_equal(store_par_results(db, "CM", "", &r, &e), 0);
    struct par_unit_result *x01 = par_results_find(r.res, "X01");
    assert_int_equal(x01->total, P("2.5"));
    assert_int_equal(x01->area[1], P("2.5"));
    assert_int_equal(par_results_find(r.res, "X02")->missing, 6);
    assert_int_equal(par_results_find(r.res, "X04")->missing, 5); /* 2.1 has its 0 points */
    store_par_results_free(&r);
}

/* ---- a full round against last year's ------------------------------------------------- */

static void run_round(const char *code, int year, const char *scores, const char *survey_file)
{
    struct err e = {0};
    struct par_survey_row rows[64];
    new_round(code, year, NULL);
    int n = load_scores(code, scores, rows);
    if (survey_file) {
        struct par_set *set;
        struct par_survey_row *r2;
        if (store_par_set_load(db, "T1", &set, &e)) fail_msg("%s", e.msg);
        int n2 = read_survey(survey_file, set, &r2, &e);
        if (n2 < 0) fail_msg("%s", e.msg);
        memcpy(rows + n, r2, sizeof *r2 * (size_t)n2);
        n += n2;
        free(r2);
        par_set_free(set);
    }
    if (store_par_survey_import(db, code, rows, n, "xhh", at("2025-03-15T08:00"), &e))
        fail_msg("survey %s: %s", code, e.msg);
}

static void check_results(const struct par_round_results *r)
{
    FILE *f = fopen(data_path("round/expected-2025.csv"), "r");
    if (!f) fail_msg("expected-2025.csv");
    char line[512], *fl[16] = {0};
    int row = 0, header = 1;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        if (header) {
            header = 0;
            continue;
        }
        assert_int_equal(split(line, ',', fl, 16), 15);
        const struct par_unit_result *u = &r->res->u[row++];
        assert_string_equal(u->code, fl[0]);
        assert_int_equal(u->rank, atoi(fl[1]));
        assert_int_equal(u->total, P(fl[2]));
        assert_int_equal(u->index, P(fl[3]));
        for (int a = 0; a < 3; a++)
            assert_int_equal(u->area[a], P(fl[4 + a]));
        assert_int_equal(u->missing, atoi(fl[7]));
        static const char *const prev[] = {"none", "one", "merged"};
        assert_string_equal(prev[u->prev], fl[8]);
        assert_int_equal(u->prev_rank, atoi(fl[9]));
        assert_int_equal(u->rank_change, atoi(fl[10]));
        assert_int_equal(u->prev ? u->prev_index : 0, P(fl[11]));
        assert_int_equal(u->prev ? u->index_change : 0, P(fl[12]));
        assert_int_equal(u->has_target ? u->target_rank : 0, atoi(fl[13]));
        assert_int_equal(u->has_target ? u->target_met : -2, atoi(fl[14]));
    }
    fclose(f);
    assert_int_equal(row, r->res->n);
}

static void test_results_against_last_year(void **state)
{
    (void)state;
    struct err e = {0};
    run_round("R2024", 2024, "round/scores-2024.csv", NULL);
    struct par_round_results r;
    assert_int_equal(store_par_results(db, "R2024", NULL, &r, &e), 0);
    static const char *const order[] = {"X03", "X01", "X02", "OLD1", "OLD2"};
    static const char *const total[] = {"45", "40", "35", "30", "20"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(r.res->u[i].code, order[i]);
        assert_int_equal(r.res->u[i].total, P(total[i]));
        assert_int_equal(r.res->u[i].rank, i + 1);
    }
    assert_string_equal(r.previous, ""); /* no published 2023 round */
    store_par_results_free(&r);
    assert_int_equal(
        store_par_round_publish(db, "R2024", "admin", at("2025-04-01T09:00"), NULL, &e), 0);

    run_round("R2025", 2025, "round/scores-2025.csv", "round/survey-2025.csv");
    struct par_target *t;
    int nt;
    assert_int_equal(par_io_read_targets(data_path("round/targets-2025.csv"), &t, &nt, &e), 0);
    assert_int_equal(store_par_targets_put(db, "R2025", t, nt, &e), 0);
    par_io_free_targets(t, nt);
    assert_int_equal(store_par_results(db, "R2025", NULL, &r, &e), 0);
    assert_string_equal(r.previous, "R2024");
    assert_int_equal(r.res->prev_unmatched, 0); /* OLD1 and OLD2 matched through X04 */
    check_results(&r);
    store_par_results_free(&r);
    /* naming a round that is not published is refused */
    assert_int_equal(store_par_results(db, "R2025", "CM", &r, &e), ERR_CONFLICT);
    assert_null(r.res);
}

/* Publishing freezes: every write is refused and the results stay those published, even when
 * a dossier changes the live statistics afterwards. */
static void test_published_is_frozen(void **state)
{
    (void)state;
    struct err e = {0};
    char before[8192], after[8192];
    assert_int_equal(
        store_par_round_publish(db, "R2025", "chu.tich", at("2026-01-20T09:00"), NULL, &e), 0);
    dump("R2025", before);
    assert_int_equal(score("R2025", "X05", "1.1", PAR_SELF, "4", "t", &e), ERR_CONFLICT);
    assert_string_equal(e.msg,
                        "round 'R2025' is published: its scores are frozen and cannot be changed");
    assert_int_equal(score("R2025", "X01", "1.1", PAR_APPRAISED, "4", "t", &e), ERR_CONFLICT);
    struct par_survey_row row = {"X05", "3.1", 1000, "x"};
    assert_int_equal(store_par_survey_import(db, "R2025", &row, 1, "xhh", 0, &e), ERR_CONFLICT);
    struct par_evidence ev;
    assert_int_equal(evidence_add("R2025", "muon.pdf", PDF, sizeof PDF - 1, 0, &ev, &e),
                     ERR_CONFLICT);
    struct par_target tg = {.code = "X05", .rank = 1, .index = PAR_NONE, .where = "t"};
    assert_int_equal(store_par_targets_put(db, "R2025", &tg, 1, &e), ERR_CONFLICT);
    assert_int_equal(store_par_round_close_phase(db, "R2025", NULL, "t", 0, NULL, &e),
                     ERR_CONFLICT);
    assert_int_equal(store_par_round_publish(db, "R2025", "t", 0, NULL, &e), ERR_CONFLICT);
    dump("R2025", after);
    assert_string_equal(before, after);
    /* a late dossier of X01 finished in December 2025 would bring it to 9/11 = 81.8 % -> 0 */
    struct dossier_intake in = {.unit = "X01",
                                .procedure = "1.001193",
                                .channel = CHANNEL_ONLINE,
                                .at = at("2025-11-03T08:00"),
                                .actor = "cb.motcua",
                                .receive = 1};
    snprintf(in.applicant.name, sizeof in.applicant.name, "Lê Văn Muộn");
    struct dossier d;
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), 0);
    act(d.code, DA_ADVANCE, in.at + 10);
    act(d.code, DA_ADVANCE, in.at + 20);
    act(d.code, DA_FINISH, at("2025-12-15T09:00"));
    struct mlist l = {0};
    assert_int_equal(store_par_metrics(db, "R2025", "X01", keep_metric, &l, &e), 0);
    assert_int_equal(l.n, 1);
    assert_true(l.m[0].frozen);
    assert_int_equal(l.m[0].den, 10);
    struct dcodes dc = {0};
    assert_int_equal(store_par_metric_dossiers(db, "R2025", "X01", "2.1", keep_dossier, &dc, &e),
                     0);
    assert_int_equal(dc.n, 10);
    struct par_round_results r;
    assert_int_equal(store_par_results(db, "R2025", NULL, &r, &e), 0);
    check_results(&r);
    store_par_results_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phases),
        cmocka_unit_test(test_bad_scores_change_nothing),
        cmocka_unit_test(test_rescored_appraisal_keeps_history),
        cmocka_unit_test(test_evidence),
        cmocka_unit_test(test_survey_all_or_nothing),
        cmocka_unit_test(test_computed_from_dossiers),
        /* these two run in this order: the second publishes the round the first built */
        cmocka_unit_test(test_results_against_last_year),
        cmocka_unit_test(test_published_is_frozen),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
