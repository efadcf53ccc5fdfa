/* cmd_reform.c — `cchc reform`: yearly CCHC plans and their tasks from the command line (the
 * same store functions as the API's /api/reform): create and list plans, add tasks and split
 * them to units below, move them through their states (one word per TASK_ACTIONS row of
 * src/core/reform.h), list overdue and near-due tasks, show a task with its children and
 * history, and the plan completion rate with the tasks it counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "store_reform.h"

struct opts {
    const char *db, *unit, *set, *title, *area, *owner, *lead, *product, *note, *due_class;
    const char *start_s, *due_s, *day_s, *as_of_s, *actor;
    const char *inspector, *team, *from_s, *to_s, *kind, *text, *result;
    const char *items[16];
    int nitems, seq;
    int64_t finding;
    int year, weight, progress, open_only;
    int64_t plan, parent, id;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cchc reform plan create --unit CODE --year YYYY [--set CODE] [--title TEXT]\n"
            "       cchc reform plan list [--unit CODE] [--year YYYY]\n"
            "       cchc reform plan show ID\n"
            "       cchc reform task add (--plan ID | --parent ID) --title TEXT --owner CODE\n"
            "                --start YYYY-MM-DD --due YYYY-MM-DD [--area CODE] [--lead NAME]\n"
            "                [--product TEXT] [--weight N]\n"
            "       cchc reform task ACTION ID [--progress N] [--note TEXT] [--day YYYY-MM-DD]\n"
            "       cchc reform task list [--unit CODE] [--year YYYY] [--plan ID]\n"
            "                [--due ok|near|overdue|closed] [--open] [--as-of YYYY-MM-DD]\n"
            "       cchc reform task show ID\n"
            "       cchc reform rate --unit CODE [--year YYYY] [--as-of YYYY-MM-DD]\n"
            "       cchc reform inspection create --inspector CODE --unit CODE --year YYYY\n"
            "                --from YYYY-MM-DD --to YYYY-MM-DD [--team TEXT] [--set CODE]\n"
            "                [--item TEXT]...\n"
            "       cchc reform inspection list [--unit CODE] [--year YYYY]\n"
            "       cchc reform inspection start|conclude|close|reopen|cancel ID [--note TEXT]\n"
            "       cchc reform inspection check ID --seq N --result met|not_met [--note TEXT]\n"
            "       cchc reform inspection finding ID --kind strength|shortcoming --text TEXT\n"
            "       cchc reform inspection remedy --finding ID --title TEXT --owner CODE\n"
            "                --start YYYY-MM-DD --due YYYY-MM-DD [--area CODE] [--lead NAME]\n"
            "       cchc reform inspection share --unit CODE [--year YYYY]\n"
            "       cchc reform initiative … (initiatives: see cchc reform initiative --help)\n"
            "Every command takes [--db FILE] and [--actor NAME] (default: $USER).\n"
            "A plan's reform areas are the areas of the PAR criteria set in force for its unit\n"
            "(the newest imported set of the unit's scope whose year is not after the plan's),\n"
            "or of --set. A task with --parent is split from it to --owner, a unit below the\n"
            "parent's owner; its progress rolls up to the parent. ACTION: start, report\n"
            "(--progress 0..99), pause (--note), resume, complete, reopen (--note), cancel\n"
            "(--note), comment (--note). --due lists tasks by due class on --as-of (default\n"
            "today): near is due within %d days. rate: tasks done / tasks due or done, not\n"
            "cancelled, of the unit (and the units merged into it) in the year's plans.\n"
            "inspection: the year's CCHC inspections of units below --inspector; --set takes\n"
            "the checklist from a PAR set's criteria; a remedy of a shortcoming is a task of\n"
            "the inspected unit's plan, and the inspection closes when its remedies close.\n"
            "share: the units directly under --unit inspected in the year.\n",
            REFORM_NEAR_DAYS);
}

static int parse_day_opt(const char *s, const char *flag, int64_t *out, struct err *e)
{
    struct ymd d;
    if (ymd_parse(s, &d, flag, e)) return e->code;
    *out = ymd_to_days(d);
    return 0;
}

static int parse_int(const char *s, const char *flag, int64_t min, int64_t max, int64_t *out,
                     struct err *e)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return err_set(e, ERR_INVALID, flag, "%s '%s': must be a whole number from %lld to %lld",
                       flag, s, (long long)min, (long long)max);
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, int first, struct opts *o, struct err *e)
{
    o->progress = -1;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int64_t n;
        int rc = 0;
#define STR(flag, field)                                                                           \
    if (!strcmp(a, flag) && v) {                                                                   \
        o->field = v;                                                                              \
        i++;                                                                                       \
        continue;                                                                                  \
    }
        STR("--db", db)
        STR("--unit", unit)
        STR("--set", set)
        STR("--title", title)
        STR("--area", area)
        STR("--owner", owner)
        STR("--lead", lead)
        STR("--product", product)
        STR("--note", note)
        STR("--due", due_s)
        STR("--start", start_s)
        STR("--day", day_s)
        STR("--as-of", as_of_s)
        STR("--actor", actor)
        STR("--inspector", inspector)
        STR("--team", team)
        STR("--from", from_s)
        STR("--to", to_s)
        STR("--kind", kind)
        STR("--text", text)
        STR("--result", result)
#undef STR
        if (!strcmp(a, "--item") && v) {
            if (o->nitems == 16)
                return err_set(e, ERR_INVALID, "--item", "--item: at most 16 (see --help)");
            o->items[o->nitems++] = v;
            i++;
            continue;
        }
        if ((!strcmp(a, "--finding") || !strcmp(a, "--seq")) && v) {
            if ((rc = parse_int(v, a, 1, INT64_MAX, &n, e))) return rc;
            if (a[2] == 'f')
                o->finding = n;
            else
                o->seq = (int)n;
            i++;
            continue;
        }
        if (!strcmp(a, "--open")) {
            o->open_only = 1;
            continue;
        }
        if (v && (!strcmp(a, "--year") || !strcmp(a, "--weight") || !strcmp(a, "--progress") ||
                  !strcmp(a, "--plan") || !strcmp(a, "--parent"))) {
            int year = !strcmp(a, "--year"), w = !strcmp(a, "--weight"),
                p = !strcmp(a, "--progress");
            rc = parse_int(v, a,
                           year ? 2000
                           : p  ? 0
                                : 1,
                           year ? 2100
                           : w  ? 1000
                           : p  ? 100
                                : INT64_MAX,
                           &n, e);
            if (rc) return rc;
            if (year)
                o->year = (int)n;
            else if (w)
                o->weight = (int)n;
            else if (p)
                o->progress = (int)n;
            else if (!strcmp(a, "--plan"))
                o->plan = n;
            else
                o->parent = n;
            i++;
            continue;
        }
        if (a[0] != '-' && !o->id) {
            if ((rc = parse_int(a, "ID", 1, INT64_MAX, &n, e))) return rc;
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
    time_t t = time(NULL);
    return (int64_t)t / 60 + 7 * 60; /* local civil time, UTC+7 (date.h) */
}

static const char *day_or(int64_t d, char *buf)
{
    if (!d) return "";
    return day_format(d, buf);
}

static void print_task(const struct reform_task *t, int64_t today)
{
    char a[16], b[16], c[16];
    printf("%lld\t%lld\t%s\t%s\t%s\t%s..%s\t%s\t%d%%\t%s\t%s\t%s\n", (long long)t->id,
           (long long)t->parent_id, t->area, t->owner, task_status_name(t->status),
           day_format(t->start_day, a), day_format(t->due_day, b), day_or(t->done_day, c),
           t->progress, task_due_name(reform_due_class(t, today, REFORM_NEAR_DAYS)), t->title,
           t->lead);
}

static int task_row(const struct reform_task *t, void *ctx)
{
    print_task(t, *(int64_t *)ctx);
    return 0;
}

static int plan_row(const struct reform_plan *p, void *ctx)
{
    (void)ctx;
    printf("%lld\t%s\t%d\t%s@%s\t%d\t%s\n", (long long)p->id, p->unit, p->year, p->set_code,
           p->set_version, p->ntasks, p->title);
    return 0;
}

static int plan_cmd(struct store *s, const char *sub, struct opts *o, struct err *e)
{
    int64_t today = instant_day(now_minutes());
    if (!strcmp(sub, "create")) {
        if (!o->unit || !o->year)
            return err_set(e, ERR_INVALID, "argument", "plan create needs --unit and --year");
        struct reform_plan_in in = {.unit = o->unit,
                                    .year = o->year,
                                    .set = o->set,
                                    .title = o->title,
                                    .actor = o->actor,
                                    .at = now_minutes()};
        struct reform_plan p;
        int rc = store_reform_plan_create(s, &in, &p, e);
        if (!rc) plan_row(&p, NULL);
        return rc;
    }
    if (!strcmp(sub, "list")) return store_reform_plan_list(s, o->unit, o->year, plan_row, NULL, e);
    if (!strcmp(sub, "show")) {
        if (!o->id) return err_set(e, ERR_INVALID, "ID", "plan show needs the plan's ID");
        struct reform_plan p;
        struct par_set *set = NULL;
        int rc = store_reform_plan_get(s, o->id, &p, e);
        if (!rc) rc = store_reform_plan_set(s, o->id, &set, e);
        if (rc) return rc;
        printf("Kế hoạch:\t%s\nĐơn vị:\t%s\nNăm:\t%d\nBộ tiêu chí:\t%s@%s\n", p.title, p.unit,
               p.year, p.set_code, p.set_version);
        for (int i = 0; i < set->nareas; i++) {
            const struct par_node *n = &set->node[set->areas[i]];
            printf("Lĩnh vực %s:\t%s\n", n->code, n->title);
        }
        par_set_free(set);
        struct reform_task_filter f = {.plan_id = p.id};
        return store_reform_task_list(s, &f, task_row, &today, e);
    }
    return err_set(e, ERR_INVALID, "command", "'%s': not a plan command (create, list, show)", sub);
}

static int event_row(const struct reform_event *ev, void *ctx)
{
    (void)ctx;
    char t[32];
    printf("%s\t%s\t%s\t%s->%s\t%d%%\t%s\n", instant_format(ev->at, t), ev->actor, ev->action,
           ev->from, ev->to, ev->progress, ev->note);
    return 0;
}

static int task_cmd(struct store *s, const char *sub, struct opts *o, struct err *e)
{
    int64_t today = instant_day(now_minutes()), d = 0;
    int rc;
    if (!strcmp(sub, "add")) {
        if (!o->title || !o->owner || !o->start_s || !o->due_s)
            return err_set(e, ERR_INVALID, "argument",
                           "task add needs --title, --owner, --start and --due");
        struct reform_task_in in = {.plan_id = o->plan,
                                    .parent_id = o->parent,
                                    .area = o->area,
                                    .title = o->title,
                                    .owner = o->owner,
                                    .lead = o->lead,
                                    .product = o->product,
                                    .weight = o->weight,
                                    .actor = o->actor,
                                    .at = now_minutes()};
        if ((rc = parse_day_opt(o->start_s, "--start", &in.start_day, e)) ||
            (rc = parse_day_opt(o->due_s, "--due", &in.due_day, e)))
            return rc;
        struct reform_task t;
        if (!(rc = store_reform_task_add(s, &in, &t, e))) print_task(&t, today);
        return rc;
    }
    if (!strcmp(sub, "list")) {
        struct reform_task_filter f = {.scope = o->unit,
                                       .year = o->year,
                                       .plan_id = o->plan,
                                       .open_only = o->open_only,
                                       .today = today};
        if (o->as_of_s && (rc = parse_day_opt(o->as_of_s, "--as-of", &f.today, e))) return rc;
        if (o->due_s) {
            for (int k = TD_OK; k <= TD_CLOSED; k++)
                if (!strcmp(o->due_s, task_due_name((enum task_due)k))) f.due = k + 1;
            if (!f.due)
                return err_set(e, ERR_INVALID, "--due",
                               "--due '%s': must be ok, near, overdue or closed", o->due_s);
        }
        return store_reform_task_list(s, &f, task_row, &f.today, e);
    }
    if (!o->id) return err_set(e, ERR_INVALID, "ID", "task %s needs the task's ID", sub);
    if (!strcmp(sub, "show")) {
        struct reform_task t;
        if ((rc = store_reform_task_get(s, o->id, &t, e))) return rc;
        print_task(&t, today);
        printf("Sản phẩm:\t%s\n", t.product);
        printf("-- nhiệm vụ con\n");
        struct reform_task_filter f = {.parent_id = t.id};
        if ((rc = store_reform_task_list(s, &f, task_row, &today, e))) return rc;
        printf("-- lịch sử\n");
        return store_reform_task_history(s, t.id, event_row, NULL, e);
    }
    const struct task_action_desc *act = task_action_find(sub);
    if (!act)
        return err_set(e, ERR_INVALID, "command",
                       "'%s': not a task command (add, list, show, start, report, pause, resume, "
                       "complete, reopen, cancel, comment)",
                       sub);
    struct task_args args = {.progress = o->progress, .note = o->note};
    if (o->day_s && (rc = parse_day_opt(o->day_s, "--day", &d, e))) return rc;
    if (o->day_s) args.day = d;
    if ((act->flags & RAF_PROGRESS) && o->progress < 0)
        return err_set(e, ERR_INVALID, "--progress", "%s needs --progress 0..99", act->name);
    struct reform_task t;
    if (!(rc = store_reform_task_act(s, o->id, act->action, &args, o->actor, now_minutes(), &t, e)))
        print_task(&t, today);
    return rc;
}

static int rate_row(const struct reform_task *t, int in_num, void *ctx)
{
    printf("%s\t", in_num ? "+" : "-");
    print_task(t, *(int64_t *)ctx);
    return 0;
}

static int rate_cmd(struct store *s, struct opts *o, struct err *e)
{
    if (!o->unit) return err_set(e, ERR_INVALID, "--unit", "rate needs --unit");
    int64_t today = instant_day(now_minutes()), as_of = today;
    int rc;
    if (o->as_of_s && (rc = parse_day_opt(o->as_of_s, "--as-of", &as_of, e))) return rc;
    int year = o->year ? o->year : days_to_ymd(as_of).y;
    struct reform_rate r;
    if ((rc = store_reform_rate(s, o->unit, year, as_of, &r, rate_row, &today, e))) return rc;
    char pct[32], d[16];
    printf("Tỷ lệ hoàn thành kế hoạch CCHC %d của %s đến %s:\t%lld/%lld\t%s%%\n", year, o->unit,
           day_format(as_of, d), (long long)r.num, (long long)r.den,
           r.value == PAR_NONE ? "-" : par_pts_format(r.value, 2, pct));
    return 0;
}

static int insp_row(const struct inspection *i, void *ctx)
{
    (void)ctx;
    char a[16], b[16];
    printf("%lld\t%d\t%s\t%s\t%s..%s\t%s\t%d\t%d\t%d/%d\t%s\n", (long long)i->id, i->year,
           i->inspector, i->unit, day_format(i->planned_from, a), day_format(i->planned_to, b),
           insp_status_name(i->status), i->nitems, i->nfindings, i->open_remedies, i->nremedies,
           i->team);
    return 0;
}

static int insp_cmd(struct store *s, const char *sub, struct opts *o, struct err *e)
{
    int rc;
    int64_t now = now_minutes(), today = instant_day(now);
    if (!strcmp(sub, "create")) {
        struct inspection_in in = {.year = o->year,
                                   .inspector = o->inspector,
                                   .unit = o->unit,
                                   .team = o->team,
                                   .set = o->set,
                                   .items = o->items,
                                   .nitems = o->nitems,
                                   .actor = o->actor,
                                   .at = now};
        if (!o->inspector || !o->unit || !o->year || !o->from_s || !o->to_s)
            return err_set(e, ERR_INVALID, "argument",
                           "inspection create needs --inspector, --unit, --year, --from and --to");
        if ((rc = parse_day_opt(o->from_s, "--from", &in.planned_from, e)) ||
            (rc = parse_day_opt(o->to_s, "--to", &in.planned_to, e)))
            return rc;
        struct inspection i;
        if (!(rc = store_insp_create(s, &in, &i, e))) insp_row(&i, NULL);
        return rc;
    }
    if (!strcmp(sub, "list")) return store_insp_list(s, o->unit, o->year, insp_row, NULL, e);
    if (!strcmp(sub, "share")) {
        if (!o->unit) return err_set(e, ERR_INVALID, "--unit", "share needs --unit");
        int year = o->year ? o->year : days_to_ymd(today).y;
        struct insp_share sh;
        if ((rc = store_insp_share(s, o->unit, year, &sh, e))) return rc;
        char pct[32];
        printf("Tỷ lệ đơn vị trực thuộc %s được kiểm tra CCHC năm %d:\t%lld/%lld\t%s%%\n", o->unit,
               year, (long long)sh.num, (long long)sh.den,
               sh.den ? par_pts_format(sh.value, 2, pct) : "-");
        return 0;
    }
    if (!strcmp(sub, "remedy")) {
        if (!o->finding || !o->title || !o->owner || !o->start_s || !o->due_s)
            return err_set(e, ERR_INVALID, "argument",
                           "inspection remedy needs --finding, --title, --owner, --start, --due");
        struct reform_task_in in = {.area = o->area,
                                    .title = o->title,
                                    .owner = o->owner,
                                    .lead = o->lead,
                                    .product = o->product,
                                    .weight = o->weight,
                                    .actor = o->actor,
                                    .at = now};
        if ((rc = parse_day_opt(o->start_s, "--start", &in.start_day, e)) ||
            (rc = parse_day_opt(o->due_s, "--due", &in.due_day, e)))
            return rc;
        struct reform_task t;
        if (!(rc = store_insp_remedy_add(s, o->finding, &in, &t, e))) print_task(&t, today);
        return rc;
    }
    if (!o->id)
        return err_set(e, ERR_INVALID, "ID", "inspection %s needs the inspection's ID", sub);
    if (!strcmp(sub, "check"))
        return store_insp_check(s, o->id, o->seq, o->result ? o->result : "", o->note, e);
    if (!strcmp(sub, "finding")) {
        enum finding_kind k;
        int64_t fid;
        if ((rc = finding_kind_parse(o->kind, &k, "--kind", e)) ||
            (rc = store_insp_finding_add(s, o->id, k, o->text, o->actor, now, &fid, e)))
            return rc;
        printf("%lld\n", (long long)fid);
        return 0;
    }
    enum insp_action a;
    if ((rc = insp_action_parse(sub, &a, "command", e))) return rc;
    struct inspection i;
    if (!(rc = store_insp_act(s, o->id, a, o->note, o->actor, now, &i, e))) insp_row(&i, NULL);
    return rc;
}

int cmd_reform(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    const char *group = argv[1];
    if (!strcmp(group, "initiative")) return cmd_initiative(argc - 1, argv + 1);
    int rate = !strcmp(group, "rate");
    if (!rate && strcmp(group, "plan") && strcmp(group, "task") && strcmp(group, "inspection")) {
        err_set(&e, ERR_INVALID, "command",
                "'%s': not a reform command (plan, task, rate, inspection)", group);
        return cli_fail("reform", &e);
    }
    if (!rate && argc < 3) {
        err_set(&e, ERR_INVALID, "command", "reform %s needs a subcommand (see --help)", group);
        return cli_fail("reform", &e);
    }
    struct opts o = {0};
    if (parse_args(argc, argv, rate ? 2 : 3, &o, &e)) return cli_fail("reform", &e);
    struct store *s;
    int rc = cli_store_open("reform", o.db, 0, &s);
    if (rc) return rc;
    if (rate)
        rc = rate_cmd(s, &o, &e);
    else if (!strcmp(group, "plan"))
        rc = plan_cmd(s, argv[2], &o, &e);
    else if (!strcmp(group, "inspection"))
        rc = insp_cmd(s, argv[2], &o, &e);
    else
        rc = task_cmd(s, argv[2], &o, &e);
    store_close(s);
    return rc ? cli_fail("reform", &e) : 0;
}
