/* cmd_remind.c — `cchc remind`: reminders before a due date and escalation after it (issues
 * 14 and 15, docs/reminders.md). `run` is the sweep `cchc serve` makes every remind_interval
 * seconds, for a cron job or a test; `list` shows an account's reminders; `contact` sets a
 * staff account's e-mail and mobile phone, where reminders also go through the outbox. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "cli.h"
#include "date.h"
#include "remind.h"
#include "store.h"
#include "store_calendar.h"
#include "store_remind.h"

#define CAL_FIRST_YEAR 2013 /* the calendar's years, as cmd_feedback.c loads them */
#define CAL_LAST_YEAR  2100

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc remind run [--at YYYY-MM-DDTHH:MM] [--data DIR]\n"
               "       cchc remind list USERNAME [--unread]\n"
               "       cchc remind contact USERNAME [--email ADDRESS] [--phone NUMBER]\n"
               "Every command takes --db FILE|URL. run reminds of every open plan task (remedies\n"
               "included), feedback item and dialogue commitment that is due soon or overdue on\n"
               "the rules of DIR/reminders/rules.tsv (each reminder once) and prints: items,\n"
               "at a stage, reminders written, of them sent through the outbox, items with\n"
               "nobody to tell. list prints one reminder a line: id, created, kind, item, stage,\n"
               "due day, unit, recipient, escalated, read, queued, title. contact with an empty\n"
               "value clears it.\n");
}

struct opts {
    const char *db, *data, *at, *email, *phone, *user;
    int unread;
};

static int parse(int argc, char **argv, struct opts *o, struct err *e)
{
    static const struct {
        const char *flag;
        size_t off;
    } tab[] = {
#define O(f, m) {f, offsetof(struct opts, m)}
        O("--db", db), O("--data", data), O("--at", at), O("--email", email), O("--phone", phone),
#undef O
    };
    memset(o, 0, sizeof *o);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--unread")) {
            o->unread = 1;
            continue;
        }
        size_t k = 0, n = sizeof tab / sizeof tab[0];
        while (k < n && strcmp(argv[i], tab[k].flag))
            k++;
        if (k < n && i + 1 < argc)
            *(const char **)((char *)o + tab[k].off) = argv[++i];
        else if (argv[i][0] != '-' && !o->user)
            o->user = argv[i];
        else
            return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)",
                           argv[i]);
    }
    return 0;
}

static int print_fn(const struct reminder *r, void *ctx)
{
    (void)ctx;
    char a[20], b[16];
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", (long long)r->id,
           instant_format(r->created_at, a), remind_kind_name(r->kind), r->item,
           remind_stage_name(r->stage), day_format(r->due_day, b), r->unit, r->recipient,
           r->escalated, r->read_at != 0, r->queued, r->title);
    return 0;
}

static int run(struct store *s, const char *sub, const struct opts *o, struct err *e)
{
    if (!strcmp(sub, "run")) {
        int64_t now = ((int64_t)time(NULL) + 7 * 3600) / 60;
        if (o->at) {
            struct ymd d;
            struct err e2 = {0};
            if (!ymd_parse(o->at, &d, "--at", &e2))
                now = ymd_to_days(d) * MINUTES_PER_DAY + 8 * 60; /* a day: its opening hour */
            else if (instant_parse(o->at, &now, "--at", e))
                return ERR_INVALID;
        }
        struct remind_rules *rules = malloc(sizeof *rules);
        if (!rules) return err_set(e, ERR_NOMEM, "remind", "out of memory");
        struct calendar *cal = NULL;
        int rc = remind_rules_load(cli_data_dir(o->data), rules, e);
        if (!rc)
            rc = calendar_load(cli_data_dir(o->data), CAL_FIRST_YEAR, CAL_LAST_YEAR, NULL, &cal, e);
        if (!rc) rc = store_calendar_apply(s, &cal, e); /* with the database's decisions */
        struct remind_sweep_stats st;
        if (!rc) rc = store_remind_sweep(s, rules, cal, now, &st, e);
        if (!rc)
            printf("items %d\tat a stage %d\twritten %d\tqueued %d\tnobody to tell %d\n", st.items,
                   st.reached, st.written, st.queued, st.no_one);
        calendar_free(cal);
        free(rules);
        return rc;
    }
    if (!o->user) return err_set(e, ERR_INVALID, "username", "USERNAME: required");
    if (!strcmp(sub, "list"))
        return store_reminders_of(s, o->user, o->unread, 1000, print_fn, NULL, NULL, e);
    if (!strcmp(sub, "contact")) {
        char em[NOTIFY_CONTACT_MAX], ph[NOTIFY_CONTACT_MAX];
        int rc = store_user_contact_get(s, o->user, em, ph, e);
        if (!rc)
            rc = store_user_contact_put(s, o->user, o->email ? o->email : em,
                                        o->phone ? o->phone : ph, e);
        if (!rc) rc = store_user_contact_get(s, o->user, em, ph, e);
        if (!rc) printf("%s\t%s\t%s\n", o->user, em, ph);
        return rc;
    }
    return err_set(e, ERR_INVALID, "command", "unknown subcommand '%s' (see --help)", sub);
}

int cmd_remind(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    struct opts o;
    struct err e = {0};
    if (parse(argc, argv, &o, &e)) return cli_fail("remind", &e);
    struct store *s;
    int rc = cli_store_open("remind", cli_db_path(o.db), 0, &s);
    if (rc) return rc;
    rc = run(s, argv[1], &o, &e);
    store_close(s);
    return rc ? cli_fail("remind", &e) : 0;
}
