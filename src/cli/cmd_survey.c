/* cmd_survey.c — `cchc survey`: satisfaction (SIPAS) and competitiveness (DDCI) surveys from the
 * command line: check an instrument, size a sample, create a round (its stratified sample of
 * returned dossiers and one-time invitations), list and reissue invitations, record web and
 * paper answers (double entry and its mismatches), results per unit with intervals and ranks,
 * the anonymous answers behind them, and survey points into a PAR round's survey criteria. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "par.h"
#include "par_round.h"
#include "store.h"
#include "store_survey.h"
#include "survey.h"
#include "survey_report.h"
#include "survey_sample.h"
#include "slip_pdf.h"

#define MAX_ITEMS 256

struct opts {
    const char *db, *data, *set, *from, *to, *round, *unit, *dossier, *question, *format;
    const char *form, *stratum, *day, *actor, *previous, *par_round, *tokens, *base, *out;
    const char *units[64];
    int nunits;
    const char *items[MAX_ITEMS]; /* positional arguments after the subcommand */
    int nitems;
    double margin;
    int pass, has_seed, has_population;
    uint64_t seed;
    long population;
};

static void usage(FILE *f)
{
    fprintf(
        f, "usage: cchc survey check-set FILE\n"
           "       cchc survey size --population N [--margin 0.05]\n"
           "       cchc survey round create CODE --set FILE --from YYYY-MM-DD --to YYYY-MM-DD\n"
           "                [--margin 0.05] [--seed N] [--unit CODE]... [--tokens OUT.csv]\n"
           "                [--base URL]\n"
           "       cchc survey round list | round show CODE\n"
           "       cchc survey invitations --round R [--unit CODE]\n"
           "       cchc survey reissue --round R --dossier CODE [--base URL]\n"
           "       cchc survey answer TOKEN QUESTION=VALUE... [--day YYYY-MM-DD]\n"
           "       cchc survey paper --round R --form NO --pass 1|2 --unit CODE --stratum S\n"
           "                QUESTION=VALUE... [--day YYYY-MM-DD]\n"
           "       cchc survey mismatches --round R | forms --round R\n"
           "       cchc survey resolve --round R --form NO FIELD=VALUE...   (FIELD: unit,\n"
           "                stratum or a question the two entries differ on; VALUE - = none)\n"
           "       cchc survey notify --round R [--unit CODE]...   (invitations by the outbox)\n"
           "       cchc survey slip --dossier CODE --out FILE.pdf [--base URL]\n"
           "       cchc survey export --round R --format xlsx|pdf|csv|json --out FILE\n"
           "       cchc survey results --round R [--previous R0] [--format table|csv|json]\n"
           "       cchc survey answers --round R [--unit CODE] [--question Q]\n"
           "       cchc survey to-par --round R --par-round P PARNODE=SURVEYNODE|index...\n"
           "       cchc survey businesses --round R --unit CODE [--import FILE.csv] (DDCI)\n"
           "Every command takes [--db FILE], [--data DIR] and [--actor NAME].\n"
           "A set FILE without '/' is read from DATA/surveys/. The sample of each unit: its\n"
           "dossiers returned from --from to --to, strata field|channel|outcome, size from\n"
           "--margin (Cochran, 95 %%, finite population correction), proportional allocation,\n"
           "drawn with PCG32 from --seed (default: random, printed). Tokens are printed once\n"
           "(or written to --tokens as unit,stratum,dossier,token,link); only their hash is kept.\n"
           "to-par: points = survey %% x the PAR node's maximum, per unit, in the round's\n"
           "survey phase; SURVEYNODE is a component or criterion code of the set, or index.\n");
}

static int parse_args(int argc, char **argv, int first, struct opts *o, struct err *e)
{
    o->margin = 0.05;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = NULL;
        if (!strcmp(a, "--db"))
            slot = &o->db;
        else if (!strcmp(a, "--data"))
            slot = &o->data;
        else if (!strcmp(a, "--set"))
            slot = &o->set;
        else if (!strcmp(a, "--from"))
            slot = &o->from;
        else if (!strcmp(a, "--to"))
            slot = &o->to;
        else if (!strcmp(a, "--round"))
            slot = &o->round;
        else if (!strcmp(a, "--dossier"))
            slot = &o->dossier;
        else if (!strcmp(a, "--question"))
            slot = &o->question;
        else if (!strcmp(a, "--format"))
            slot = &o->format;
        else if (!strcmp(a, "--form"))
            slot = &o->form;
        else if (!strcmp(a, "--stratum"))
            slot = &o->stratum;
        else if (!strcmp(a, "--day"))
            slot = &o->day;
        else if (!strcmp(a, "--actor"))
            slot = &o->actor;
        else if (!strcmp(a, "--previous"))
            slot = &o->previous;
        else if (!strcmp(a, "--par-round"))
            slot = &o->par_round;
        else if (!strcmp(a, "--tokens"))
            slot = &o->tokens;
        else if (!strcmp(a, "--base"))
            slot = &o->base;
        else if (!strcmp(a, "--out"))
            slot = &o->out;
        if (slot) {
            if (!v) return err_set(e, ERR_INVALID, a, "%s needs a value", a);
            *slot = v;
            i++;
            continue;
        }
        if (!strcmp(a, "--unit")) {
            if (!v) return err_set(e, ERR_INVALID, a, "%s needs a value", a);
            if (o->nunits == 64) return err_set(e, ERR_INVALID, a, "at most 64 units");
            o->unit = o->units[o->nunits++] = v;
            i++;
        } else if (!strcmp(a, "--margin") || !strcmp(a, "--seed") || !strcmp(a, "--pass") ||
                   !strcmp(a, "--population")) {
            if (!v) return err_set(e, ERR_INVALID, a, "%s needs a value", a);
            char *end;
            i++;
            if (!strcmp(a, "--margin")) {
                o->margin = strtod(v, &end);
                if (*end || end == v || !(o->margin > 0 && o->margin <= 0.5))
                    return err_set(e, ERR_INVALID, "margin",
                                   "'%s': a margin of error above 0 and at most 0.5 (0.05 = ±5 "
                                   "points)",
                                   v);
            } else if (!strcmp(a, "--seed")) {
                o->seed = strtoull(v, &end, 10);
                if (*end || end == v || *v == '-')
                    return err_set(e, ERR_INVALID, "seed", "'%s': a whole number >= 0", v);
                o->has_seed = 1;
            } else if (!strcmp(a, "--pass")) {
                long p = strtol(v, &end, 10);
                if (*end || (p != 1 && p != 2))
                    return err_set(e, ERR_INVALID, "pass", "'%s': 1 or 2", v);
                o->pass = (int)p;
            } else {
                o->population = strtol(v, &end, 10);
                o->has_population = 1;
                if (*end || end == v || o->population < 0)
                    return err_set(e, ERR_INVALID, "population", "'%s': a whole number >= 0", v);
            }
        } else if (a[0] == '-' && a[1] == '-') {
            return err_set(e, ERR_INVALID, "option", "'%s': unknown option (see --help)", a);
        } else {
            if (o->nitems == MAX_ITEMS) return err_set(e, ERR_INVALID, "arguments", "too many");
            o->items[o->nitems++] = a;
        }
    }
    return 0;
}

static const char *actor_of(const struct opts *o)
{
    const char *u = o->actor ? o->actor : getenv("USER");
    return u && *u ? u : "cli";
}

static void today(char buf[16])
{
    time_t t = time(NULL) + 7 * 3600; /* UTC+7 civil day */
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(buf, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100);
}

static void print_problem(void *ctx, const char *msg)
{
    (*(int *)ctx)++;
    fprintf(stderr, "%s\n", msg);
}

/* Loads a set: a path, or a file name under DATA/surveys/. */
static int set_load(const struct opts *o, const char *file, struct survey_set *set, int *printed,
                    struct err *e)
{
    char path[1024];
    if (strchr(file, '/'))
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/surveys/%s", cli_data_dir(o->data), file);
    return survey_set_load(path, set, printed ? print_problem : NULL, printed, e);
}

static int round_set(struct store *s, const struct opts *o, struct survey_round *r,
                     struct survey_set *set, struct err *e)
{
    if (!o->round) return err_set(e, ERR_INVALID, "round", "--round R is required");
    int rc = store_survey_round_get(s, o->round, r, e);
    if (!rc) rc = set_load(o, r->set_file, set, NULL, e);
    return rc;
}

static int split_answers(const struct opts *o, int first, struct survey_answer_in *a, int *n,
                         struct err *e)
{
    static char buf[MAX_ITEMS][128];
    *n = 0;
    for (int i = first; i < o->nitems; i++) {
        const char *eq = strchr(o->items[i], '=');
        if (!eq || eq == o->items[i] || strlen(o->items[i]) >= 128)
            return err_set(e, ERR_INVALID, "answer", "'%s': QUESTION=VALUE", o->items[i]);
        snprintf(buf[*n], sizeof buf[*n], "%s", o->items[i]);
        buf[*n][eq - o->items[i]] = 0;
        a[*n].question = buf[*n];
        a[*n].value = buf[*n] + (eq - o->items[i]) + 1;
        (*n)++;
    }
    return 0;
}

/* ---- subcommands ---------------------------------------------------------------------------- */

static int check_set(const struct opts *o, struct err *e)
{
    if (o->nitems != 1) return err_set(e, ERR_INVALID, "FILE", "check-set needs one FILE");
    struct survey_set set;
    int printed = 0;
    int rc = set_load(o, o->items[0], &set, &printed, e);
    if (rc) return rc == ERR_INVALID && printed ? -1 : rc;
    printf("%s (%d, %s, %s): %s\n", set.code, set.year, set.kind, set.respondent,
           set.title ? set.title : "");
    printf("nguồn: %s\n", set.source);
    int ncomp = 0;
    for (int i = 0; i < set.nnodes; i++) {
        const struct survey_node *n = &set.nodes[i];
        ncomp += n->level == SURVEY_COMPONENT;
        printf("%*s%s  %d,%03d%%  %s", (int)(n->level - 1) * 2, "", n->code, n->weight / 1000,
               n->weight % 1000, n->text);
        if (n->level == SURVEY_QUESTION) printf("  [%s]", set.scales[n->scale].code);
        printf("\n");
    }
    printf("%d thành phần, %d câu hỏi, %d thang đo; mẫu tối thiểu %d\n", ncomp, set.nquestions,
           set.nscales, set.min_sample);
    survey_set_free(&set);
    return 0;
}

static int size_cmd(const struct opts *o, struct err *e)
{
    if (o->population < 0 || !o->has_population)
        return err_set(e, ERR_INVALID, "population", "--population N is required");
    printf("%zu\n", survey_sample_size((size_t)o->population, o->margin, 1.96));
    return 0;
}

struct tok_ctx {
    FILE *out;
    const char *base;
    long n;
};

static int tok_print(const char *unit, const char *stratum, const char *dossier, const char *token,
                     void *vc)
{
    struct tok_ctx *c = vc;
    c->n++;
    if (!c->out) return 0;
    /* a stratum holds '|' and the field's text, which may hold a comma: quote it */
    fprintf(c->out, "%s,\"%s\",%s,%s,%s#/khao-sat/%s\n", unit, stratum, dossier, token, c->base,
            token);
    return ferror(c->out) ? -1 : 0;
}

static int round_create(struct store *s, const struct opts *o, struct err *e)
{
    if (o->nitems != 2) return err_set(e, ERR_INVALID, "CODE", "round create needs one CODE");
    if (!o->set) return err_set(e, ERR_INVALID, "set", "--set FILE is required");
    struct survey_set set;
    int printed = 0;
    int rc = set_load(o, o->set, &set, &printed, e);
    if (rc) return rc == ERR_INVALID && printed ? -1 : rc;
    uint64_t seed = o->seed;
    if (!o->has_seed) {
        FILE *u = fopen("/dev/urandom", "rb");
        if (!u || fread(&seed, sizeof seed, 1, u) != 1) seed = (uint64_t)time(NULL);
        if (u) fclose(u);
        seed >>= 1; /* fits a signed 64-bit column's text everywhere */
    }
    const char *slash = strrchr(o->set, '/');
    struct survey_round_in in = {
        .code = o->items[1],
        .set_file = strchr(o->set, '/') ? o->set : (slash ? slash + 1 : o->set),
        .set = &set,
        .from = o->from,
        .to = o->to,
        .margin_pm = (int)(o->margin * 1000 + 0.5),
        .seed = seed,
        .units = o->nunits ? o->units : NULL,
        .nunits = o->nunits,
        .actor = actor_of(o),
        .at = (int64_t)time(NULL),
    };
    struct tok_ctx tc = {NULL, o->base ? o->base : "", 0};
    if (o->tokens) {
        tc.out = fopen(o->tokens, "w");
        if (!tc.out) {
            survey_set_free(&set);
            return err_set(e, ERR_IO, "tokens", "%s: cannot write", o->tokens);
        }
        fprintf(tc.out, "unit,stratum,dossier,token,link\n");
    }
    rc = store_survey_round_create(s, &in, tok_print, &tc, e);
    if (tc.out && fclose(tc.out) && !rc)
        rc = err_set(e, ERR_IO, "tokens", "%s: write failed", o->tokens);
    if (rc && o->tokens) remove(o->tokens);
    if (!rc)
        printf("Đã tạo đợt khảo sát %s (%s): %ld lời mời; hạt giống %" PRIu64 "\n", in.code,
               set.code, tc.n, seed);
    survey_set_free(&set);
    return rc;
}

static int round_print(const struct survey_round *r, void *ctx)
{
    (void)ctx;
    printf("%s\t%s\t%d\t%s..%s\t±%d,%d%%\t%" PRId64 " mời\t%" PRId64 " đã trả lời\t%" PRId64
           " phiếu\n",
           r->code, r->set_code, r->year, r->from, r->to, r->margin_pm / 10, r->margin_pm % 10,
           r->invited, r->answered, r->responses);
    return 0;
}

static int stratum_print(const struct survey_stratum_row *r, void *ctx)
{
    (void)ctx;
    printf("%s\t%s\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n", r->unit, r->stratum, r->population,
           r->sample, r->responses);
    return 0;
}

static int inv_print(const struct survey_invitation *i, void *ctx)
{
    (void)ctx;
    printf("%s\t%s\t%s\t%s\n", i->unit, i->stratum, i->answered ? "-" : i->dossier,
           i->answered ? "đã trả lời" : "chưa trả lời");
    return 0;
}

static int mismatch_print(const struct survey_mismatch *m, void *ctx)
{
    (*(int *)ctx)++;
    printf("%s\t%s\t%s\t%s\n", m->form_no, m->what, m->first, m->second);
    return 0;
}

static int answer_print(int64_t response, const char *unit, const char *stratum, const char *mode,
                        const char *question, const char *value, void *ctx)
{
    (void)ctx;
    printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\n", response, unit, stratum, mode, question, value);
    return 0;
}

static void fmt_pct(double v, char *buf, size_t n)
{
    if (v < 0) {
        snprintf(buf, n, "-");
        return;
    }
    unsigned c = (unsigned)(v * 100 + 0.5) % 100000u; /* a percentage: at most 100,00 */
    snprintf(buf, n, "%u,%02u", c / 100, c % 100);
}

static int results_cmd(struct store *s, const struct opts *o, struct err *e)
{
    struct survey_round r;
    struct survey_set set;
    int rc = round_set(s, o, &r, &set, e);
    if (rc) return rc;
    struct survey_results res, prev = {0};
    rc = store_survey_results(s, &set, o->round, &res, e);
    if (!rc && o->previous) {
        struct survey_round pr;
        struct survey_set pset;
        struct opts po = *o;
        po.round = o->previous;
        rc = round_set(s, &po, &pr, &pset, e);
        if (!rc) {
            rc = store_survey_results(s, &pset, o->previous, &prev, e);
            survey_set_free(&pset);
        }
    }
    const char *fmt = o->format ? o->format : "table";
    if (!rc && strcmp(fmt, "table") && strcmp(fmt, "csv") && strcmp(fmt, "json"))
        rc = err_set(e, ERR_INVALID, "format", "'%s': table, csv or json", fmt);
    if (rc) goto out;
    int json = !strcmp(fmt, "json"), csv = !strcmp(fmt, "csv");
    if (csv) {
        printf("unit,responses,below_min,index,ci_low,ci_high,rank,previous,change");
        for (int k = 0; k < set.nnodes; k++)
            if (set.nodes[k].level == SURVEY_COMPONENT) printf(",%s", set.nodes[k].code);
        printf("\n");
    } else if (json) {
        printf("{\"round\":\"%s\",\"set\":\"%s\",\"units\":[", r.code, set.code);
    } else {
        printf("Đơn vị\tSố phiếu\tChỉ số (%%)\tKhoảng tin cậy 95%%\tHạng\tNăm trước\tThay đổi\n");
    }
    for (size_t u = 0; u < res.nunits; u++) {
        const struct survey_unit_result *x = &res.r[u];
        double pv = -1;
        for (size_t p = 0; p < prev.nunits; p++)
            if (!strcmp(prev.unit[p], res.unit[u])) pv = prev.r[p].index;
        double ch = pv >= 0 && x->index >= 0 ? x->index - pv : 0;
        if (json) {
            printf("%s{\"unit\":\"%s\",\"responses\":%zu,\"below_min\":%s,\"index\":", u ? "," : "",
                   res.unit[u], x->n, x->below_min ? "true" : "false");
            if (x->index < 0)
                printf("null,\"half\":null");
            else
                printf("%.4f,\"half\":%.4f", x->index, x->half);
            printf(",\"rank\":%d,\"previous\":", res.rank[u]);
            if (pv < 0)
                printf("null,\"change\":null");
            else
                printf("%.4f,\"change\":%.4f", pv, ch);
            printf(",\"components\":{");
            int first = 1;
            for (int k = 0; k < set.nnodes; k++) {
                if (set.nodes[k].level == SURVEY_QUESTION) continue;
                printf("%s\"%s\":", first ? "" : ",", set.nodes[k].code);
                if (x->node[k] < 0)
                    printf("null");
                else
                    printf("%.4f", x->node[k]);
                first = 0;
            }
            printf("}}");
        } else if (csv) {
            printf("%s,%zu,%d,", res.unit[u], x->n, x->below_min);
            if (x->index < 0)
                printf(",,");
            else
                printf("%.2f,%.2f,%.2f", x->index, x->index - x->half, x->index + x->half);
            printf(",%d,", res.rank[u]);
            if (pv >= 0)
                printf("%.2f,%.2f", pv, ch);
            else
                printf(",");
            for (int k = 0; k < set.nnodes; k++)
                if (set.nodes[k].level == SURVEY_COMPONENT) {
                    if (x->node[k] < 0)
                        printf(",");
                    else
                        printf(",%.2f", x->node[k]);
                }
            printf("\n");
        } else {
            char a[16], lo[16], hi[16], pb[16], cb[16];
            fmt_pct(x->index, a, sizeof a);
            fmt_pct(x->index - x->half < 0 ? 0 : x->index - x->half, lo, sizeof lo);
            fmt_pct(x->index + x->half > 100 ? 100 : x->index + x->half, hi, sizeof hi);
            fmt_pct(pv, pb, sizeof pb);
            fmt_pct(ch < 0 ? -ch : ch, cb, sizeof cb);
            printf("%s\t%zu%s\t%s\t%s–%s\t%d\t%s\t%s%s\n", res.unit[u], x->n,
                   x->below_min ? " (dưới mẫu tối thiểu)" : "", a, x->index < 0 ? "-" : lo,
                   x->index < 0 ? "-" : hi, res.rank[u], pb,
                   pv < 0   ? ""
                   : ch < 0 ? "-"
                            : "+",
                   pv < 0 ? "-" : cb);
        }
    }
    if (json) printf("]}\n");
out:
    store_survey_results_free(&res);
    store_survey_results_free(&prev);
    survey_set_free(&set);
    return rc;
}

static int to_par(struct store *s, const struct opts *o, struct err *e)
{
    if (!o->par_round) return err_set(e, ERR_INVALID, "par-round", "--par-round P is required");
    if (o->nitems < 1) return err_set(e, ERR_INVALID, "mapping", "PARNODE=SURVEYNODE|index needed");
    const char *par[MAX_ITEMS], *node[MAX_ITEMS];
    char buf[MAX_ITEMS][128];
    for (int i = 0; i < o->nitems; i++) {
        const char *eq = strchr(o->items[i], '=');
        if (!eq || eq == o->items[i] || strlen(o->items[i]) >= sizeof buf[i])
            return err_set(e, ERR_INVALID, "mapping", "'%s': PARNODE=SURVEYNODE or PARNODE=index",
                           o->items[i]);
        snprintf(buf[i], sizeof buf[i], "%s", o->items[i]);
        buf[i][eq - o->items[i]] = 0;
        par[i] = buf[i];
        node[i] = buf[i] + (eq - o->items[i]) + 1;
    }
    struct survey_round r;
    struct survey_set set;
    int rc = round_set(s, o, &r, &set, e), n = 0;
    if (rc) return rc;
    rc = store_survey_to_par(s, &set, o->round, o->par_round, par, node, o->nitems, actor_of(o),
                             (int64_t)time(NULL), &n, e);
    if (!rc)
        printf("Đã chuyển %d điểm điều tra xã hội học từ đợt khảo sát %s vào đợt %s\n", n, o->round,
               o->par_round);
    survey_set_free(&set);
    return rc;
}

static const char *const paper_state_vi[] = {"chờ lần nhập thứ hai", "khớp, đã tính",
                                             "lệch, cần đối chiếu", "đã đối chiếu, đã tính"};

static int form_print(const struct survey_paper_form *f, void *ctx)
{
    (void)ctx;
    printf("%s\t%s\t%s\t%s\t%s\t%s\n", f->form_no, f->unit, paper_state_vi[f->state],
           f->by[0][0] ? f->by[0] : "-", f->by[1][0] ? f->by[1] : "-",
           f->resolved_by[0] ? f->resolved_by : "-");
    return 0;
}

static int unit_listed(const char *unit, void *ctx)
{
    const struct opts *o = ctx;
    for (int i = 0; i < o->nunits; i++)
        if (!strcmp(o->units[i], unit)) return 1;
    return 0;
}

static int slip_cmd(struct store *s, const struct opts *o, struct err *e)
{
    if (!o->dossier || !o->out)
        return err_set(e, ERR_INVALID, "dossier", "--dossier CODE and --out FILE.pdf are required");
    struct dossier d;
    int rc = store_dossier_get(s, o->dossier, &d, e);
    if (rc) return rc;
    if (d.st.status != DS_RESULT_READY && d.st.status != DS_RETURNED)
        return err_set(e, ERR_CONFLICT, "status", "dossier %s has no result to hand over (%s)",
                       d.code, dossier_status_name(d.st.status));
    struct unit u, pu;
    struct procedure p;
    struct err ie = {0};
    int have_u = !store_unit_get(s, d.unit, &u, &ie);
    int have_pu = have_u && u.parent[0] && !store_unit_get(s, u.parent, &pu, &ie);
    int have_p = !store_procedure_get(s, d.procedure, &p, &ie);
    char round[SURVEY_CODE_MAX], token[SURVEY_TOKEN_LEN + 1], url[512] = "", when[64] = "";
    rc = store_survey_slip_token(s, d.code, round, token, e);
    if (rc && rc != ERR_NOT_FOUND) return rc;
    if (!rc) snprintf(url, sizeof url, "%s#/khao-sat/%s", o->base ? o->base : "", token);
    if (d.st.returned_at) {
        struct ymd y = days_to_ymd(instant_day(d.st.returned_at));
        snprintf(when, sizeof when, "ngày %02d tháng %02d năm %04d", y.d, y.m, y.y);
    }
    struct result_slip sl = {have_u ? u.name : d.unit,
                             have_pu ? pu.name : "",
                             d.code,
                             have_p ? p.name : d.procedure,
                             d.applicant.name,
                             when,
                             url[0] ? url : NULL};
    unsigned char *pdf = NULL;
    size_t len = 0;
    if ((rc = slip_pdf_render(&sl, &pdf, &len, e))) return rc;
    FILE *f = fopen(o->out, "wb");
    if (!f || fwrite(pdf, 1, len, f) != len || fclose(f)) {
        if (f) fclose(f);
        free(pdf);
        return err_set(e, ERR_IO, "out", "%s: cannot write", o->out);
    }
    free(pdf);
    if (url[0])
        printf("Phiếu trả kết quả %s: có lời mời khảo sát (đợt %s)\t%s\n", o->out, round, url);
    else
        printf("Phiếu trả kết quả %s: hồ sơ không có lời mời khảo sát\n", o->out);
    return 0;
}

static int run(struct store *s, const char *sub, struct opts *o, struct err *e)
{
    char day[16];
    today(day);
    const char *d = o->day ? o->day : day;
    if (!strcmp(sub, "round")) {
        const char *what = o->nitems ? o->items[0] : "";
        if (!strcmp(what, "create")) return round_create(s, o, e);
        if (!strcmp(what, "list")) return store_survey_round_list(s, round_print, NULL, e);
        if (!strcmp(what, "show") && o->nitems == 2) {
            struct survey_round r;
            int rc = store_survey_round_get(s, o->items[1], &r, e);
            if (rc) return rc;
            round_print(&r, NULL);
            printf("Đơn vị\tTầng\tTổng thể\tMẫu\tPhiếu\n");
            return store_survey_strata(s, r.code, o->unit, stratum_print, NULL, e);
        }
        return err_set(e, ERR_INVALID, "round", "'%s': create, list or show CODE", what);
    }
    if (!strcmp(sub, "invitations")) {
        if (!o->round) return err_set(e, ERR_INVALID, "round", "--round R is required");
        struct survey_round r;
        int rc = store_survey_round_get(s, o->round, &r, e);
        return rc ? rc : store_survey_invitations(s, o->round, o->unit, inv_print, NULL, e);
    }
    if (!strcmp(sub, "reissue")) {
        if (!o->round || !o->dossier)
            return err_set(e, ERR_INVALID, "dossier", "--round R and --dossier CODE are required");
        char token[SURVEY_TOKEN_LEN + 1];
        int rc = store_survey_reissue(s, o->round, o->dossier, token, e);
        if (!rc) printf("%s\t%s#/khao-sat/%s\n", token, o->base ? o->base : "", token);
        return rc;
    }
    if (!strcmp(sub, "answer")) {
        if (o->nitems < 2) return err_set(e, ERR_INVALID, "answer", "TOKEN QUESTION=VALUE...");
        struct survey_round r;
        char unit[32];
        int answered;
        int rc = store_survey_token(s, o->items[0], &r, unit, &answered, e);
        struct survey_set set;
        if (!rc) rc = set_load(o, r.set_file, &set, NULL, e);
        if (rc) return rc;
        struct survey_answer_in a[MAX_ITEMS];
        int n;
        rc = split_answers(o, 1, a, &n, e);
        if (!rc) rc = store_survey_respond(s, &set, o->items[0], a, n, d, e);
        if (!rc) printf("Đã ghi nhận phiếu trả lời (ẩn danh) của đợt %s\n", r.code);
        survey_set_free(&set);
        return rc;
    }
    if (!strcmp(sub, "paper")) {
        if (!o->form || !o->pass || !o->unit)
            return err_set(e, ERR_INVALID, "form", "--form NO, --pass 1|2 and --unit are required");
        struct survey_round r;
        struct survey_set set;
        int rc = round_set(s, o, &r, &set, e);
        if (rc) return rc;
        struct survey_answer_in a[MAX_ITEMS];
        int n, status = 0;
        rc = split_answers(o, 0, a, &n, e);
        if (!rc)
            rc = store_survey_paper_enter(s, &set, o->round, o->form, o->pass, o->unit, o->stratum,
                                          a, n, actor_of(o), d, &status, e);
        if (!rc)
            printf("%s\n", status == 1   ? "Hai lần nhập khớp nhau: đã ghi nhận phiếu"
                           : status == 2 ? "Hai lần nhập KHÁC nhau: xem cchc survey mismatches"
                                         : "Đã lưu, chờ lần nhập thứ hai");
        survey_set_free(&set);
        return rc;
    }
    if (!strcmp(sub, "mismatches")) {
        struct survey_round r;
        struct survey_set set;
        int rc = round_set(s, o, &r, &set, e), n = 0;
        if (rc) return rc;
        rc = store_survey_paper_mismatches(s, &set, o->round, mismatch_print, &n, e);
        if (!rc && !n) printf("Không có phiếu nào lệch giữa hai lần nhập\n");
        survey_set_free(&set);
        return rc;
    }
    if (!strcmp(sub, "results")) return results_cmd(s, o, e);
    if (!strcmp(sub, "forms")) {
        if (!o->round) return err_set(e, ERR_INVALID, "round", "--round R is required");
        struct survey_round r;
        int rc = store_survey_round_get(s, o->round, &r, e);
        if (!rc) printf("Phiếu\tĐơn vị\tTình trạng\tNhập lần 1\tNhập lần 2\tĐối chiếu\n");
        return rc ? rc : store_survey_paper_forms(s, o->round, form_print, NULL, e);
    }
    if (!strcmp(sub, "resolve")) {
        if (!o->form) return err_set(e, ERR_INVALID, "form", "--form NO is required");
        struct survey_round r;
        struct survey_set set;
        int rc = round_set(s, o, &r, &set, e), n;
        if (rc) return rc;
        struct survey_answer_in a[MAX_ITEMS];
        rc = split_answers(o, 0, a, &n, e);
        if (!rc)
            rc = store_survey_paper_resolve(s, &set, o->round, o->form, a, n, actor_of(o), d, e);
        if (!rc) printf("Đã đối chiếu phiếu %s: đã ghi nhận phiếu\n", o->form);
        survey_set_free(&set);
        return rc;
    }
    if (!strcmp(sub, "notify")) {
        if (!o->round) return err_set(e, ERR_INVALID, "round", "--round R is required");
        int queued, skipped;
        time_t t = time(NULL);
        int rc = store_survey_notify(s, o->round, o->nunits ? unit_listed : NULL, (void *)o,
                                     (int64_t)(t / 60) + 7 * 60, &queued, &skipped, e);
        if (!rc)
            printf("Đã xếp %d lời mời vào hàng gửi; %d hồ sơ không có số di động\n", queued,
                   skipped);
        return rc;
    }
    if (!strcmp(sub, "slip")) return slip_cmd(s, o, e);
    if (!strcmp(sub, "export")) {
        enum rformat f;
        struct survey_round r;
        struct survey_set set;
        if (!o->out || !o->format)
            return err_set(e, ERR_INVALID, "out", "--format F and --out FILE are required");
        int rc = rformat_parse(o->format, &f, e);
        if (!rc) rc = round_set(s, o, &r, &set, e);
        if (rc) return rc;
        rc = survey_report_write(s, cli_data_dir(o->data), &set, &r, f, o->out, e);
        if (!rc) printf("Đã xuất kết quả đợt %s: %s\n", r.code, o->out);
        survey_set_free(&set);
        return rc;
    }
    if (!strcmp(sub, "answers")) {
        struct survey_round r;
        if (!o->round) return err_set(e, ERR_INVALID, "round", "--round R is required");
        int rc = store_survey_round_get(s, o->round, &r, e);
        return rc ? rc
                  : store_survey_answers(s, o->round, o->unit, o->question, answer_print, NULL, e);
    }
    if (!strcmp(sub, "to-par")) return to_par(s, o, e);
    return err_set(e, ERR_INVALID, "command", "'%s': unknown survey subcommand (see --help)", sub);
}

int cmd_survey(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    if (!strcmp(argv[1], "businesses")) return cmd_survey_businesses(argc, argv);
    struct opts o = {0};
    if (parse_args(argc, argv, 2, &o, &e)) return cli_fail("survey", &e);
    const char *sub = argv[1];
    int rc;
    if (!strcmp(sub, "check-set")) {
        rc = check_set(&o, &e);
        return rc == -1 ? EXIT_BADINPUT : rc ? cli_fail("survey", &e) : 0;
    }
    if (!strcmp(sub, "size")) return size_cmd(&o, &e) ? cli_fail("survey", &e) : 0;
    struct store *s;
    if ((rc = cli_store_open("survey", o.db, 0, &s))) return rc;
    rc = run(s, sub, &o, &e);
    store_close(s);
    if (rc == -1) return EXIT_BADINPUT;
    return rc ? cli_fail("survey", &e) : 0;
}
