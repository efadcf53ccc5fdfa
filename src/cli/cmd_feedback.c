/* cmd_feedback.c — `cchc feedback`: feedback and petitions (phản ánh, kiến nghị) from the
 * command line — record one received at the desk (phone, letter, visit) or on the web, list
 * a unit's queue, show one with its events, act on it (the actions of core's table), rate the
 * answer, keep reply templates, and print the handling figures behind Decision 766
 * indicators 6.1 and 6.2. A thin client of src/core/feedback.c and the store. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "cli.h"
#include "date.h"
#include "feedback.h"
#include "store.h"
#include "store_calendar.h"
#include "store_feedback.h"

#define CAL_FIRST_YEAR 2013
#define CAL_LAST_YEAR  2100

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cchc feedback submit --kind regulation|handling|suggestion --body TEXT\n"
            "         [--unit CODE | --dossier CODE] [--channel web|dossier|phone|letter|visit]\n"
            "         [--officer NAME] [--name NAME] [--phone PHONE] [--email EMAIL] [--consent]\n"
            "         [--at YYYY-MM-DDTHH:MM] [--actor NAME]\n"
            "       cchc feedback list [--unit CODE] [--status S] [--kind K] [--outcome O]\n"
            "         [--officer NAME] [--dossier CODE] [--from DAY] [--to DAY] [--at INSTANT]\n"
            "       cchc feedback show CODE\n"
            "       cchc feedback accept|refuse|forward|start|answer|publish CODE [--note TEXT]\n"
            "         [--to-unit CODE] [--answer TEXT | --template CODE] [--actor NAME] [--at I]\n"
            "       cchc feedback rate CODE --score 1..5 [--at INSTANT]\n"
            "       cchc feedback template --code CODE --title TEXT --body TEXT [--unit CODE]\n"
            "       cchc feedback stats [--unit CODE] [--from DAY] [--to DAY] [--at INSTANT]\n"
            "         [--by-officer]   (per officer, for feedback about officers)\n"
            "Every command takes --db FILE|URL and --data DIR. Deadlines come from\n"
            "data/feedback/deadlines.tsv (docs/feedback.md). Outcomes: none, on_time, late,\n"
            "in_time, overdue.\n");
}

/* The options, by name; flags (no value) are "consent". */
struct opts {
    const char *db, *data, *code;
    const char *kind, *body, *unit, *dossier, *channel, *officer, *name, *phone, *email, *at,
        *actor, *status, *outcome, *from, *to, *note, *to_unit, *answer, *tmpl, *score, *title,
        *tcode;
    int consent, by_officer;
};

static int parse(int argc, char **argv, struct opts *o, struct err *e)
{
    static const struct {
        const char *flag;
        size_t off;
    } tab[] = {
#define O(f, m) {f, offsetof(struct opts, m)}
        O("--db", db),           O("--data", data),       O("--kind", kind),
        O("--body", body),       O("--unit", unit),       O("--dossier", dossier),
        O("--channel", channel), O("--officer", officer), O("--name", name),
        O("--phone", phone),     O("--email", email),     O("--at", at),
        O("--actor", actor),     O("--status", status),   O("--outcome", outcome),
        O("--from", from),       O("--to", to),           O("--note", note),
        O("--to-unit", to_unit), O("--answer", answer),   O("--template", tmpl),
        O("--score", score),     O("--title", title),     O("--code", tcode),
#undef O
    };
    memset(o, 0, sizeof *o);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--consent") || !strcmp(argv[i], "--by-officer")) {
            *(argv[i][2] == 'c' ? &o->consent : &o->by_officer) = 1;
            continue;
        }
        size_t k = 0, n = sizeof tab / sizeof tab[0];
        while (k < n && strcmp(argv[i], tab[k].flag))
            k++;
        if (k < n && i + 1 < argc) {
            *(const char **)((char *)o + tab[k].off) = argv[++i];
        } else if (argv[i][0] != '-' && !o->code) {
            o->code = argv[i];
        } else {
            return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)",
                           argv[i]);
        }
    }
    return 0;
}

static int instant_or_now(const char *s, const char *field, int64_t *out, struct err *e)
{
    if (!s) {
        *out = ((int64_t)time(NULL) + 7 * 3600) / 60;
        return 0;
    }
    return instant_parse(s, out, field, e);
}

static int day_opt(const char *s, const char *field, int64_t *out, struct err *e)
{
    *out = 0;
    if (!s) return 0;
    struct ymd d;
    if (ymd_parse(s, &d, field, e)) return e->code;
    *out = ymd_to_days(d);
    return 0;
}

static void print_item(const struct feedback_item *f, int64_t now)
{
    char a[20], b[20];
    printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f->code, f->unit, feedback_kind_name(f->st.kind),
           feedback_status_name(f->st.status), instant_format(f->submitted_at, a),
           f->st.answer_due_at ? instant_format(f->st.answer_due_at, b) : "-",
           feedback_outcome_name(feedback_outcome_at(&f->st, now)));
}

static int list_fn(const struct feedback_item *f, void *ctx)
{
    print_item(f, *(int64_t *)ctx);
    return 0;
}

static int event_fn(const struct feedback_event *ev, void *ctx)
{
    (void)ctx;
    char a[20];
    printf("  %d\t%s\t%s\t%s\t%s -> %s\t%s -> %s\t%s\n", ev->seq, instant_format(ev->at, a),
           ev->actor, ev->action, ev->from_status[0] ? ev->from_status : "-", ev->to_status,
           ev->from_unit[0] ? ev->from_unit : "-", ev->to_unit, ev->note);
    return 0;
}

struct tpl_find {
    const char *code;
    char *body;
};
static int tpl_fn(const struct feedback_template *t, void *ctx)
{
    struct tpl_find *x = ctx;
    if (!strcmp(t->code, x->code)) x->body = strdup(t->body);
    return 0;
}

static int officer_row(const char *officer, const struct feedback_summary *m, void *ctx)
{
    (void)ctx;
    printf("%s\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\n", officer, (long long)m->items,
           (long long)m->on_time, (long long)m->late, (long long)m->overdue, (long long)m->in_time,
           (long long)m->refused, (long long)m->rated, (long long)m->satisfied);
    return 0;
}

static int run(struct store *s, const char *sub, const struct opts *o, struct err *e)
{
    struct feedback_rules *rules = malloc(sizeof *rules);
    struct feedback_item *f = malloc(sizeof *f);
    struct calendar *cal = NULL;
    char *tbody = NULL;
    int rc = rules && f ? 0 : err_set(e, ERR_NOMEM, "feedback", "out of memory");
    if (!rc) rc = feedback_rules_load(cli_data_dir(o->data), rules, e);
    if (!rc)
        rc = calendar_load(cli_data_dir(o->data), CAL_FIRST_YEAR, CAL_LAST_YEAR, NULL, &cal, e);
    if (!rc) rc = store_calendar_apply(s, &cal, e); /* with the database's decisions */
    int64_t at = 0;
    if (!rc) rc = instant_or_now(o->at, "--at", &at, e);
    if (rc) goto out;
    const struct feedback_action_desc *ad = feedback_action_find(sub);
    if (!strcmp(sub, "submit")) {
        struct feedback_new in;
        memset(&in, 0, sizeof in);
        if ((rc = feedback_kind_parse(o->kind, &in.kind, e))) goto out;
        in.channel = FC_VISIT;
        if (o->channel && (rc = feedback_channel_parse(o->channel, &in.channel, e))) goto out;
        in.unit = o->unit;
        in.dossier = o->dossier;
        in.officer = o->officer;
        in.body = o->body;
        snprintf(in.contact.name, sizeof in.contact.name, "%s", o->name ? o->name : "");
        snprintf(in.contact.phone, sizeof in.contact.phone, "%s", o->phone ? o->phone : "");
        applicant_phone_normalize(in.contact.phone);
        snprintf(in.contact.email, sizeof in.contact.email, "%s", o->email ? o->email : "");
        in.consent = o->consent;
        in.at = at;
        in.actor = o->actor ? o->actor : "desk";
        if ((rc = store_feedback_submit(s, cal, rules, &in, f, e))) goto out;
        char b[20];
        printf("%s\t%s\tdecide by %s%s\n", f->code, f->unit, instant_format(f->st.decide_due_at, b),
               f->duplicates ? "\t(duplicate: linked to this item)" : "");
    } else if (!strcmp(sub, "list")) {
        struct feedback_filter fl = {o->unit, -1, -1, -1, o->officer, o->dossier, 0, 0, at};
        enum feedback_status st;
        enum feedback_kind k;
        if (o->status) {
            if ((rc = feedback_status_parse(o->status, &st, e))) goto out;
            fl.status = (int)st;
        }
        if (o->kind) {
            if ((rc = feedback_kind_parse(o->kind, &k, e))) goto out;
            fl.kind = (int)k;
        }
        if (o->outcome) {
            for (int i = FO_NONE; i <= FO_OVERDUE; i++)
                if (!strcmp(o->outcome, feedback_outcome_name((enum feedback_outcome)i)))
                    fl.outcome = i;
            if (fl.outcome < 0) {
                rc = err_set(e, ERR_INVALID, "outcome",
                             "--outcome '%s': expected none, on_time, late, in_time, overdue",
                             o->outcome);
                goto out;
            }
        }
        if ((rc = day_opt(o->from, "--from", &fl.from_day, e)) ||
            (rc = day_opt(o->to, "--to", &fl.to_day, e)))
            goto out;
        rc = store_feedback_list(s, &fl, list_fn, &at, e);
    } else if (!strcmp(sub, "show")) {
        if ((rc = store_feedback_get(s, o->code, f, e))) goto out;
        print_item(f, at);
        printf("  %s\n", f->body);
        if (f->answer[0]) printf("  answer: %s\n", f->answer);
        rc = store_feedback_events(s, f->code, event_fn, NULL, e);
    } else if (ad) {
        const char *answer = o->answer;
        if ((ad->flags & FAF_ANSWER) && !answer && o->tmpl) {
            if ((rc = store_feedback_get(s, o->code, f, e))) goto out;
            struct tpl_find t = {o->tmpl, NULL};
            if ((rc = store_feedback_templates(s, f->unit, tpl_fn, &t, e))) goto out;
            if (!t.body) {
                rc = err_set(e, ERR_INVALID, "template", "--template '%s' does not exist", o->tmpl);
                goto out;
            }
            answer = tbody = t.body;
        }
        struct feedback_change c = {o->code, ad->action, at,     o->actor ? o->actor : "cli",
                                    o->note, o->to_unit, answer, o->unit};
        if ((rc = store_feedback_apply(s, cal, rules, &c, f, e))) goto out;
        print_item(f, at);
    } else if (!strcmp(sub, "rate")) {
        char *end = NULL;
        long score = o->score ? strtol(o->score, &end, 10) : 0;
        if (!o->score || *end) {
            rc = err_set(e, ERR_INVALID, "score", "--score '%s': a whole number 1..5",
                         o->score ? o->score : "");
            goto out;
        }
        rc = store_feedback_rate(s, o->code, (int)score, at, e);
    } else if (!strcmp(sub, "template")) {
        struct feedback_template *t = calloc(1, sizeof *t);
        if (!t) {
            rc = err_set(e, ERR_NOMEM, "template", "out of memory");
            goto out;
        }
        snprintf(t->code, sizeof t->code, "%s", o->tcode ? o->tcode : "");
        snprintf(t->unit, sizeof t->unit, "%s", o->unit ? o->unit : "");
        snprintf(t->title, sizeof t->title, "%s", o->title ? o->title : "");
        snprintf(t->body, sizeof t->body, "%s", o->body ? o->body : "");
        rc = store_feedback_template_put(s, t, e);
        free(t);
    } else if (!strcmp(sub, "stats")) {
        int64_t from, to;
        if ((rc = day_opt(o->from, "--from", &from, e)) || (rc = day_opt(o->to, "--to", &to, e)))
            goto out;
        if (o->by_officer) {
            printf("officer\titems\ton_time\tlate\toverdue\tin_time\trefused\trated\tsatisfied\n");
            rc = store_feedback_officers(s, o->unit, from, to, at, officer_row, NULL, e);
            goto out;
        }
        struct feedback_summary m;
        if ((rc = store_feedback_summary(s, o->unit, from, to, at, &m, e))) goto out;
        int64_t handled = m.on_time + m.late + m.overdue;
        printf("items\t%lld\non_time\t%lld\nlate\t%lld\noverdue\t%lld\nin_time\t%lld\n"
               "refused\t%lld\nwaiting\t%lld\nforwarded\t%lld\nrated\t%lld\nsatisfied\t%lld\n",
               (long long)m.items, (long long)m.on_time, (long long)m.late, (long long)m.overdue,
               (long long)m.in_time, (long long)m.refused, (long long)m.waiting,
               (long long)m.forwarded, (long long)m.rated, (long long)m.satisfied);
        if (handled)
            printf("on_time_rate\t%.1f%%\t(on_time / (on_time + late + overdue))\n",
                   100.0 * (double)m.on_time / (double)handled);
        if (m.rated)
            printf("satisfaction_rate\t%.1f%%\t(ratings 4-5 / ratings)\n",
                   100.0 * (double)m.satisfied / (double)m.rated);
    } else {
        rc = err_set(e, ERR_INVALID, "command", "unknown subcommand '%s' (see --help)", sub);
    }
out:
    calendar_free(cal);
    free(tbody);
    free(rules);
    free(f);
    return rc;
}

int cmd_feedback(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    struct opts o;
    struct err e = {0};
    if (parse(argc, argv, &o, &e)) return cli_fail("feedback", &e);
    struct store *s;
    int rc = cli_store_open("feedback", cli_db_path(o.db), 0, &s);
    if (rc) return rc;
    rc = run(s, argv[1], &o, &e);
    store_close(s);
    return rc ? cli_fail("feedback", &e) : 0;
}
