/* config.h — the server's configuration: one table of options (name, type, default, bounds,
 * help) drives cchc.ini parsing, the command-line flags of `cchc serve` / `cchc demo` and
 * their --help text, so an option is added in one place (the habit of Redis's config.c).
 * In cchc.ini an option is written name = value (top level or in a [server] section); on
 * the command line --name VALUE or --name=VALUE, with '-' for '_' (--body-limit). */
#ifndef CCHC_HTTP_CONFIG_H
#define CCHC_HTTP_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define CONFIG_STR_MAX 1024

struct serve_config {
    char listen[64];           /* address to bind, default 127.0.0.1 */
    int64_t port;              /* 0: any free port (printed, and written to port_file) */
    int64_t allow_remote;      /* 1 permits a non-loopback listen address */
    char db[CONFIG_STR_MAX];   /* store path or URL */
    char data[CONFIG_STR_MAX]; /* data directory (calendars); "" = the default */
    char port_file[CONFIG_STR_MAX];
    int64_t threads;                 /* worker threads (MHD thread pool) and store connections */
    int64_t group_commit;            /* SQLite: commits of the threads share WAL syncs */
    int64_t list_cache_mb;           /* listcache.h, shared by the threads */
    int64_t read_cache_mb;           /* readcache.h, shared by the threads */
    int64_t read_cache_check_ms;     /* SQLite: the data version read at most that often */
    int64_t db_cache_mb;             /* SQLite page cache per connection */
    int64_t body_limit;              /* bytes; larger bodies get 413 */
    int64_t conn_timeout;            /* seconds of client silence before a connection is dropped */
    int64_t request_timeout;         /* seconds to send one whole request (conns.h) */
    int64_t max_conns;               /* connections at most */
    int64_t max_conns_per_ip;        /* connections at most from one address */
    char metrics_token[256];         /* bearer token for /metrics; "" = off */
    int64_t shutdown_grace;          /* seconds in-flight requests get to finish on SIGTERM */
    int64_t slow_ms;                 /* requests slower than this are logged (0: off) */
    int64_t cookie_secure;           /* add Secure to the session cookie (behind HTTPS) */
    int64_t session_minutes;         /* session lifetime */
    int64_t login_max_failures;      /* failed logins per address and username in the window */
    int64_t login_max_failures_user; /* failed logins per username from all addresses */
    int64_t login_max_failures_ip;   /* failed logins per client address in the window */
    int64_t lookup_max_failures;     /* failed citizen lookups per dossier code in the window */
    int64_t lookup_max_failures_ip;  /* failed citizen lookups per client address */
    int64_t login_max_failures_net;  /* … per client network (/24, /64) */
    int64_t lookup_max_failures_net;
    int64_t limit_window;            /* seconds of the rate-limit window */
    int64_t limit_max_lock;          /* longest lock: repeated locks within a day double up to it */
    int64_t totp_admin_required;     /* administrators must have a second factor to sign in */
    int64_t par_evidence_max;        /* bytes of one PAR evidence file (par_round.h) */
    int64_t efile_file_max;          /* bytes of one document uploaded online (efile.h) */
    int64_t efile_dossier_max;       /* bytes of all documents of one online filing */
    char keys[CONFIG_STR_MAX];       /* document-signing key directory; "" = DB.keys */
    char public_url[CONFIG_STR_MAX]; /* address printed in forms' QR codes; "" = the Host */
    char sign_dir[CONFIG_STR_MAX];   /* X.509 roots, CRL and users' keys; "" = off */
    char trusted_proxies[CONFIG_STR_MAX]; /* proxy.h: whose forwarding header is believed */
    char proxy_header[32];                /* "x-forwarded-for" or "forwarded" */
    int64_t request_log;                  /* reqlog.h: one JSON line per request on stdout */
    char backdate_tolerance[16];          /* backdate.h: working days, or "off" */
    /* notifications (docs/notify.md, src/notify/deliver.h) */
    int64_t notify_worker;            /* 1: serve runs the outbox's delivery thread */
    int64_t notify_interval;          /* seconds between the worker's passes */
    int64_t notify_lease;             /* seconds a worker holds the messages it sends */
    char notify_sink[CONFIG_STR_MAX]; /* loopback file taking every message; "" = off */
    int64_t remind_worker;            /* 1: serve runs the reminder sweep (remind_worker.h) */
    int64_t remind_interval;          /* seconds between its sweeps */
    char smtp_url[CONFIG_STR_MAX];    /* smtp://host:port; "" = no e-mail */
    char smtp_from[256];
    char smtp_user[256];
    char smtp_password[256];
    char sms_url[CONFIG_STR_MAX]; /* SMS gateway (JSON POST); "" = none */
    char sms_token[256];
    char zalo_url[CONFIG_STR_MAX]; /* Zalo OA gateway (JSON POST); "" = none */
    char zalo_token[256];
    /* online payment (payment.h, docs/payment.md) */
    char pay_provider_url[CONFIG_STR_MAX]; /* the provider's base URL; "" = off or test */
    char pay_secret[256];                  /* HMAC-SHA256 key shared with the provider */
    char pay_callback_url[CONFIG_STR_MAX]; /* where the provider calls back; "" = loopback */
    int64_t pay_sync_seconds;              /* reconciler period; 0 = off */
    int64_t pay_sync_after;                /* seconds a payment waits before it is queried */
    int64_t test_pay_port;                 /* built-in test provider; 0 = off, -1 = any port */
};

enum option_type { OPT_STRING, OPT_INT, OPT_BOOL };

struct option_def {
    const char *name; /* ini spelling, with '_' */
    enum option_type type;
    const char *def;  /* default, as text */
    int64_t min, max; /* bounds for OPT_INT; max length for OPT_STRING */
    size_t offset;    /* into struct serve_config */
    const char *help;
};

/* The table, terminated by a row with name NULL. */
extern const struct option_def config_options[];

/* Fills cfg with the defaults of the table. */
void config_defaults(struct serve_config *cfg);
/* The data directory (calendars, forms, indicator sets, rules): the `data` option, else
 * $CCHC_DATA, else the build's CCHC_DATA_DIR. */
const char *config_data_dir(const struct serve_config *cfg);
/* Sets option name (ini spelling) from text, checking type and bounds. source names where the
 * value came from ("--port", "cchc.ini:3") for the message. */
int config_set(struct serve_config *cfg, const char *name, const char *value, const char *source,
               struct err *e);
/* Reads an ini file over cfg; unknown names, bad values and syntax errors fail with
 * "FILE:LINE: problem". */
int config_load_ini(struct serve_config *cfg, const char *path, struct err *e);
/* Applies argv[1..argc-1]: --config FILE first (wherever it stands), then each --name VALUE in
 * order. Flags in `extra` (NULL-terminated names, e.g. "print-routes") are accepted without a
 * value and reported in *extra_seen as a bit per index. --help sets *help. */
int config_parse_args(struct serve_config *cfg, int argc, char **argv, const char *const *extra,
                      unsigned *extra_seen, int *help, struct err *e);
/* Checks the rules between options: a non-loopback listen address needs allow_remote; the
 * trusted_proxies list and proxy_header parse (proxy.h). */
int config_check(const struct serve_config *cfg, struct err *e);
/* Prints the options (flag, default, bounds, help) for --help. */
void config_print_help(FILE *f);
/* Prints cchc.ini for cfg: every option of the table with its type, bounds, default and help
 * as comments; options whose value in cfg differs from the default are set, the others are
 * commented out. The package's /etc/cchc/cchc.ini is made this way. */
void config_print_ini(FILE *f, const struct serve_config *cfg);
/* 1 if the text is a loopback address (127.0.0.0/8, ::1, "localhost"). */
int config_is_loopback(const char *addr);

#endif
