/* cmd_dialogue.c — `cchc dialogue`: a unit's periodic dialogues (đối thoại) with citizens and
 * businesses, the commitments made there with owner and due day, and their follow-up until
 * closed (open, overdue, closed on time or late). A thin client of src/core/dialogue.c and
 * the store. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "dialogue.h"
#include "store.h"
#include "store_dialogue.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc dialogue add --unit CODE --day YYYY-MM-DD --title TEXT\n"
               "         [--participants TEXT] [--questions TEXT]\n"
               "       cchc dialogue commit DIALOGUE_ID --text TEXT --owner NAME --due DAY\n"
               "       cchc dialogue close COMMITMENT_ID --result TEXT [--day DAY]\n"
               "       cchc dialogue list [--unit CODE] [--open] [--at DAY]\n"
               "Every command takes --db FILE|URL. list prints one commitment a line: id, unit,\n"
               "dialogue day, due day, owner, outcome (open, overdue, on_time, late), text.\n");
}

struct opts {
    const char *db, *id, *unit, *day, *title, *participants, *questions, *text, *owner, *due,
        *result, *at;
    int open;
};

static int parse(int argc, char **argv, struct opts *o, struct err *e)
{
    static const struct {
        const char *flag;
        size_t off;
    } tab[] = {
#define O(f, m) {f, offsetof(struct opts, m)}
        O("--db", db),
        O("--unit", unit),
        O("--day", day),
        O("--title", title),
        O("--participants", participants),
        O("--questions", questions),
        O("--text", text),
        O("--owner", owner),
        O("--due", due),
        O("--result", result),
        O("--at", at),
#undef O
    };
    memset(o, 0, sizeof *o);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--open")) {
            o->open = 1;
            continue;
        }
        size_t k = 0, n = sizeof tab / sizeof tab[0];
        while (k < n && strcmp(argv[i], tab[k].flag))
            k++;
        if (k < n && i + 1 < argc)
            *(const char **)((char *)o + tab[k].off) = argv[++i];
        else if (argv[i][0] != '-' && !o->id)
            o->id = argv[i];
        else
            return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)",
                           argv[i]);
    }
    return 0;
}

static int day_of(const char *s, const char *field, int64_t *out, struct err *e)
{
    if (!s) {
        *out = (((int64_t)time(NULL) + 7 * 3600) / 60) / 1440;
        return 0;
    }
    struct ymd d;
    if (ymd_parse(s, &d, field, e)) return e->code;
    *out = ymd_to_days(d);
    return 0;
}

static int id_of(const char *s, int64_t *out, struct err *e)
{
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || *end || v <= 0)
        return err_set(e, ERR_INVALID, "id", "id '%s': a whole number > 0", s ? s : "");
    *out = v;
    return 0;
}

static int print_fn(const struct dialogue *d, const struct commitment *c, void *ctx)
{
    char a[16], b[16];
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)c->id, d->unit, day_format(d->day, a),
           day_format(c->due_day, b), c->owner,
           commitment_outcome_name(commitment_outcome_at(c, *(int64_t *)ctx)), c->text);
    return 0;
}

#define COPY(dst, src) snprintf(dst, sizeof dst, "%s", (src) ? (src) : "")

static int run(struct store *s, const char *sub, const struct opts *o, struct err *e)
{
    int rc;
    if (!strcmp(sub, "add")) {
        struct dialogue *d = calloc(1, sizeof *d);
        if (!d) return err_set(e, ERR_NOMEM, "dialogue", "out of memory");
        COPY(d->unit, o->unit);
        COPY(d->title, o->title);
        COPY(d->participants, o->participants);
        COPY(d->questions, o->questions);
        rc = o->day ? day_of(o->day, "--day", &d->day, e)
                    : err_set(e, ERR_INVALID, "day", "--day: required");
        if (!rc) rc = store_dialogue_add(s, d, e);
        if (!rc) printf("%lld\n", (long long)d->id);
        free(d);
        return rc;
    }
    if (!strcmp(sub, "commit")) {
        struct commitment *c = calloc(1, sizeof *c);
        if (!c) return err_set(e, ERR_NOMEM, "commitment", "out of memory");
        COPY(c->text, o->text);
        COPY(c->owner, o->owner);
        rc = id_of(o->id, &c->dialogue_id, e);
        if (!rc)
            rc = o->due ? day_of(o->due, "--due", &c->due_day, e)
                        : err_set(e, ERR_INVALID, "due", "--due: required");
        if (!rc) rc = store_commitment_add(s, c, e);
        if (!rc) printf("%lld\n", (long long)c->id);
        free(c);
        return rc;
    }
    if (!strcmp(sub, "close")) {
        int64_t id = 0, day = 0;
        if ((rc = id_of(o->id, &id, e)) || (rc = day_of(o->day, "--day", &day, e))) return rc;
        return store_commitment_close(s, id, day, o->result, e);
    }
    if (!strcmp(sub, "list")) {
        int64_t today = 0;
        if ((rc = day_of(o->at, "--at", &today, e))) return rc;
        return store_commitments(s, o->unit, today, o->open, print_fn, &today, e);
    }
    return err_set(e, ERR_INVALID, "command", "unknown subcommand '%s' (see --help)", sub);
}

int cmd_dialogue(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    struct opts o;
    struct err e = {0};
    if (parse(argc, argv, &o, &e)) return cli_fail("dialogue", &e);
    struct store *s;
    int rc = cli_store_open("dialogue", cli_db_path(o.db), 0, &s);
    if (rc) return rc;
    rc = run(s, argv[1], &o, &e);
    store_close(s);
    return rc ? cli_fail("dialogue", &e) : 0;
}
