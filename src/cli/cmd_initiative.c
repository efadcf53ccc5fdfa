/* cmd_initiative.c — `cchc reform initiative`: the registry of CCHC initiatives and models
 * (sáng kiến, mô hình mới) from the command line, through the same store functions as the
 * API's /api/reform/initiatives: propose, list, show, the council's accept or reject,
 * recognise, withdraw, resubmit, add a unit applying it, attach evidence, and the count PAR
 * scores (metric initiatives_count). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "store_initiative.h"

struct iopts {
    const char *db, *unit, *evaluator, *set, *area, *title, *description, *authors, *effect;
    const char *note, *decision, *level, *status, *day_s, *from_s, *to_s, *result, *file, *actor;
    int year, score;
    int64_t id;
};

static void usage(FILE *f)
{
    fputs("usage: cchc reform initiative propose --unit CODE --evaluator CODE --area CODE\n"
          "                --title TEXT --authors NAMES --description TEXT [--effect TEXT]\n"
          "                [--day YYYY-MM-DD] [--set CODE]\n"
          "       cchc reform initiative list [--unit CODE] [--year YYYY] [--status STATUS]\n"
          "       cchc reform initiative show ID\n"
          "       cchc reform initiative accept ID --score 0..100 [--note OPINION] [--day D]\n"
          "       cchc reform initiative reject ID --note REASON [--day YYYY-MM-DD]\n"
          "       cchc reform initiative withdraw|resubmit ID --note TEXT\n"
          "       cchc reform initiative recognize ID --decision NUMBER --day YYYY-MM-DD\n"
          "                --level unit|district|province\n"
          "       cchc reform initiative apply ID --unit CODE --from YYYY-MM-DD [--result TEXT]\n"
          "       cchc reform initiative evidence ID --file PATH\n"
          "       cchc reform initiative count --unit CODE [--year YYYY | --from D --to D]\n"
          "Every command takes [--db FILE] and [--actor NAME] (default: $USER).\n"
          "An initiative is proposed by --unit in a reform area of the PAR set in force for it\n"
          "(or --set) and evaluated by the council of --evaluator, the unit itself or a unit\n"
          "above it: accept (with the score) or reject (with the reason); an accepted one is\n"
          "recognised by a decision. --day of accept and reject is the council's day (today).\n"
          "Units apply it (on trial before recognition). STATUS:\n"
          "proposed, accepted, recognized, rejected, withdrawn. count: the unit's initiatives\n"
          "recognised in the period (PAR metric initiatives_count), with those listed.\n",
          f);
}

static int parse_args(int argc, char **argv, struct iopts *o, struct err *e)
{
    o->score = -1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define STR(flag, field)                                                                           \
    if (!strcmp(a, flag) && v) {                                                                   \
        o->field = v;                                                                              \
        i++;                                                                                       \
        continue;                                                                                  \
    }
        STR("--db", db)
        STR("--unit", unit)
        STR("--evaluator", evaluator)
        STR("--set", set)
        STR("--area", area)
        STR("--title", title)
        STR("--description", description)
        STR("--authors", authors)
        STR("--effect", effect)
        STR("--note", note)
        STR("--decision", decision)
        STR("--level", level)
        STR("--status", status)
        STR("--day", day_s)
        STR("--from", from_s)
        STR("--to", to_s)
        STR("--result", result)
        STR("--file", file)
        STR("--actor", actor)
#undef STR
        char *end;
        if ((!strcmp(a, "--year") || !strcmp(a, "--score")) && v) {
            long n = strtol(v, &end, 10);
            int year = a[2] == 'y';
            if (!*v || *end || (year ? n < 2000 || n > 2100 : n < 0 || n > INIT_SCORE_MAX))
                return err_set(e, ERR_INVALID, a, "%s '%s': a whole number from %d to %d", a, v,
                               year ? 2000 : 0, year ? 2100 : INIT_SCORE_MAX);
            if (year)
                o->year = (int)n;
            else
                o->score = (int)n;
            i++;
            continue;
        }
        if (a[0] != '-' && !o->id) {
            long long n = strtoll(a, &end, 10);
            if (!*a || *end || n <= 0)
                return err_set(e, ERR_INVALID, "ID", "ID '%s': not a positive number", a);
            o->id = n;
            continue;
        }
        return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", a);
    }
    if (!o->actor) o->actor = getenv("USER") && *getenv("USER") ? getenv("USER") : "cli";
    return 0;
}

static int64_t now_minutes(void)
{
    return (int64_t)time(NULL) / 60 + 7 * 60; /* local civil time, UTC+7 (date.h) */
}

static int day_opt(const char *s, const char *flag, int64_t *out, struct err *e)
{
    struct ymd d;
    if (ymd_parse(s, &d, flag, e)) return e->code;
    *out = ymd_to_days(d);
    return 0;
}

static int print_row(const struct initiative *i, void *ctx)
{
    (void)ctx;
    char a[16], b[16], sc[16] = "-";
    if (i->score >= 0) snprintf(sc, sizeof sc, "%d", i->score);
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", (long long)i->id,
           day_format(i->proposed_day, a), i->unit, i->evaluator, i->area,
           init_status_name(i->status), sc, i->decision_no[0] ? i->decision_no : "-",
           i->decision_day ? day_format(i->decision_day, b) : "-",
           i->level >= 0 ? init_level_name((enum init_level)i->level) : "-", i->napplied, i->title);
    return 0;
}

static int unit_row(const struct init_unit *u, void *ctx)
{
    (void)ctx;
    char d[16];
    printf("  applied\t%s\tfrom %s\t%s\n", u->unit, day_format(u->from_day, d), u->result);
    return 0;
}

static int event_row(const struct init_event *ev, void *ctx)
{
    (void)ctx;
    char t[32];
    printf("  history\t%s\t%s\t%s\t%s->%s\t%s\n", instant_format(ev->at, t), ev->actor, ev->action,
           ev->from[0] ? ev->from : "-", ev->to, ev->note);
    return 0;
}

static int evidence_row(const struct init_evidence *ev, void *ctx)
{
    (void)ctx;
    printf("  evidence\t%lld\t%s\t%s\t%lld\t%s\n", (long long)ev->id, ev->name, ev->mime,
           (long long)ev->size, ev->sha256);
    return 0;
}

static int count_row(const struct initiative *i, int in_num, void *ctx)
{
    (void)ctx;
    printf("%s", in_num ? "+\t" : " \t");
    return print_row(i, NULL);
}

static int show(struct store *s, int64_t id, struct err *e)
{
    struct initiative i;
    int rc = store_init_get(s, id, &i, e);
    if (rc) return rc;
    print_row(&i, NULL);
    printf("  authors\t%s\n  description\t%s\n  effect\t%s\n", i.authors, i.description, i.effect);
    if (i.opinion[0]) printf("  opinion\t%s\n", i.opinion);
    if (i.reason[0]) printf("  reason\t%s\n", i.reason);
    if (!rc) rc = store_init_units(s, id, unit_row, NULL, e);
    if (!rc) rc = store_init_evidence_list(s, id, evidence_row, NULL, e);
    if (!rc) rc = store_init_history(s, id, event_row, NULL, e);
    return rc;
}

static int run(struct store *s, const char *sub, struct iopts *o, struct err *e)
{
    int64_t now = now_minutes(), today = instant_day(now);
    int rc;
    if (!strcmp(sub, "propose")) {
        struct initiative_in in = {.unit = o->unit,
                                   .evaluator = o->evaluator,
                                   .set = o->set,
                                   .area = o->area,
                                   .title = o->title,
                                   .description = o->description,
                                   .authors = o->authors,
                                   .effect = o->effect,
                                   .proposed_day = today,
                                   .actor = o->actor,
                                   .at = now};
        if (o->day_s && (rc = day_opt(o->day_s, "--day", &in.proposed_day, e))) return rc;
        struct initiative i;
        if (!(rc = store_init_create(s, &in, &i, e))) print_row(&i, NULL);
        return rc;
    }
    if (!strcmp(sub, "list")) {
        struct init_filter f = {.scope = o->unit, .year = o->year, .status = -1};
        enum init_status st;
        if (o->status && (rc = init_status_parse(o->status, &st, "--status", e))) return rc;
        if (o->status) f.status = (int)st;
        return store_init_list(s, &f, print_row, NULL, e);
    }
    if (!strcmp(sub, "count")) {
        if (!o->unit) return err_set(e, ERR_INVALID, "--unit", "count needs --unit");
        int year = o->year ? o->year : days_to_ymd(today).y;
        int64_t from = ymd_to_days((struct ymd){year, 1, 1}),
                to = ymd_to_days((struct ymd){year, 12, 31});
        if (o->from_s && (rc = day_opt(o->from_s, "--from", &from, e))) return rc;
        if (o->to_s && (rc = day_opt(o->to_s, "--to", &to, e))) return rc;
        struct init_count c;
        if ((rc = store_init_count(s, o->unit, from, to, &c, count_row, NULL, e))) return rc;
        char a[16], b[16];
        printf("Sáng kiến, mô hình mới về CCHC của %s được công nhận từ %s đến %s:\t%lld "
               "(trong %lld sáng kiến)\n",
               o->unit, day_format(from, a), day_format(to, b), (long long)c.num, (long long)c.den);
        return 0;
    }
    if (!o->id)
        return err_set(e, ERR_INVALID, "ID", "initiative %s needs the initiative's ID", sub);
    if (!strcmp(sub, "show")) return show(s, o->id, e);
    if (!strcmp(sub, "apply")) {
        int64_t from = today;
        if (!o->unit) return err_set(e, ERR_INVALID, "--unit", "apply needs --unit");
        if (o->from_s && (rc = day_opt(o->from_s, "--from", &from, e))) return rc;
        if ((rc = store_init_apply(s, o->id, o->unit, from, o->result, o->actor, now, e)))
            return rc;
        return show(s, o->id, e);
    }
    if (!strcmp(sub, "evidence")) {
        if (!o->file) return err_set(e, ERR_INVALID, "--file", "evidence needs --file");
        char *buf;
        size_t len;
        if ((rc = cli_read_file(o->file, "--file", &buf, &len, e))) return rc;
        const char *slash = strrchr(o->file, '/');
        struct init_evidence_in in = {.initiative_id = o->id,
                                      .name = slash ? slash + 1 : o->file,
                                      .data = buf,
                                      .size = (int64_t)len,
                                      .actor = o->actor,
                                      .at = now};
        struct init_evidence ev;
        rc = store_init_evidence_add(s, &in, &ev, e);
        free(buf);
        if (!rc) evidence_row(&ev, NULL);
        return rc;
    }
    enum init_action a;
    if ((rc = init_action_parse(sub, &a, "command", e))) return rc;
    if (a == INA_APPLY) return err_set(e, ERR_INVALID, "command", "apply needs --unit");
    struct init_args args = {
        .score = o->score, .note = o->note, .decision_no = o->decision, .level = -1};
    if (o->level) {
        enum init_level l;
        if ((rc = init_level_parse(o->level, &l, "--level", e))) return rc;
        args.level = (int)l;
    }
    if ((a == INA_ACCEPT || a == INA_REJECT) && o->day_s) {
        if ((rc = day_opt(o->day_s, "--day", &args.day, e))) return rc;
        if (args.day > today)
            return err_set(e, ERR_INVALID, "--day",
                           "--day: the council's day cannot be after today");
    }
    if (a == INA_RECOGNIZE) {
        if (!o->day_s) return err_set(e, ERR_INVALID, "--day", "recognize needs --day");
        if ((rc = day_opt(o->day_s, "--day", &args.decision_day, e))) return rc;
        if (args.decision_day > today)
            return err_set(e, ERR_INVALID, "--day", "--day: the decision cannot be after today");
    }
    struct initiative i;
    if (!(rc = store_init_act(s, o->id, a, &args, o->actor, now, &i, e))) print_row(&i, NULL);
    return rc;
}

int cmd_initiative(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    struct iopts o = {0};
    if (parse_args(argc, argv, &o, &e)) return cli_fail("reform initiative", &e);
    struct store *s;
    int rc = cli_store_open("reform initiative", o.db, 0, &s);
    if (rc) return rc;
    rc = run(s, argv[1], &o, &e);
    store_close(s);
    return rc ? cli_fail("reform initiative", &e) : 0;
}
