/* cmd_par_round.c — `cchc par` on the database: import a criteria set, create and move a round
 * through its phases (self-assessment → appraisal → survey → published), score (self or
 * appraised, with history), attach and fetch evidence, import survey points and targets, show
 * computed criteria with the dossiers behind them, and print results (table, CSV, JSON, XLSX).
 * A thin client of store.h (sqlite_par*.c) and par_io.h; docs/par.md describes it. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "par_cli.h"
#include "par_io.h"
#include "store.h"

void par_round_usage(FILE *f)
{
    fprintf(
        f,
        "\nOn the database (--db FILE, else $CCHC_DB, else cchc.db; --actor WHO, else $USER;\n"
        "--at YYYY-MM-DDTHH:MM, else now):\n"
        "       cchc par import-set FILE\n"
        "       cchc par round create R --year Y --set CODE[@VERSION] [--title T]\n"
        "                [--units A,B,… | --kind K[,K…]] [--under UNIT] [--period P]\n"
        "       cchc par round list | show R\n"
        "       cchc par round close-phase R [--phase self|appraisal]\n"
        "       cchc par round publish R\n"
        "       cchc par score --round R --unit U --node N (--self X | --appraised X)\n"
        "                [--comment TEXT]\n"
        "       cchc par history --round R --unit U [--node N]\n"
        "       cchc par evidence add --round R --unit U --node N FILE [--name NAME]\n"
        "                [--max-mib N]\n"
        "       cchc par evidence list --round R [--unit U] [--node N]\n"
        "       cchc par evidence get ID --out FILE\n"
        "       cchc par survey import --round R FILE     (CSV unit,node,survey)\n"
        "       cchc par target import --round R FILE     (CSV unit and up|rank|index)\n"
        "       cchc par metrics --round R [--unit U]\n"
        "       cchc par dossiers --round R --unit U --node N\n"
        "       cchc par results --round R [--previous R0 | --no-previous]\n"
        "                [--format table|csv|json|xlsx] [--out FILE]\n"
        "Phases: self scores in 'self', appraised scores and evidence in 'appraisal' (evidence\n"
        "also in 'self'), survey points in 'survey'; a published round refuses every write.\n"
        "Units of a round: the list, else every unit of the kinds (default: the set's scope)\n"
        "existing on the period's last day (period: the year unless --period is given).\n"
        "Evidence: %s, at most 20 MiB unless --max-mib.\n",
        par_evidence_extensions());
}

/* ---- options --------------------------------------------------------------------------- */

struct popts {
    const char *db, *actor, *at, *round, *unit, *node, *self, *appraised, *comment, *format, *out,
        *previous, *year, *set, *kind, *units, *under, *period, *title, *phase, *max_mib, *name;
    int no_previous;
    const char *pos[4];
    int npos;
};

static const struct {
    const char *flag;
    size_t off;
} flags[] = {
    {"--db", offsetof(struct popts, db)},
    {"--actor", offsetof(struct popts, actor)},
    {"--at", offsetof(struct popts, at)},
    {"--round", offsetof(struct popts, round)},
    {"--unit", offsetof(struct popts, unit)},
    {"--node", offsetof(struct popts, node)},
    {"--self", offsetof(struct popts, self)},
    {"--appraised", offsetof(struct popts, appraised)},
    {"--comment", offsetof(struct popts, comment)},
    {"--format", offsetof(struct popts, format)},
    {"--out", offsetof(struct popts, out)},
    {"--previous", offsetof(struct popts, previous)},
    {"--year", offsetof(struct popts, year)},
    {"--set", offsetof(struct popts, set)},
    {"--kind", offsetof(struct popts, kind)},
    {"--units", offsetof(struct popts, units)},
    {"--under", offsetof(struct popts, under)},
    {"--period", offsetof(struct popts, period)},
    {"--title", offsetof(struct popts, title)},
    {"--phase", offsetof(struct popts, phase)},
    {"--max-mib", offsetof(struct popts, max_mib)},
    {"--name", offsetof(struct popts, name)},
};

/* Parses argv[first..]; allowed is a space-separated list of the flags the subcommand takes
 * ("--db" and "--actor" are always allowed), maxpos the positional arguments. */
static int opts_parse(int argc, char **argv, int first, const char *allowed, int maxpos,
                      struct popts *o, struct err *e)
{
    memset(o, 0, sizeof *o);
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            if (o->npos == maxpos)
                return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)",
                               a);
            o->pos[o->npos++] = a;
            continue;
        }
        if (!strcmp(a, "--no-previous") && strstr(allowed, "--previous")) {
            o->no_previous = 1;
            continue;
        }
        size_t k = 0;
        while (k < sizeof flags / sizeof flags[0] && strcmp(flags[k].flag, a))
            k++;
        char word[24];
        snprintf(word, sizeof word, "%s ", a);
        int ok =
            k < sizeof flags / sizeof flags[0] && (!strcmp(a, "--db") || !strcmp(a, "--actor") ||
                                                   !strcmp(a, "--at") || strstr(allowed, word));
        if (!ok)
            return err_set(e, ERR_INVALID, "argument", "unexpected option '%s' (see --help)", a);
        if (i + 1 >= argc) return err_set(e, ERR_INVALID, "argument", "%s needs a value", a);
        const char **slot = (const char **)((char *)o + flags[k].off);
        if (*slot) return err_set(e, ERR_INVALID, "argument", "%s given twice", a);
        *slot = argv[++i];
    }
    return 0;
}

static int need(const char *v, const char *flag, const char *cmd, struct err *e)
{
    if (v && *v) return 0;
    return err_set(e, ERR_INVALID, "argument", "%s needs %s", cmd, flag);
}

static const char *actor_of(const struct popts *o)
{
    if (o->actor && *o->actor) return o->actor;
    const char *u = getenv("USER");
    return u && *u ? u : "cli";
}

static int when(const struct popts *o, int64_t *out, struct err *e)
{
    if (o->at) return instant_parse(o->at, out, "--at", e);
    *out = ((int64_t)time(NULL) + 7 * 3600) / 60; /* local civil minutes, UTC+7 */
    return 0;
}

static char *fmt_instant(int64_t t, char *buf)
{
    return t ? instant_format(t, buf) : strcpy(buf, "—");
}

static void print_problem(void *ctx, const struct err *problem)
{
    (*(int *)ctx)++;
    fprintf(stderr, "cchc par: %s\n", problem->msg);
}

/* Opens the store and runs fn; prints the error of a failure. */
typedef int (*db_fn)(struct store *s, const struct popts *o, struct err *e);
static int with_store(const struct popts *o, db_fn fn)
{
    struct store *s;
    struct err e = {0};
    int st = cli_store_open("par", o->db, 0, &s);
    if (st) return st;
    int rc = fn(s, o, &e);
    store_close(s);
    if (rc < 0) return EXIT_BADINPUT; /* problems already printed */
    return rc ? cli_fail("par", &e) : 0;
}

/* ---- import-set ------------------------------------------------------------------------ */

static int import_set_run(struct store *s, const struct popts *o, struct err *e)
{
    struct par_set *set;
    int printed = 0, rc = par_io_read_set(o->pos[0], &set, print_problem, &printed, e);
    if (rc == ERR_INVALID && printed) return -1;
    if (rc) return rc;
    int64_t at;
    if (!(rc = when(o, &at, e))) rc = store_par_set_import(s, set, actor_of(o), at, e);
    if (!rc) {
        char b[40];
        printf("Đã nhập bộ tiêu chí %s (phiên bản %s, năm %d): %d lĩnh vực, %d tiêu chí lá, tối "
               "đa %s điểm\n",
               set->code, set->version[0] ? set->version : "—", set->year, set->nareas,
               set->nleaves, par_pts_vi(set->max, 2, b));
    }
    par_set_free(set);
    return rc;
}

int par_cmd_import_set(int argc, char **argv)
{
    struct popts o;
    struct err e = {0};
    if (opts_parse(argc, argv, 1, "", 1, &o, &e) ||
        (!o.npos && need(NULL, "FILE", "import-set", &e)))
        return cli_fail("par", &e);
    return with_store(&o, import_set_run);
}

/* ---- round ----------------------------------------------------------------------------- */

static void print_round_line(const struct par_round *r)
{
    printf("%s\t%d\t%s%s%s\t%s\t%d\t%s\n", r->code, r->year, r->set_code,
           r->set_version[0] ? "@" : "", r->set_version, par_phase_name(r->phase), r->nunits,
           r->title);
}

static int round_line(const struct par_round *r, void *ctx)
{
    (*(int *)ctx)++;
    print_round_line(r);
    return 0;
}

static int round_list_run(struct store *s, const struct popts *o, struct err *e)
{
    (void)o;
    int n = 0;
    printf("round\tyear\tset\tphase\tunits\ttitle\n");
    return store_par_round_list(s, round_line, &n, e);
}

static void print_round(const struct par_round *r)
{
    char a[20], b[20];
    printf("Đợt đánh giá %s%s%s\n", r->code, r->title[0] ? ": " : "", r->title);
    printf("Năm %d; bộ tiêu chí %s%s%s; số liệu hồ sơ từ %s đến %s\n", r->year, r->set_code,
           r->set_version[0] ? " phiên bản " : "", r->set_version, day_format(r->period_from, a),
           day_format(r->period_to, b));
    printf("Giai đoạn hiện tại: %s (%s)\n", par_phase_label(r->phase), par_phase_name(r->phase));
    printf("Tạo lúc %s bởi %s; %d đơn vị\n", fmt_instant(r->created_at, a), r->created_by,
           r->nunits);
    for (int p = 0; p < PAR_PHASE_PUBLISHED; p++) {
        if (r->closed_at[p])
            printf("  %s: kết thúc %s bởi %s\n", par_phase_label(p),
                   fmt_instant(r->closed_at[p], a), r->closed_by[p]);
        else
            printf("  %s: %s\n", par_phase_label(p), p == (int)r->phase ? "đang mở" : "—");
    }
    if (r->phase == PAR_PHASE_PUBLISHED)
        printf("  Công bố lúc %s bởi %s: điểm đã khóa\n",
               fmt_instant(r->closed_at[PAR_PHASE_SURVEY], a), r->closed_by[PAR_PHASE_SURVEY]);
}

static int unit_line(const struct unit *u, void *ctx)
{
    (void)ctx;
    printf("  %s\t%s\t%s\n", u->code, unit_kind_name(u->kind), u->name);
    return 0;
}

static int round_show_run(struct store *s, const struct popts *o, struct err *e)
{
    struct par_round r;
    int rc = store_par_round_get(s, o->pos[1], &r, e);
    if (rc) return rc;
    print_round(&r);
    printf("Đơn vị:\n");
    return store_par_round_units(s, r.code, unit_line, NULL, e);
}

/* Splits "A,B,C" into a NULL-terminated array pointing into buf. */
static int split_units(const char *list, char *buf, size_t n, const char **out, int max, int *count,
                       struct err *e)
{
    if (strlen(list) >= n) return err_set(e, ERR_INVALID, "--units", "--units: list too long");
    snprintf(buf, n, "%s", list);
    *count = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (*count == max)
            return err_set(e, ERR_INVALID, "--units", "--units: more than %d units; use --kind",
                           max);
        out[(*count)++] = t;
    }
    return *count ? 0 : err_set(e, ERR_INVALID, "--units", "--units: no unit given");
}

static int round_create_run(struct store *s, const struct popts *o, struct err *e)
{
    static char buf[8192];
    static const char *units[512];
    struct par_round_new in = {.code = o->pos[1],
                               .title = o->title,
                               .set = o->set,
                               .kinds = o->kind,
                               .under = o->under,
                               .actor = actor_of(o),
                               .period_from = INT64_MIN,
                               .period_to = INT64_MIN};
    char *end = NULL;
    long y = o->year ? strtol(o->year, &end, 10) : 0;
    if (!o->year || !*o->year || *end || y < 2000 || y > 2100)
        return err_set(e, ERR_INVALID, "--year", "--year: '%s' is not a year between 2000 and 2100",
                       o->year ? o->year : "");
    in.year = (int)y;
    int rc = when(o, &in.at, e);
    if (!rc && o->period) rc = stats_period_parse(o->period, &in.period_from, &in.period_to, e);
    if (!rc && o->units) rc = split_units(o->units, buf, sizeof buf, units, 512, &in.nunits, e);
    in.units = units;
    struct par_round r;
    if (!rc) rc = store_par_round_create(s, &in, &r, e);
    if (!rc) print_round(&r);
    return rc;
}

static int round_phase_run(struct store *s, const struct popts *o, struct err *e)
{
    int64_t at;
    struct par_round r;
    int publish = !strcmp(o->pos[0], "publish");
    int rc = when(o, &at, e);
    if (!rc)
        rc = publish ? store_par_round_publish(s, o->pos[1], actor_of(o), at, &r, e)
                     : store_par_round_close_phase(s, o->pos[1], o->phase, actor_of(o), at, &r, e);
    if (rc) return rc;
    if (publish)
        printf("Đã công bố đợt %s; điểm đã khóa.\n", r.code);
    else
        printf("Đã kết thúc giai đoạn %s của đợt %s; giai đoạn hiện tại: %s (%s).\n",
               par_phase_label((enum par_phase)(r.phase - 1)), r.code, par_phase_label(r.phase),
               par_phase_name(r.phase));
    return 0;
}

int par_cmd_round(int argc, char **argv)
{
    struct popts o;
    struct err e = {0};
    const char *sub = argc > 1 ? argv[1] : "";
    struct {
        const char *name, *allowed;
        int npos;
        db_fn fn;
    } subs[] = {
        {"create", "--year --set --title --units --kind --under --period ", 2, round_create_run},
        {"list", "", 1, round_list_run},
        {"show", "", 2, round_show_run},
        {"close-phase", "--phase ", 2, round_phase_run},
        {"publish", "", 2, round_phase_run},
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(sub, subs[i].name)) continue;
        if (opts_parse(argc, argv, 1, subs[i].allowed, subs[i].npos, &o, &e))
            return cli_fail("par", &e);
        if (o.npos < subs[i].npos) {
            err_set(&e, ERR_INVALID, "argument", "round %s needs the round's code R", sub);
            return cli_fail("par", &e);
        }
        return with_store(&o, subs[i].fn);
    }
    err_set(&e, ERR_INVALID, "subcommand",
            "round: '%s' is not one of create, list, show, close-phase, publish", sub);
    return cli_fail("par", &e);
}

/* ---- score and history ----------------------------------------------------------------- */

static int score_run(struct store *s, const struct popts *o, struct err *e)
{
    struct par_score_in in = {.round = o->round,
                              .unit = o->unit,
                              .node = o->node,
                              .kind = o->self ? PAR_SELF : PAR_APPRAISED,
                              .comment = o->comment,
                              .actor = actor_of(o)};
    const char *flag = o->self ? "--self" : "--appraised";
    int rc =
        par_decimal_parse(o->self ? o->self : o->appraised, PAR_DEC_MAX, 0, &in.points, flag, e);
    if (!rc) rc = when(o, &in.at, e);
    if (!rc) rc = store_par_score_put(s, &in, e);
    char b[40];
    if (!rc)
        printf("%s %s, tiêu chí %s: %s %s điểm\n", o->round, o->unit, o->node,
               o->self ? "tự chấm" : "thẩm định", par_pts_vi(in.points, 2, b));
    return rc;
}

int par_cmd_score(int argc, char **argv)
{
    struct popts o;
    struct err e = {0};
    int rc =
        opts_parse(argc, argv, 1, "--round --unit --node --self --appraised --comment ", 0, &o, &e);
    if (!rc) rc = need(o.round, "--round R", "score", &e);
    if (!rc) rc = need(o.unit, "--unit U", "score", &e);
    if (!rc) rc = need(o.node, "--node N", "score", &e);
    if (!rc && !o.self == !o.appraised)
        rc = err_set(&e, ERR_INVALID, "argument",
                     "score needs exactly one of --self X or "
                     "--appraised X");
    return rc ? cli_fail("par", &e) : with_store(&o, score_run);
}

static int history_line(const struct par_score_change *c, void *ctx)
{
    (void)ctx;
    char a[20], b[32], d[32];
    printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", fmt_instant(c->at, a), c->node, par_kind_name(c->kind),
           c->old_points == PAR_NONE ? "—" : par_pts_format(c->old_points, 2, b),
           par_pts_format(c->new_points, 2, d), c->actor, c->comment);
    return 0;
}

static int history_run(struct store *s, const struct popts *o, struct err *e)
{
    printf("at\tnode\tkind\told\tnew\tactor\tcomment\n");
    return store_par_score_history(s, o->round, o->unit, o->node, history_line, NULL, e);
}

int par_cmd_history(int argc, char **argv)
{
    struct popts o;
    struct err e = {0};
    int rc = opts_parse(argc, argv, 1, "--round --unit --node ", 0, &o, &e);
    if (!rc) rc = need(o.round, "--round R", "history", &e);
    if (!rc) rc = need(o.unit, "--unit U", "history", &e);
    return rc ? cli_fail("par", &e) : with_store(&o, history_run);
}

/* ---- evidence -------------------------------------------------------------------------- */

static int read_file(const char *path, int64_t max, void **data, int64_t *size, struct err *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(e, ERR_IO, "file", "%s: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode)) return err_set(e, ERR_INVALID, "file", "%s: not a file", path);
    *size = (int64_t)st.st_size;
    *data = NULL;
    if (*size > max || *size == 0) return 0; /* refused by the store's check, unread */
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, ERR_IO, "file", "%s: cannot open: %s", path, strerror(errno));
    *data = malloc((size_t)*size);
    int rc = 0;
    if (!*data)
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
    else if (fread(*data, 1, (size_t)*size, f) != (size_t)*size)
        rc = err_set(e, ERR_IO, "file", "%s: read error", path);
    fclose(f);
    return rc;
}

static int evidence_add_run(struct store *s, const struct popts *o, struct err *e)
{
    int64_t max = PAR_EVIDENCE_MAX_DEFAULT;
    if (o->max_mib) {
        char *end;
        long m = strtol(o->max_mib, &end, 10);
        if (!*o->max_mib || *end || m < 1 || m > (PAR_EVIDENCE_MAX_LIMIT >> 20))
            return err_set(e, ERR_INVALID, "--max-mib",
                           "--max-mib: '%s' is not a whole number of MiB from 1 to %d", o->max_mib,
                           PAR_EVIDENCE_MAX_LIMIT >> 20);
        max = (int64_t)m << 20;
    }
    const char *path = o->pos[1];
    const char *base = strrchr(path, '/');
    struct par_evidence_in in = {.round = o->round,
                                 .unit = o->unit,
                                 .node = o->node,
                                 .name = o->name ? o->name
                                         : base  ? base + 1
                                                 : path,
                                 .max_size = max,
                                 .actor = actor_of(o)};
    void *data = NULL;
    int rc = when(o, &in.at, e);
    if (!rc) rc = read_file(path, max, &data, &in.size, e);
    in.data = data;
    struct par_evidence ev;
    if (!rc) rc = store_par_evidence_add(s, &in, &ev, e);
    if (!rc)
        printf("#%lld\t%s\t%s\t%lld\tsha256:%s\n", (long long)ev.id, ev.name, ev.mime,
               (long long)ev.size, ev.sha256);
    free(data);
    return rc;
}

static int evidence_line(const struct par_evidence *ev, void *ctx)
{
    (void)ctx;
    char a[20];
    printf("%lld\t%s\t%s\t%s\t%s\t%lld\t%s\t%s\t%s\n", (long long)ev->id, ev->unit, ev->node,
           ev->name, ev->mime, (long long)ev->size, ev->sha256, fmt_instant(ev->added_at, a),
           ev->added_by);
    return 0;
}

static int evidence_list_run(struct store *s, const struct popts *o, struct err *e)
{
    printf("id\tunit\tnode\tname\ttype\tbytes\tsha256\tadded_at\tadded_by\n");
    return store_par_evidence_list(s, o->round, o->unit, o->node, evidence_line, NULL, e);
}

static int evidence_get_run(struct store *s, const struct popts *o, struct err *e)
{
    char *end;
    long long id = strtoll(o->pos[1], &end, 10);
    if (!*o->pos[1] || *end || id <= 0)
        return err_set(e, ERR_INVALID, "id", "evidence id '%s' is not a positive number",
                       o->pos[1]);
    struct par_evidence ev;
    void *data = NULL;
    int rc = store_par_evidence_get(s, id, &ev, &data, e);
    if (rc) return rc;
    FILE *f = fopen(o->out, "wb");
    if (!f)
        rc = err_set(e, ERR_IO, "--out", "%s: cannot create: %s", o->out, strerror(errno));
    else if (fwrite(data, 1, (size_t)ev.size, f) != (size_t)ev.size || fclose(f) != 0)
        rc = err_set(e, ERR_IO, "--out", "%s: write error", o->out);
    else
        printf("%s\t%s\t%lld\tsha256:%s\n", o->out, ev.mime, (long long)ev.size, ev.sha256);
    free(data);
    return rc;
}

int par_cmd_evidence(int argc, char **argv)
{
    struct popts o;
    struct err e = {0};
    const char *sub = argc > 1 ? argv[1] : "";
    int rc;
    if (!strcmp(sub, "add")) {
        rc = opts_parse(argc, argv, 1, "--round --unit --node --name --max-mib ", 2, &o, &e);
        if (!rc) rc = need(o.round, "--round R", "evidence add", &e);
        if (!rc) rc = need(o.unit, "--unit U", "evidence add", &e);
        if (!rc) rc = need(o.node, "--node N", "evidence add", &e);
        if (!rc) rc = need(o.npos == 2 ? o.pos[1] : NULL, "FILE", "evidence add", &e);
        return rc ? cli_fail("par", &e) : with_store(&o, evidence_add_run);
    }
    if (!strcmp(sub, "list")) {
        rc = opts_parse(argc, argv, 1, "--round --unit --node ", 1, &o, &e);
        if (!rc) rc = need(o.round, "--round R", "evidence list", &e);
        return rc ? cli_fail("par", &e) : with_store(&o, evidence_list_run);
    }
    if (!strcmp(sub, "get")) {
        rc = opts_parse(argc, argv, 1, "--out ", 2, &o, &e);
        if (!rc) rc = need(o.npos == 2 ? o.pos[1] : NULL, "ID", "evidence get", &e);
        if (!rc) rc = need(o.out, "--out FILE", "evidence get", &e);
        return rc ? cli_fail("par", &e) : with_store(&o, evidence_get_run);
    }
    err_set(&e, ERR_INVALID, "subcommand", "evidence: '%s' is not one of add, list, get", sub);
    return cli_fail("par", &e);
}

/* ---- survey and targets ---------------------------------------------------------------- */

static int round_set(struct store *s, const char *round, struct par_set **set, struct err *e)
{
    struct par_round r;
    char ref[PAR_CODE_MAX + 40];
    int rc = store_par_round_get(s, round, &r, e);
    if (rc) return rc;
    snprintf(ref, sizeof ref, "%s@%s", r.set_code, r.set_version);
    return store_par_set_load(s, ref, set, e);
}

static int survey_run(struct store *s, const struct popts *o, struct err *e)
{
    struct par_set *set;
    struct par_survey_row *rows = NULL;
    int n = 0, printed = 0;
    int64_t at;
    struct par_round r;
    int rc = store_par_round_get(s, o->round, &r, e);
    if (!rc) rc = par_phase_allows(r.code, r.phase, PAR_SURVEYED, e); /* before reading FILE */
    if (!rc) rc = round_set(s, o->round, &set, e);
    if (rc) return rc;
    rc = par_io_read_survey(o->pos[1], set, &rows, &n, print_problem, &printed, e);
    if (!rc) rc = when(o, &at, e);
    if (!rc) rc = store_par_survey_import(s, o->round, rows, n, actor_of(o), at, e);
    if (!rc) printf("Đã nhập %d điểm điều tra xã hội học vào đợt %s\n", n, o->round);
    free(rows);
    par_set_free(set);
    return rc == ERR_INVALID && printed ? -1 : rc;
}

static int target_run(struct store *s, const struct popts *o, struct err *e)
{
    struct par_target *t = NULL;
    int n = 0;
    int rc = par_io_read_targets(o->pos[1], &t, &n, e);
    if (!rc) rc = store_par_targets_put(s, o->round, t, n, e);
    if (!rc) printf("Đã lưu %d mục tiêu của đợt %s\n", n, o->round);
    if (t) par_io_free_targets(t, n);
    return rc;
}

static int import_cmd(int argc, char **argv, const char *what, db_fn fn)
{
    struct popts o;
    struct err e = {0};
    if (argc < 2 || strcmp(argv[1], "import")) {
        err_set(&e, ERR_INVALID, "subcommand", "%s: the only subcommand is import", what);
        return cli_fail("par", &e);
    }
    int rc = opts_parse(argc, argv, 1, "--round ", 2, &o, &e);
    if (!rc) rc = need(o.round, "--round R", what, &e);
    if (!rc) rc = need(o.npos == 2 ? o.pos[1] : NULL, "FILE", what, &e);
    return rc ? cli_fail("par", &e) : with_store(&o, fn);
}

int par_cmd_survey(int argc, char **argv)
{
    return import_cmd(argc, argv, "survey import", survey_run);
}

int par_cmd_target(int argc, char **argv)
{
    return import_cmd(argc, argv, "target import", target_run);
}

/* ---- computed criteria ----------------------------------------------------------------- */

static int metric_line(const struct par_metric *m, void *ctx)
{
    (void)ctx;
    char b[40];
    printf("%s\t%s\t%s\t%s\t%lld\t%lld\t%s\t%s\n", m->unit, m->node, m->metric,
           !m->known              ? "n/a"
           : m->value == PAR_NONE ? "—"
                                  : par_pts_format(m->value, 1, b),
           (long long)m->num, (long long)m->den, m->denom, m->frozen ? "frozen" : "live");
    return 0;
}

static int metrics_run(struct store *s, const struct popts *o, struct err *e)
{
    printf("unit\tnode\tmetric\tpercent\tnum\tden\tdenominator\tsource\n");
    return store_par_metrics(s, o->round, o->unit, metric_line, NULL, e);
}

int par_cmd_metrics(int argc, char **argv)
{
    struct popts o;
    struct err e = {0};
    int rc = opts_parse(argc, argv, 1, "--round --unit ", 0, &o, &e);
    if (!rc) rc = need(o.round, "--round R", "metrics", &e);
    return rc ? cli_fail("par", &e) : with_store(&o, metrics_run);
}

static int dossier_line(const char *code, int in_num, void *ctx)
{
    (void)ctx;
    printf("%s\t%s\n", code, in_num ? "num" : "den");
    return 0;
}

static int dossiers_run(struct store *s, const struct popts *o, struct err *e)
{
    return store_par_metric_dossiers(s, o->round, o->unit, o->node, dossier_line, NULL, e);
}

int par_cmd_dossiers(int argc, char **argv)
{
    struct popts o;
    struct err e = {0};
    int rc = opts_parse(argc, argv, 1, "--round --unit --node ", 0, &o, &e);
    if (!rc) rc = need(o.round, "--round R", "dossiers", &e);
    if (!rc) rc = need(o.unit, "--unit U", "dossiers", &e);
    if (!rc) rc = need(o.node, "--node N", "dossiers", &e);
    return rc ? cli_fail("par", &e) : with_store(&o, dossiers_run);
}

/* ---- results --------------------------------------------------------------------------- */

static int results_run(struct store *s, const struct popts *o, struct err *e)
{
    int xlsx = o->format && !strcmp(o->format, "xlsx");
    enum par_format fmt = PAR_FMT_TABLE;
    int rc = 0;
    if (!xlsx && o->format) rc = par_format_parse(o->format, 1, &fmt, e);
    if (!rc && xlsx && !o->out)
        rc = err_set(e, ERR_INVALID, "--out", "--format xlsx needs --out FILE.xlsx");
    if (rc) return rc;
    struct par_round_results r;
    const char *prev = o->no_previous ? "" : o->previous;
    if ((rc = store_par_results(s, o->round, prev, &r, e))) return rc;
    int with_prev = r.previous[0] != 0, with_targets = r.ntargets > 0;
    char title[PAR_TITLE_MAX + 120];
    par_io_round_title(title, sizeof title, r.round.year, r.round.code, r.round.title,
                       r.round.phase);
    if (xlsx) {
        rc = par_io_write_results_xlsx(o->out, r.res, title, with_prev, with_targets, e);
        if (!rc) printf("%s\n", o->out);
    } else {
        FILE *f = o->out ? fopen(o->out, "w") : stdout;
        if (!f) {
            rc = err_set(e, ERR_IO, "--out", "%s: cannot create: %s", o->out, strerror(errno));
        } else {
            if (fmt == PAR_FMT_TABLE) {
                fprintf(f, "%s\n", title);
                if (with_prev) fprintf(f, "So sánh với đợt %s\n", r.previous);
            }
            rc = par_io_write_results(f, r.res, fmt, with_prev, with_targets, e);
            if (o->out && fclose(f) != 0 && !rc)
                rc = err_set(e, ERR_IO, "--out", "%s: write error", o->out);
            if (o->out && !rc) printf("%s\n", o->out); /* as the xlsx case: where it went */
        }
    }
    store_par_results_free(&r);
    return rc;
}

int par_cmd_round_results(int argc, char **argv)
{
    struct popts o;
    struct err e = {0};
    int rc = opts_parse(argc, argv, 1, "--round --previous --format --out ", 0, &o, &e);
    if (!rc && o.previous && o.no_previous)
        rc = err_set(&e, ERR_INVALID, "argument", "give --previous R0 or --no-previous, not both");
    return rc ? cli_fail("par", &e) : with_store(&o, results_run);
}
