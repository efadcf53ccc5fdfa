/* cmd_unit.c — `cchc unit list|show`: the unit tree as of a day (or every period), one
 * unit with its parent, successor, predecessors and children, and where a unit's history
 * leads on a given day (the successor that stands for it after a merger). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "store.h"

struct opts {
    const char *db, *as_of_s, *parent, *code;
    int64_t as_of; /* UNIT_DAY_MIN when not given */
};

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc unit list [--as-of YYYY-MM-DD] [--parent CODE] [--db FILE]\n"
               "       cchc unit show CODE [--as-of YYYY-MM-DD] [--db FILE]\n"
               "list: the tree of units, indented, one per line: CODE, kind, name, period and\n"
               "  successor (TAB-separated). --as-of keeps the units that exist on that day;\n"
               "  --parent lists only the direct children of CODE.\n"
               "show: one unit; with --as-of, also the unit that stands for it on that day\n"
               "  (following successors through mergers) and its children on that day.\n");
}

static int parse_args(int argc, char **argv, struct opts *o, struct err *e)
{
    o->as_of = UNIT_DAY_MIN;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            o->db = argv[++i];
        else if (!strcmp(argv[i], "--as-of") && i + 1 < argc)
            o->as_of_s = argv[++i];
        else if (!strcmp(argv[i], "--parent") && i + 1 < argc)
            o->parent = argv[++i];
        else if (argv[i][0] != '-' && !o->code)
            o->code = argv[i];
        else
            return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)",
                           argv[i]);
    }
    if (o->as_of_s) {
        struct ymd d;
        if (ymd_parse(o->as_of_s, &d, "--as-of", e)) return e->code;
        o->as_of = ymd_to_days(d);
    }
    return 0;
}

static const char *period(const struct unit *u, char *buf)
{
    char a[16] = "", b[16] = "";
    if (u->valid_from != UNIT_DAY_MIN) day_format(u->valid_from, a);
    if (u->valid_to != UNIT_DAY_MAX) day_format(u->valid_to, b);
    sprintf(buf, "%s..%s", a, b);
    return buf;
}

/* Prints a unit indented by its depth, found from the parents seen so far (depth-first). */
struct tree {
    char stack[32][UNIT_CODE_MAX];
    int depth;
};

static int print_row(const struct unit *u, void *ctx)
{
    struct tree *t = ctx;
    int d = 0;
    if (t) {
        while (t->depth > 0 && strcmp(t->stack[t->depth - 1], u->parent))
            t->depth--;
        d = t->depth;
        if (t->depth < 32) snprintf(t->stack[t->depth++], UNIT_CODE_MAX, "%s", u->code);
    }
    char p[40];
    printf("%*s%s\t%s\t%s\t%s\t%s\n", 2 * d, "", u->code, unit_kind_name(u->kind), u->name,
           period(u, p), u->successor);
    return 0;
}

struct list_ctx {
    struct store *s;
    int64_t as_of;
    struct err *e;
};

static int print_subtree(const struct unit *root, void *ctx)
{
    struct list_ctx *lc = ctx;
    struct tree t = {.depth = 0};
    return store_unit_subtree(lc->s, root->code, lc->as_of, print_row, &t, lc->e);
}

static int unit_list(struct store *s, const struct opts *o, struct err *e)
{
    if (o->code)
        return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)",
                       o->code);
    if (o->parent) {
        struct unit p;
        int rc = store_unit_get(s, o->parent, &p, e);
        return rc ? rc : store_unit_children(s, o->parent, o->as_of, print_row, NULL, e);
    }
    struct list_ctx lc = {s, o->as_of, e};
    return store_unit_children(s, NULL, o->as_of, print_subtree, &lc, e);
}

/* Collects codes into a ", "-separated list. */
struct join {
    char buf[1024];
    int n;
};

static int join_code(const struct unit *u, void *ctx)
{
    struct join *j = ctx;
    size_t len = strlen(j->buf);
    snprintf(j->buf + len, sizeof j->buf - len, "%s%s", j->n++ ? ", " : "", u->code);
    return 0;
}

static int unit_show(struct store *s, const struct opts *o, struct err *e)
{
    if (!o->code) return err_set(e, ERR_INVALID, "code", "missing CODE (see --help)");
    struct unit u, other;
    int rc = store_unit_get(s, o->code, &u, e);
    if (rc) return rc;
    char p[40], d[16];
    printf("Mã:\t%s\nTên:\t%s\nLoại:\t%s (%s)\n", u.code, u.name, unit_kind_name(u.kind),
           unit_kind_label(u.kind));
    if (u.parent[0]) {
        int found = !store_unit_get(s, u.parent, &other, NULL);
        printf("Trực thuộc:\t%s%s%s\n", u.parent, found ? " — " : "", found ? other.name : "");
    }
    printf("Hiệu lực:\t%s\n", period(&u, p));
    if (u.successor[0]) printf("Kế thừa bởi:\t%s\n", u.successor);
    if (u.ident_code[0]) printf("Mã định danh:\t%s\n", u.ident_code);
    struct join j = {.n = 0};
    if ((rc = store_unit_predecessors(s, u.code, join_code, &j, e))) return rc;
    if (j.n) printf("Sáp nhập từ:\t%s\n", j.buf);
    if (o->as_of != UNIT_DAY_MIN) {
        day_format(o->as_of, d);
        struct err re = {0};
        if (store_unit_resolve(s, u.code, o->as_of, &other, &re))
            printf("Ngày %s:\t%s\n", d, re.msg);
        else
            printf("Ngày %s:\t%s — %s\n", d, other.code, other.name);
    }
    j = (struct join){.n = 0};
    if ((rc = store_unit_children(s, u.code, o->as_of, join_code, &j, e))) return rc;
    printf("Đơn vị trực thuộc:\t%d%s%s\n", j.n, j.n ? "\t" : "", j.buf);
    return 0;
}

int cmd_unit(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    int list = !strcmp(argv[1], "list");
    if (!list && strcmp(argv[1], "show")) {
        err_set(&e, ERR_INVALID, "command", "'%s': not a unit command (list, show)", argv[1]);
        return cli_fail("unit", &e);
    }
    struct opts o = {0};
    if (parse_args(argc, argv, &o, &e)) return cli_fail("unit", &e);
    struct store *s;
    int rc = cli_store_open("unit", o.db, 0, &s);
    if (rc) return rc;
    rc = list ? unit_list(s, &o, &e) : unit_show(s, &o, &e);
    store_close(s);
    return rc ? cli_fail("unit", &e) : 0;
}
