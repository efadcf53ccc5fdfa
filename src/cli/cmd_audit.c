/* cmd_audit.c — `cchc audit verify`: recomputes the dossier event log's hash chain and checks
 * every dossier row against the state its last event recorded; names the first bad row. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc audit verify [--db FILE]\n"
               "Recomputes the SHA-256 chain of the dossier event log (each event hashes the\n"
               "previous one and its own content), checks that no event is missing, that the\n"
               "chain head matches the last event, and that each dossier row is the state its\n"
               "last event recorded. Prints 'ok' and the counts (exit 0), or the first bad row\n"
               "(exit 1): an edited, deleted or reordered event, or an edited dossier.\n");
}

int cmd_audit(int argc, char **argv)
{
    struct err e = {0};
    const char *db = NULL;
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
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("audit", &e);
        }
    }
    struct store *s;
    int rc = cli_store_open("audit", db, 0, &s);
    if (rc) return rc;
    struct audit_report r;
    rc = store_audit_verify(s, &r, &e);
    store_close(s);
    if (rc) return cli_fail("audit", &e);
    if (!r.ok) {
        printf("FAILED: %s\n", r.problem);
        fprintf(stderr, "cchc audit: the event log does not verify: %s\n", r.problem);
        return 1;
    }
    printf("ok: %lld events, %lld dossiers, chain intact\n", (long long)r.events,
           (long long)r.dossiers);
    return 0;
}
