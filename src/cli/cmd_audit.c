/* cmd_audit.c — `cchc audit verify [--province P]`: recomputes the dossier event log's hash
 * chains (the global one up to the genesis of migration 049, then one per province) and checks
 * every dossier row against the state its last event recorded; names the first bad row. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc audit verify [--province P] [--db FILE]\n"
               "Recomputes the SHA-256 chains of the dossier event log (each event hashes the\n"
               "one before it and its own content) and checks that each dossier row is the state\n"
               "its last event recorded. Up to the genesis (the log's last event when the chains\n"
               "went per province, migration 049) one global chain, without a missing event;\n"
               "after it one chain per province: each event hashes the previous event of its\n"
               "province, the first one the genesis, and the province's head must match its\n"
               "last event. --province P verifies P's chain and dossiers only, and the global\n"
               "chain before the genesis in full (every province's anchor). Prints 'ok' and the\n"
               "counts (exit 0), or the first bad row (exit 1): an edited, deleted or reordered\n"
               "event, a head that does not match or is missing, or an edited dossier.\n");
}

int cmd_audit(int argc, char **argv)
{
    struct err e = {0};
    const char *db = NULL, *province = NULL;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    if (strcmp(argv[1], "verify")) {
        err_set(&e, ERR_INVALID, "command", "'%s': not an audit command (verify)", argv[1]);
        return cli_fail("audit", &e);
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (!strcmp(argv[i], "--province") && i + 1 < argc && argv[i + 1][0]) {
            province = argv[++i];
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("audit", &e);
        }
    }
    struct store *s;
    int rc = cli_store_open("audit", db, 0, &s);
    if (rc) return rc;
    /* a province is the code of a unit that is its own province (a root when created): a
     * mistyped code would otherwise verify "ok" over no event at all */
    char root[UNIT_CODE_MAX];
    struct unit u;
    if (province && store_unit_get(s, province, &u, &e) == 0 &&
        store_unit_root(s, province, root, sizeof root, &e) == 0 && strcmp(root, province))
        err_set(&e, ERR_INVALID, "province", "--province '%s': a unit of province '%s'; give '%s'",
                province, root, root);
    if (province && e.msg[0]) {
        store_close(s);
        return cli_fail("audit", &e);
    }
    struct audit_report r;
    rc = store_audit_verify_province(s, province, &r, &e);
    store_close(s);
    if (rc) return cli_fail("audit", &e);
    if (!r.ok) {
        printf("FAILED: %s\n", r.problem);
        fprintf(stderr, "cchc audit: the event log does not verify: %s\n", r.problem);
        return 1;
    }
    /* the global chain before the genesis (migration 049), when there is one */
    char before[120] = "";
    if (r.legacy)
        snprintf(before, sizeof before, "; the global chain before them: %lld events%s",
                 (long long)r.legacy, province ? ", verified in full" : "");
    if (province)
        printf("ok: province %s: %lld events, %lld dossiers, chain intact%s\n", province,
               (long long)(r.events - r.legacy), (long long)r.dossiers, before);
    else
        printf("ok: %lld events, %lld dossiers, %d province chain%s intact%s\n",
               (long long)r.events, (long long)r.dossiers, r.chains, r.chains == 1 ? "" : "s",
               before);
    return 0;
}
