/* config.c — the option table of `cchc serve` and the three readers it drives: defaults,
 * cchc.ini (inih) and command-line flags, and the --help text. Every value is checked
 * against the table's type and bounds, and the message names the value, where it came from
 * and the rule. */
#include "config.h"

#include "backdate.h"

#include "proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define OFF(f) offsetof(struct serve_config, f)

const struct option_def config_options[] = {
    {"listen", OPT_STRING, "127.0.0.1", 0, 63, OFF(listen),
     "address to listen on; a non-loopback address also needs allow_remote"},
    {"port", OPT_INT, "8080", 0, 65535, OFF(port),
     "TCP port; 0 picks a free port (printed, and written to port_file)"},
    {"allow_remote", OPT_BOOL, "false", 0, 1, OFF(allow_remote),
     "permit listening on a non-loopback address (put TLS in front)"},
    {"db", OPT_STRING, "cchc.db", 1, CONFIG_STR_MAX - 1, OFF(db),
     "database: an SQLite file path; it must exist (cchc init), `cchc demo` creates its own"},
    {"data", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(data),
     "data directory (calendars); empty: $CCHC_DATA or the built-in default"},
    {"port_file", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(port_file),
     "write the port actually bound to this file once listening"},
    {"threads", OPT_INT, "2", 1, 64, OFF(threads),
     "worker threads, each with its own database connection"},
    {"group_commit", OPT_BOOL, "true", 0, 1, OFF(group_commit),
     "concurrent write requests share one WAL sync, each answered only once its commit is on "
     "disk (docs/scale.md; PostgreSQL: the flush is waited for after the write lock); false: "
     "each commit syncs alone (SQLite synchronous=FULL)"},
    {"list_cache_mb", OPT_INT, "64", 0, 65536, OFF(list_cache_mb),
     "megabytes for dossier list entries as rendered, kept while the dossier is unchanged "
     "(shared by the threads; 0: off)"},
    {"read_cache_mb", OPT_INT, "32", 0, 65536, OFF(read_cache_mb),
     "megabytes for what GET requests read again and again (sessions, dossiers as shown, the "
     "units' scope answers), shared by the threads, each dropped when the database changes it "
     "(PostgreSQL: told by LISTEN; docs/scale.md); 0: off"},
    {"read_cache_check_ms", OPT_INT, "1", 0, 1000, OFF(read_cache_check_ms),
     "SQLite: milliseconds a GET may use the read cache without reading the file's data "
     "version, when this server committed nothing since the last read of it: another "
     "process's change (the CLI, a second server) shows within that time; 0: read it at every "
     "request. PostgreSQL: unused (other processes' changes come as notifications)"},
    {"db_cache_mb", OPT_INT, "64", 1, 65536, OFF(db_cache_mb),
     "SQLite: megabytes of database pages each thread's connection keeps (taken as used; "
     "SQLite's own default is 2, which sends most reads to the kernel once the file is large; "
     "docs/scale.md). PostgreSQL: unused (its shared_buffers)"},
    {"body_limit", OPT_INT, "1048576", 1024, 16777216, OFF(body_limit),
     "largest request body in bytes; larger ones get 413"},
    {"conn_timeout", OPT_INT, "30", 1, 3600, OFF(conn_timeout),
     "seconds of client silence before a connection is closed"},
    {"request_timeout", OPT_INT, "20", 1, 3600, OFF(request_timeout),
     "seconds a client has to send one whole request (headers and body), however slowly it "
     "trickles bytes; counted from the connection's start or its last answer"},
    {"max_conns", OPT_INT, "1000", 16, 100000, OFF(max_conns),
     "open connections at most; past three quarters of it, a connection that has not sent a "
     "whole request within 2 seconds is closed, to keep room for new clients"},
    {"max_conns_per_ip", OPT_INT, "32", 1, 100000, OFF(max_conns_per_ip),
     "open connections at most from one client address (offices behind NAT share one)"},
    {"metrics_token", OPT_STRING, "", 0, 200, OFF(metrics_token),
     "GET /metrics needs the header 'Authorization: Bearer TOKEN' (at least 16 characters); "
     "empty: /metrics is off (404)"},
    {"shutdown_grace", OPT_INT, "10", 0, 300, OFF(shutdown_grace),
     "seconds in-flight requests get to finish after SIGTERM/SIGINT"},
    {"backdate_tolerance", OPT_STRING, "0", 1, 15, OFF(backdate_tolerance),
     "how far back an officer may date an action without being a leader or administrator and "
     "giving a reason: 0 = from the start of the day of recording, N = from the start of the "
     "N-th working day before it (at most 30); off = no limit (replaying history in tests; "
     "never on a live office). Every action records the server's time beside the claim"},
    {"slow_ms", OPT_INT, "500", 0, 600000, OFF(slow_ms),
     "log requests slower than this many milliseconds (0: off)"},
    {"trusted_proxies", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(trusted_proxies),
     "reverse proxies whose forwarding header names the client (addresses or ADDR/PREFIX, "
     "comma-separated, e.g. 127.0.0.1, ::1); the client is the right-most hop not in this list; "
     "empty: the TCP peer is the client and forwarding headers are ignored"},
    {"proxy_header", OPT_STRING, "x-forwarded-for", 1, 31, OFF(proxy_header),
     "the header trusted proxies set: x-forwarded-for or forwarded (RFC 7239); the other one "
     "is ignored"},
    {"request_log", OPT_BOOL, "false", 0, 1, OFF(request_log),
     "write one JSON line per request to standard output (the journal): time, method, route "
     "pattern, status, ms, bytes, the client's /24 or /48 network; no URL, no personal data"},
    {"cookie_secure", OPT_BOOL, "false", 0, 1, OFF(cookie_secure),
     "mark the session cookie Secure (when served over HTTPS)"},
    {"session_minutes", OPT_INT, "480", 5, 43200, OFF(session_minutes),
     "session lifetime in minutes"},
    {"login_max_failures", OPT_INT, "5", 1, 1000, OFF(login_max_failures),
     "failed sign-ins allowed per client address and username within limit_window (locks "
     "that address out for that username, not the owner elsewhere)"},
    {"login_max_failures_user", OPT_INT, "20", 1, 100000, OFF(login_max_failures_user),
     "failed sign-ins allowed per username from all addresses within limit_window; then only "
     "a device the user signed in from before may sign in, until the window ends or `cchc user "
     "unlock`"},
    {"login_max_failures_ip", OPT_INT, "50", 1, 100000, OFF(login_max_failures_ip),
     "failed sign-ins allowed per client address within limit_window (offices share one)"},
    {"login_max_failures_net", OPT_INT, "200", 1, 1000000, OFF(login_max_failures_net),
     "failed sign-ins allowed per client network (IPv4 /24, IPv6 /64) within limit_window"},
    {"lookup_max_failures", OPT_INT, "5", 1, 1000, OFF(lookup_max_failures),
     "failed citizen lookups allowed per dossier code within limit_window"},
    {"lookup_max_failures_ip", OPT_INT, "30", 1, 100000, OFF(lookup_max_failures_ip),
     "failed citizen lookups allowed per client address within limit_window"},
    {"lookup_max_failures_net", OPT_INT, "100", 1, 1000000, OFF(lookup_max_failures_net),
     "failed citizen lookups allowed per client network (IPv4 /24, IPv6 /64) within "
     "limit_window"},
    {"limit_window", OPT_INT, "900", 10, 86400, OFF(limit_window),
     "seconds over which failures are counted for rate limiting"},
    {"limit_max_lock", OPT_INT, "14400", 10, 604800, OFF(limit_max_lock),
     "longest lock in seconds: the max-th failure locks a key for limit_window, a lock within "
     "a day of the previous one lasts twice as long, up to this"},
    {"totp_admin_required", OPT_BOOL, "false", 0, 1, OFF(totp_admin_required),
     "administrators sign in only with a second factor (TOTP): one without it is refused and "
     "told to enrol with `cchc user totp enrol`"},
    {"par_evidence_max", OPT_INT, "20971520", 1, 268435456, OFF(par_evidence_max),
     "largest PAR evidence file in bytes; uploads travel base64-encoded in JSON, so body_limit "
     "bounds them too (a file of N bytes needs about 4N/3 + 1 KiB)"},
    {"efile_file_max", OPT_INT, "10485760", 1024, 268435456, OFF(efile_file_max),
     "largest document a citizen uploads online, in bytes (sent as the raw request body, so "
     "body_limit does not bound it); larger ones get 413"},
    {"efile_dossier_max", OPT_INT, "52428800", 1024, 2147483647, OFF(efile_dossier_max),
     "largest total of the documents of one online filing, in bytes; past it an upload gets 413"},
    {"keys", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(keys),
     "directory of the document-signing keys of printed forms (cchc init creates them); "
     "empty: the database path + .keys"},
    {"sign_dir", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(sign_dir),
     "directory of the X.509 two-layer signing material (docs/digitisation.md): ca.pem (trusted "
     "roots), crl.pem (optional) and per user USER.pem with USER.key (a PEM key) or USER.uri "
     "(a pkcs11: URI); empty: no signing or verification of results"},
    {"public_url", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(public_url),
     "public address of this server, printed in forms' QR codes (https://…); empty: "
     "http:// and the Host of the request"},
    /* notifications: the outbox's delivery (docs/notify.md) */
    {"notify_worker", OPT_BOOL, "true", 0, 1, OFF(notify_worker),
     "run the notification delivery thread (the outbox: e-mail, SMS, Zalo OA); off when "
     "another process (`cchc notify run`) delivers"},
    {"notify_interval", OPT_INT, "5", 1, 3600, OFF(notify_interval),
     "seconds between the delivery thread's passes over the outbox"},
    {"notify_lease", OPT_INT, "120", 5, 86400, OFF(notify_lease),
     "seconds a delivering process holds the messages it took; a process that died holding "
     "them gives them up after this, and they are sent again (at least once)"},
    /* reminders before due dates and escalation (docs/reminders.md) */
    {"remind_worker", OPT_BOOL, "true", 0, 1, OFF(remind_worker),
     "run the reminder sweep (plan tasks, remedies, feedback, dialogue commitments due soon or "
     "overdue, data/reminders/rules.tsv); each reminder is written once, so several servers "
     "may all run it"},
    {"remind_interval", OPT_INT, "900", 5, 86400, OFF(remind_interval),
     "seconds between the reminder sweeps"},
    {"notify_sink", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(notify_sink),
     "loopback sink for the demo and tests: every message is appended to this file as one "
     "JSON line instead of being sent; empty: off"},
    {"smtp_url", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(smtp_url),
     "e-mail: the SMTP server, smtp://host:port (or smtps://); empty: no e-mail"},
    {"smtp_from", OPT_STRING, "", 0, 255, OFF(smtp_from), "e-mail: the sender address"},
    {"smtp_user", OPT_STRING, "", 0, 255, OFF(smtp_user),
     "e-mail: SMTP user name (then STARTTLS is tried); empty: no authentication"},
    {"smtp_password", OPT_STRING, "", 0, 255, OFF(smtp_password), "e-mail: SMTP password"},
    {"sms_url", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(sms_url),
     "SMS gateway: messages are POSTed as JSON {msg_id, to, event, text}; empty: none"},
    {"sms_token", OPT_STRING, "", 0, 255, OFF(sms_token),
     "SMS gateway: sent as Authorization: Bearer TOKEN"},
    {"zalo_url", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(zalo_url),
     "Zalo OA gateway, the same JSON POST as sms_url; empty: none"},
    {"zalo_token", OPT_STRING, "", 0, 255, OFF(zalo_token),
     "Zalo OA gateway: sent as Authorization: Bearer TOKEN"},
    {"pay_provider_url", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(pay_provider_url),
     "online payment: the payment provider's base URL (docs/payment.md); empty: the built-in "
     "test provider when test_pay_port is set, else online payment is off"},
    {"pay_secret", OPT_STRING, "", 0, 255, OFF(pay_secret),
     "online payment: the HMAC-SHA256 key shared with the provider (signs requests, callbacks "
     "and status answers)"},
    {"pay_callback_url", OPT_STRING, "", 0, CONFIG_STR_MAX - 1, OFF(pay_callback_url),
     "online payment: the URL the provider calls back (…/api/pay/callback); empty: "
     "http://127.0.0.1:PORT/api/pay/callback"},
    {"pay_sync_seconds", OPT_INT, "60", 0, 86400, OFF(pay_sync_seconds),
     "online payment: how often the reconciler asks the provider about pending payments; 0: "
     "never (cchc payment sync)"},
    {"pay_sync_after", OPT_INT, "120", 0, 86400, OFF(pay_sync_after),
     "online payment: seconds a payment stays pending before the reconciler asks about it"},
    {"test_pay_port", OPT_INT, "0", -1, 65535, OFF(test_pay_port),
     "run the built-in test payment provider on 127.0.0.1 at this port (-1: any free port); "
     "0: off. For demos and tests only: it takes no money"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

static const struct option_def *find(const char *name)
{
    for (const struct option_def *o = config_options; o->name; o++)
        if (!strcmp(o->name, name)) return o;
    return NULL;
}

static int parse_bool(const char *s, int64_t *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcmp(s, yes[i])) return *out = 1, 0;
        if (!strcmp(s, no[i])) return *out = 0, 0;
    }
    return -1;
}

int config_set(struct serve_config *cfg, const char *name, const char *value, const char *source,
               struct err *e)
{
    const struct option_def *o = find(name);
    if (!o) return err_set(e, ERR_INVALID, name, "%s: unknown option '%s'", source, name);
    char *dst = (char *)cfg + o->offset;
    if (o->type == OPT_STRING) {
        size_t n = strlen(value);
        if ((int64_t)n < o->min || (int64_t)n > o->max)
            return err_set(e, ERR_INVALID, name, "%s: %s '%.60s': must be %lld to %lld bytes long",
                           source, name, value, (long long)o->min, (long long)o->max);
        memcpy(dst, value, n + 1);
        return 0;
    }
    int64_t v;
    if (o->type == OPT_BOOL) {
        if (parse_bool(value, &v))
            return err_set(e, ERR_INVALID, name, "%s: %s '%.60s': must be true or false", source,
                           name, value);
    } else {
        char *end;
        errno = 0;
        long long x = strtoll(value, &end, 10);
        if (!*value || *end || errno || x < o->min || x > o->max)
            return err_set(e, ERR_INVALID, name,
                           "%s: %s '%.60s': must be a whole number from %lld to %lld", source, name,
                           value, (long long)o->min, (long long)o->max);
        v = x;
    }
    memcpy(dst, &v, sizeof v);
    return 0;
}

void config_defaults(struct serve_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (const struct option_def *o = config_options; o->name; o++)
        config_set(cfg, o->name, o->def, "default", NULL);
}

struct ini_ctx {
    struct serve_config *cfg;
    struct err *e;
    int failed;
};

/* Debian's inih is built without line numbers in the callback; ini_parse returns the line of
 * the first line the callback refused, and config_load_ini puts it in front of the message. */
static int ini_line(void *user, const char *section, const char *name, const char *value)
{
    struct ini_ctx *c = user;
    if (c->failed) return 0;
    if (*section && strcmp(section, "server")) {
        err_set(c->e, ERR_INVALID, "section", "unknown section [%.40s] (use [server] or none)",
                section);
        c->failed = 1;
        return 0;
    }
    if (config_set(c->cfg, name, value, "option", c->e)) {
        c->failed = 1;
        return 0;
    }
    return 1;
}

int config_load_ini(struct serve_config *cfg, const char *path, struct err *e)
{
    struct err inner = {0};
    struct ini_ctx c = {cfg, &inner, 0};
    int rc = ini_parse(path, ini_line, &c);
    if (rc == -1) return err_set(e, ERR_IO, "config", "%s: cannot open: %s", path, strerror(errno));
    if (rc == -2) return err_set(e, ERR_NOMEM, "config", "%s: out of memory", path);
    if (c.failed) return err_set(e, inner.code, inner.field, "%s:%d: %s", path, rc, inner.msg);
    if (rc > 0)
        return err_set(e, ERR_INVALID, "config", "%s:%d: not a 'name = value' line", path, rc);
    return 0;
}

/* "--body-limit" -> "body_limit" in buf; NULL if arg is not a long flag. */
static const char *flag_name(const char *arg, char *buf, size_t n, const char **inline_value)
{
    *inline_value = NULL;
    if (strncmp(arg, "--", 2) || !arg[2]) return NULL;
    size_t i = 0;
    for (const char *p = arg + 2; *p && i + 1 < n; p++, i++) {
        if (*p == '=') {
            *inline_value = p + 1;
            break;
        }
        buf[i] = *p == '-' ? '_' : *p;
    }
    buf[i] = 0;
    return buf;
}

int config_parse_args(struct serve_config *cfg, int argc, char **argv, const char *const *extra,
                      unsigned *extra_seen, int *help, struct err *e)
{
    int rc;
    *help = 0;
    if (extra_seen) *extra_seen = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            if ((rc = config_load_ini(cfg, argv[i + 1], e))) return rc;
        } else if (!strncmp(argv[i], "--config=", 9)) {
            if ((rc = config_load_ini(cfg, argv[i] + 9, e))) return rc;
        }
    }
    for (int i = 1; i < argc; i++) {
        char name[64];
        const char *value;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            *help = 1;
            continue;
        }
        if (!flag_name(argv[i], name, sizeof name, &value))
            return err_set(e, ERR_INVALID, "argument", "unexpected argument '%.60s'", argv[i]);
        if (!strcmp(name, "config")) {
            i += value ? 0 : 1;
            continue;
        }
        int is_extra = 0;
        for (unsigned k = 0; extra && extra[k]; k++) {
            char flag[64];
            snprintf(flag, sizeof flag, "%s", extra[k]);
            for (char *p = flag; *p; p++)
                if (*p == '-') *p = '_';
            if (!strcmp(flag, name)) {
                *extra_seen |= 1u << k;
                is_extra = 1;
            }
        }
        if (is_extra) continue;
        const struct option_def *o = find(name);
        if (!o)
            return err_set(e, ERR_INVALID, "argument", "unknown option '%.60s' (see --help)",
                           argv[i]);
        const char *flag = argv[i];
        if (!value && o->type == OPT_BOOL) value = "true";
        if (!value) {
            if (i + 1 >= argc)
                return err_set(e, ERR_INVALID, name, "option %s needs a value", argv[i]);
            value = argv[++i];
        }
        if ((rc = config_set(cfg, name, value, flag, e))) return rc;
    }
    return 0;
}

int config_is_loopback(const char *addr)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (!strcmp(addr, "localhost")) return 1;
    if (inet_pton(AF_INET, addr, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, addr, &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
    return 0;
}

int config_check(const struct serve_config *cfg, struct err *e)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (strcmp(cfg->listen, "localhost") && inet_pton(AF_INET, cfg->listen, &a4) != 1 &&
        inet_pton(AF_INET6, cfg->listen, &a6) != 1)
        return err_set(e, ERR_INVALID, "listen",
                       "listen '%s': must be an IPv4 or IPv6 address (or localhost)", cfg->listen);
    if (!config_is_loopback(cfg->listen) && !cfg->allow_remote)
        return err_set(e, ERR_INVALID, "listen",
                       "listen '%s': not a loopback address; set allow_remote = true to serve "
                       "other machines (behind TLS)",
                       cfg->listen);
    if (cfg->metrics_token[0] && strlen(cfg->metrics_token) < 16)
        return err_set(e, ERR_INVALID, "metrics_token",
                       "metrics_token: %zu characters; a token needs at least 16 (or leave it "
                       "empty to keep /metrics off)",
                       strlen(cfg->metrics_token));
    int days;
    if (backdate_tolerance_parse(cfg->backdate_tolerance, &days, "backdate_tolerance", e))
        return ERR_INVALID;
    struct proxy_list pl;
    enum proxy_header ph;
    int rc = proxy_list_parse(cfg->trusted_proxies, &pl, e);
    if (!rc) rc = proxy_header_parse(cfg->proxy_header, &ph, e);
    return rc;
}

void config_print_help(FILE *f)
{
    fprintf(f, "options (flag --name VALUE, or 'name = value' in the --config FILE):\n");
    for (const struct option_def *o = config_options; o->name; o++) {
        char flag[64];
        snprintf(flag, sizeof flag, "%s", o->name);
        for (char *p = flag; *p; p++)
            if (*p == '_') *p = '-';
        const char *kind = o->type == OPT_BOOL ? "BOOL" : o->type == OPT_INT ? "N" : "TEXT";
        fprintf(f, "  --%s %s\n      %s\n      default: %s", flag, kind, o->help,
                *o->def ? o->def : "(empty)");
        if (o->type == OPT_INT) fprintf(f, "; %lld..%lld", (long long)o->min, (long long)o->max);
        fprintf(f, "\n");
    }
    fprintf(f, "  --config FILE\n      read options from an ini file first (flags override it)\n");
}

/* The value of option o in cfg as text (into buf). */
static const char *value_text(const struct serve_config *cfg, const struct option_def *o, char *buf,
                              size_t n)
{
    const char *src = (const char *)cfg + o->offset;
    if (o->type == OPT_STRING) return src;
    int64_t v;
    memcpy(&v, src, sizeof v);
    if (o->type == OPT_BOOL) return v ? "true" : "false";
    snprintf(buf, n, "%lld", (long long)v);
    return buf;
}

void config_print_ini(FILE *f, const struct serve_config *cfg)
{
    struct serve_config def;
    config_defaults(&def);
    fprintf(f,
            "# cchc.ini — options of `cchc serve`, generated from its option table (see\n"
            "# cchc.ini(5) and `cchc serve --help`). An option set here overrides the built-in\n"
            "# default; a flag on the command line overrides this file. Lines starting with '#'\n"
            "# show the default and change nothing.\n\n[server]\n");
    for (const struct option_def *o = config_options; o->name; o++) {
        char a[32], b[32];
        const char *have = value_text(cfg, o, a, sizeof a),
                   *dflt = value_text(&def, o, b, sizeof b);
        const char *kind = o->type == OPT_BOOL  ? "true or false"
                           : o->type == OPT_INT ? "whole number"
                                                : "text";
        fprintf(f, "\n# %s (%s", o->name, kind);
        if (o->type == OPT_INT) fprintf(f, ", %lld to %lld", (long long)o->min, (long long)o->max);
        fprintf(f, "; default: %s)\n", *dflt ? dflt : "empty");
        /* The help text, wrapped at 88 columns after "# ". */
        const char *h = o->help;
        while (*h) {
            size_t len = strlen(h), cut = len;
            if (len > 86) {
                cut = 86;
                while (cut > 0 && h[cut] != ' ')
                    cut--;
                if (!cut) cut = 86;
            }
            fprintf(f, "# %.*s\n", (int)cut, h);
            h += cut;
            while (*h == ' ')
                h++;
        }
        if (strcmp(have, dflt))
            fprintf(f, "%s = %s\n", o->name, have);
        else
            fprintf(f, "#%s =%s%s\n", o->name, *dflt ? " " : "", dflt);
    }
}

const char *config_data_dir(const struct serve_config *cfg)
{
    if (cfg && cfg->data[0]) return cfg->data;
    const char *d = getenv("CCHC_DATA");
    return d && *d ? d : CCHC_DATA_DIR;
}
