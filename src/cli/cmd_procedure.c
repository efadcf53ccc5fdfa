/* cmd_procedure.c — `cchc procedure list|show`: the procedures catalogue, searched without
 * regard to case or diacritics ("khai sinh" finds "Đăng ký khai sinh"), and one procedure
 * with its legal time, fee, online mode, documents and process template. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc procedure list [--search TEXT] [--db FILE]\n"
               "       cchc procedure show CODE [--db FILE]\n"
               "list: one line per procedure: CODE, level, legal time, online mode, field, name\n"
               "  (TAB-separated), by code. --search keeps those whose code, name or field\n"
               "  contains TEXT, ignoring case and Vietnamese diacritics.\n"
               "show: every field of one procedure, its documents and its process steps.\n");
}

static int print_line(const struct procedure *p, void *ctx)
{
    (void)ctx;
    char t[64];
    printf("%s\t%s\t%s\t%s\t%s\t%s\n", p->code, proc_level_name(p->level),
           proc_time_format(p, t, sizeof t), online_mode_name(p->online), p->field, p->name);
    return 0;
}

/* "2/6/2025" from "2025-06-02" (buf >= 16 bytes). */
static const char *vn_date(const char *iso, char *buf)
{
    int y, m, dd;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &dd) != 3) return iso;
    snprintf(buf, 16, "%d/%d/%d", dd, m, y);
    return buf;
}

static void print_procedure(const struct procedure *p)
{
    char t[64], fee[64];
    printf("Mã:\t%s\nTên:\t%s\nLĩnh vực:\t%s\nCấp thực hiện:\t%s\n", p->code, p->name, p->field,
           proc_level_label(p->level));
    printf("Thời hạn giải quyết:\t%s%s%s\n", proc_time_format(p, t, sizeof t),
           p->time_note[0] ? " — " : "", p->time_note);
    if (p->fee_vnd >= 0)
        snprintf(fee, sizeof fee, p->fee_vnd ? "%lld đồng" : "không thu phí",
                 (long long)p->fee_vnd);
    else
        snprintf(fee, sizeof fee, "theo quy định");
    printf("Phí, lệ phí:\t%s%s%s\n", fee, p->fee_note[0] ? " — " : "", p->fee_note);
    printf("Dịch vụ công trực tuyến:\t%s\n", online_mode_label(p->online));
    if (p->legal_basis[0]) printf("Căn cứ:\t%s\n", p->legal_basis);
    char d[16];
    if (p->decision[0])
        printf("Quyết định công bố:\t%s ngày %s\n", p->decision, vn_date(p->decision_date, d));
    if (p->basis_effective[0]) printf("Căn cứ có hiệu lực:\t%s\n", vn_date(p->basis_effective, d));
    if (p->posted_portal[0])
        printf("Công khai trên CSDL quốc gia:\t%s\n", vn_date(p->posted_portal, d));
    if (p->posted_desk[0])
        printf("Niêm yết tại Bộ phận Một cửa:\t%s\n", vn_date(p->posted_desk, d));
    printf("Nơi tiếp nhận:\t%s%s%s\n", recv_scope_label(p->receive),
           p->receive_basis[0] ? " — " : "", p->receive_basis);
    printf("Thành phần hồ sơ:\t%d\n", p->ndocs);
    for (int i = 0; i < p->ndocs; i++)
        printf("  %d. %s\n", i + 1, p->docs[i]);
    printf("Quy trình:\t%d bước\n", p->nsteps);
    for (int i = 0; i < p->nsteps; i++) {
        char step[300];
        printf("  %d. %s\n", i + 1, proc_step_format(&p->steps[i], step, sizeof step));
    }
}

int cmd_procedure(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    int list = !strcmp(argv[1], "list");
    if (!list && strcmp(argv[1], "show")) {
        err_set(&e, ERR_INVALID, "command", "'%s': not a procedure command (list, show)", argv[1]);
        return cli_fail("procedure", &e);
    }
    const char *db = NULL, *search = NULL, *code = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (list && !strcmp(argv[i], "--search") && i + 1 < argc)
            search = argv[++i];
        else if (!list && argv[i][0] != '-' && !code)
            code = argv[i];
        else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("procedure", &e);
        }
    }
    if (!list && !code) {
        err_set(&e, ERR_INVALID, "code", "missing CODE (see --help)");
        return cli_fail("procedure", &e);
    }
    struct store *s;
    int rc = cli_store_open("procedure", db, 0, &s);
    if (rc) return rc;
    static struct procedure p; /* ~14 KB, off the stack */
    if (list)
        rc = store_procedure_list(s, search, print_line, NULL, &e);
    else if (!(rc = store_procedure_get(s, code, &p, &e)))
        print_procedure(&p);
    store_close(s);
    return rc ? cli_fail("procedure", &e) : 0;
}
