/* http.h — what the resource files of src/http share: the request (struct req) with its
 * arena, the route table's row, the reply helpers (JSON built by jansson, so output is
 * escaped by construction; errors always {"error": {"code", "field", "message"}}), the
 * strict JSON body reader and the signed-in user. Internal to src/http; the CLI uses
 * server.h and auth.h. */
#ifndef CCHC_HTTP_H
#define CCHC_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "err.h"
#include "user.h"

struct req;
struct server;
struct store;
struct calendar;

/* --- the route table (routes.c) --- */

#define RB(role)        (1u << (role))
#define ROLES_ALL_USERS ((1u << UROLE_COUNT) - 1)

/* What the resource a route names belongs to, for the authorisation matrix. */
enum route_scope {
    SCOPE_NONE = 0, /* not tied to a unit (health, catalogue, own session) */
    SCOPE_UNIT,     /* a unit's resource: outside the user's subtree it does not exist (404) */
};

typedef void (*route_handler)(struct req *r);

struct route {
    const char *method;  /* "GET", "POST", "DELETE" … */
    const char *pattern; /* "/api/dossiers/{code}/history": {name} matches one segment */
    route_handler handler;
    unsigned roles; /* RB() bits of the roles allowed; 0 = public, no session needed */
    int csrf;       /* 1: state-changing, needs X-CSRF-Token equal to the session's token */
    enum route_scope scope;
    int arg; /* handler argument (e.g. the dossier action) */
    const char *summary;
};
/* 1 when the route's body is a raw file (any Content-Type; the handler sniffs the content),
 * up to efile_file_max bytes instead of body_limit: efile.c's document uploads. */
int route_takes_upload(const struct route *rt);

extern const struct route routes[];
extern const size_t routes_count;

#define ROUTE_MAX_PARAMS 4

/* Finds the route for method and path. Returns the route and fills the path parameters;
 * NULL when none matches, with *path_known = 1 if another method serves the path (405). */
const struct route *route_match(const char *method, const char *path, const char **names,
                                const char **values, int *nparams, int *path_known,
                                struct arena *a);
/* Comma-separated methods serving path (for the Allow header of a 405). */
char *route_allowed_methods(const char *path, struct arena *a);
/* Role names of a route, comma-separated ("public" when open to all). */
char *route_roles_text(const struct route *rt, struct arena *a);

/* --- the request --- */

struct session_info {
    struct user user;
    char csrf[64];
    char token_hash[65];
};

struct req {
    struct arena *arena;
    struct server *srv;
    struct MHD_Connection *conn;
    const struct route *route;
    int route_index; /* index in routes[], or -1 */
    const char *method, *path;
    int nparams;
    const char *pname[ROUTE_MAX_PARAMS], *pval[ROUTE_MAX_PARAMS];
    char *body; /* NUL-terminated; body_len excludes the NUL */
    size_t body_len, body_cap;
    int body_too_big;
    size_t body_limit;   /* body_limit, or efile_file_max for an upload route */
    struct store *store; /* leased from the pool while the handler runs (req_store) */
    int store_slot;
    struct session_info *sess; /* the signed-in user, NULL if anonymous */
    char ip[64]; /* client address (proxy.h: behind a trusted proxy, the one it names) */
    struct timespec t0;
    /* the answer */
    int replied, sent;
    int status;
    const char *ctype;
    char *resp;
    size_t resp_len;
    int nhdr;
    const char *hdr_name[8], *hdr_val[8];
    const char *err_code; /* error code of the answer, for the logs */
    void *scope_memo;     /* auth.c's cache of unit-scope answers */
    uint64_t rc_ticket;   /* readcache.h: this read's ticket, 0 when not to use the cache */
    uint64_t pc_ticket;   /* the same for the list pages' cache */
    void *cal_ref;        /* calendar_http.c: the calendar this request counts with */
    /* export.c: a query argument the handler does not see, and the file asked for (0: none) */
    const char *hide_query;
    int export_fmt;
};

/* The server's read cache (readcache.h) when this request may use it (a GET whose change
 * check passed), else NULL; with it the request's ticket for readcache_put. */
struct readcache *req_read_cache(struct req *r);
/* The same for whole list pages (h_dossiers_list): emptied by any change to any dossier. */
struct readcache *req_page_cache(struct req *r);
/* A read's use of the read cache, for every GET (server.c) and for a POST that only reads
 * (the citizen's lookup): begin takes the request's ticket, before its read transaction;
 * check, first thing inside that transaction, drops what changed since it was last looked at
 * (readcache.h). */
void req_read_cache_begin(struct req *r);
void req_read_cache_check(struct req *r);

/* The list-entry cache of this request's database connection (listcache.h), or NULL. */
struct listcache *req_list_cache(struct req *r);
/* The database connection of this request (leased on first use), NULL if the pool failed
 * (the caller answers 503: reply_err does). */
struct store *req_store(struct req *r);
const struct calendar *req_calendar(struct req *r);
const struct serve_config *req_config(struct req *r);
/* A path parameter of the route ("code"), or NULL. */
const char *req_param(struct req *r, const char *name);
/* A query argument (decoded), or NULL. */
const char *req_query(struct req *r, const char *name);
/* A cookie, or NULL. */
const char *req_cookie(struct req *r, const char *name);
const char *req_header(struct req *r, const char *name);
/* Rejects (400, replied) query arguments not in allowed (NULL-terminated) or not valid
 * UTF-8. Returns 0 when all are fine. */
int req_query_check(struct req *r, const char *const *allowed);
/* Now, Unix seconds; and local civil minutes/day (UTC+7, date.h). */
int64_t now_unix(void);
int64_t now_local_minutes(void);
int64_t today_local(void);

/* --- answers --- */

/* Replies status with the JSON value (the reference is taken; NULL answers 500). */
void reply_json(struct req *r, int status, json_t *body);
/* Replies {"error": {"code", "field", "message"}}; field may be NULL (JSON null). */
void reply_error(struct req *r, int status, const char *code, const char *field, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));
/* Replies the store/core error e: ERR_INVALID/ERR_RANGE 400 "invalid", ERR_NOT_FOUND 404,
 * ERR_CONFLICT 409, anything else 500 with a generic message (details go to the log, which
 * never holds personal data because store messages do not). */
void reply_err(struct req *r, const struct err *e);
/* Replies a text body (Prometheus metrics); text is copied. */
void reply_text(struct req *r, int status, const char *ctype, const char *text, size_t len);
/* The same for a text already in the request's arena (a jw buffer): sent without a copy. */
void reply_arena_text(struct req *r, int status, const char *ctype, char *text, size_t len);
/* Adds a response header (name and value must outlive the request: literals or arena). */
void reply_header(struct req *r, const char *name, const char *value);
/* Replies 200 with a file to save (download.c): its bytes (copied), type and a
 * Content-Disposition naming it (ASCII fallback and UTF-8, RFC 6266 / RFC 5987). */
void reply_download(struct req *r, const char *ctype, const char *filename, const void *data,
                    size_t len);
/* A new empty private file under $TMPDIR (or /tmp) for writers that need a path; buf receives
 * its path. 0, or -1 with errno set. The caller unlinks it. */
int download_temp_path(char *buf, size_t n);
/* The whole file at path (malloc'd, *len bytes), or NULL. */
char *download_slurp(const char *path, size_t *len);

/* --- JSON helpers (jansson builds every byte of output) --- */

/* A JSON string of s, or null when s is NULL or not valid UTF-8. */
json_t *jstr(const char *s);
/* A JSON string of s, or null when s is NULL or "". */
json_t *jstr_or_null(const char *s);
/* "YYYY-MM-DDTHH:MM+07:00" for a local instant (date.h minutes), null for 0. */
json_t *jinstant(int64_t minutes);
json_t *jday(int64_t day);
/* Parses "YYYY-MM-DDTHH:MM" with an optional "+07:00" (the only offset accepted). */
int parse_instant_local(const char *s, int64_t *out, const char *field, struct err *e);

enum jtype { JT_STRING, JT_INT, JT_BOOL, JT_OBJECT, JT_ARRAY };
struct jfield {
    const char *name;
    enum jtype type;
    int required;
    int64_t min, max; /* string length in bytes, or integer value; 0,0 = unchecked */
};
/* Reads the body as a JSON object against spec (terminated by a NULL name): valid UTF-8,
 * valid JSON, no duplicate keys, no unknown fields, each field of its type and bounds,
 * required ones present (null counts as absent for optional ones). On success *out is the
 * object (owned by the request's arena) and 0 is returned; otherwise the 4xx is replied
 * and -1 returned. */
int req_body_json(struct req *r, const struct jfield *spec, json_t **out);
/* The same, but an empty body counts as {}. */
int req_body_json_opt(struct req *r, const struct jfield *spec, json_t **out);
/* Field accessors after req_body_json: NULL / def when absent or null. */
const char *jget_str(json_t *o, const char *name);
int64_t jget_int(json_t *o, const char *name, int64_t def);
int jget_bool(json_t *o, const char *name, int def);

/* A unit as JSON (units.c). */
json_t *unit_json(const struct unit *u);

/* --- authorisation (auth.c) --- */

/* Loads the session named by the request's cookie. Returns 0 and sets r->sess, or -1. */
int auth_load_session(struct req *r);
/* 1 if the X-CSRF-Token header equals the session's token. */
int auth_csrf_ok(struct req *r);
/* 1 if unit_code (resolved to the unit existing today) lies in the signed-in user's scope
 * subtree. Anonymous and citizen users cover nothing. Errors count as not covered. */
int auth_scope_covers(struct req *r, const char *unit_code);
/* 1 if unit_code (resolved to the unit existing today) is root or lies below it. */
int auth_unit_under(struct req *r, const char *unit_code, const char *root);
/* 1 if the signed-in user has a scope unit that exists today. */
int auth_scope_root_valid(struct req *r);
/* Answers (and returns 1) unless GET /metrics may be served: off (404) without a configured
 * metrics_token, 401 without the header "Authorization: Bearer TOKEN". */
int auth_metrics_refused(struct req *r);

/* --- handlers (one file per resource) --- */

void h_health(struct req *r);
void h_metrics(struct req *r);
void h_login(struct req *r);
void h_logout(struct req *r);
void h_totp_status(struct req *r); /* totp.c */
void h_totp_begin(struct req *r);
void h_totp_confirm(struct req *r);
void h_whoami(struct req *r);
void h_units_list(struct req *r);
void h_unit_get(struct req *r);
void h_procedures_list(struct req *r);
void h_procedure_get(struct req *r);
void h_procedure_put(struct req *r);
void h_calendar_year(struct req *r); /* calendar_http.c */
void h_calendar_decisions(struct req *r);
void h_calendar_decision_add(struct req *r);
void h_calendar_decision_delete(struct req *r);
void h_procedure_steps_get(struct req *r);
void h_procedure_steps_put(struct req *r);
void h_dossiers_list(struct req *r);
void h_dossier_create(struct req *r);
void h_dossier_get(struct req *r);
void h_dossier_history(struct req *r);
void h_dossier_action(struct req *r);
/* digitise.c: digitised components, electronic results and their two-layer signatures */
void h_components_list(struct req *r);
void h_component_add(struct req *r);
void h_component_reuse(struct req *r);
void h_component_file(struct req *r);
void h_result_add(struct req *r);
void h_result_get(struct req *r);
void h_result_file(struct req *r);
void h_result_sign_person(struct req *r);
void h_result_sign_clerk(struct req *r);
void h_results_find(struct req *r);
void h_signature_verify(struct req *r);
void h_digitise_indicators(struct req *r);
/* surveys.c: survey rounds, results, invitations and the public questionnaire (issue 19) */
void h_surveys_list(struct req *r);
void h_survey_results(struct req *r);
void h_survey_public(struct req *r);
void h_survey_invitations(struct req *r);
void h_survey_form(struct req *r);
void h_survey_answer(struct req *r);
/* surveys2.c: result slip, invitations by the outbox, paper entry, to-PAR, exports */
void h_dossier_result_slip(struct req *r);
/* The address survey links start with (public_url, else the request's Host). */
const char *survey_base_url(struct req *r);
/* surveys3.c: DDCI's businesses of a round, from dossiers or an imported list */
void h_survey_businesses(struct req *r);
void h_survey_notify(struct req *r);
void h_survey_paper_list(struct req *r);
void h_survey_paper_enter(struct req *r);
void h_survey_paper_resolve(struct req *r);
void h_survey_to_par(struct req *r);
void h_survey_export(struct req *r);
void h_dossier_form(struct req *r); /* forms.c */
void h_verify_page(struct req *r);
void h_verify_json(struct req *r);
void h_stats(struct req *r);
void h_stats_units(struct req *r);
void h_public_stats(struct req *r);
void h_unit_contact_put(struct req *r);
/* units_admin.c */
void h_unit_create(struct req *r);
void h_unit_edit(struct req *r);
void h_unit_merge(struct req *r);
void h_unit_changes(struct req *r);
void h_dossier_assignees(struct req *r);
void h_stats_dossiers(struct req *r);
void h_stats_officers(struct req *r);
void h_report(struct req *r);
void h_backdated(struct req *r); /* backdated.c */
void h_par_rounds(struct req *r);
void h_commitments_list(struct req *r);
void h_dialogue_add(struct req *r);
void h_commitment_add(struct req *r);
void h_commitment_close(struct req *r);
void h_par_round_create(struct req *r);
void h_par_sets(struct req *r);
void h_par_results(struct req *r);
void h_par_self(struct req *r);
void h_par_appraise(struct req *r);
void h_par_publish(struct req *r);
void h_par_round_get(struct req *r);
void h_par_unit_get(struct req *r);
void h_par_unit_dossiers(struct req *r);
void h_par_evidence_list(struct req *r);
void h_par_evidence_add(struct req *r);
void h_par_evidence_get(struct req *r);
void h_par_survey(struct req *r);
void h_par_close_phase(struct req *r);
void h_lookup(struct req *r);
void h_rating(struct req *r);
/* The citizen's dossier by the lookup's body {code, phone | id_suffix}, with the lookup's rate
 * limits and answers (lookup.c); replies and returns -1 on any failure. */
struct dossier;
int lookup_find_dossier(struct req *r, struct dossier *d, json_t **body);
/* payment.c: online payment (docs/payment.md) */
void h_pay_lookup(struct req *r);
void h_pay_start(struct req *r);
void h_pay_callback(struct req *r);
void h_pay_status(struct req *r);
void h_pay_check(struct req *r);
void h_pay_receipt_public(struct req *r);
void h_payment_receipt(struct req *r);
void h_payments_list(struct req *r);
void h_payments_reconciliation(struct req *r);
void h_payment_due_put(struct req *r);
void h_payments_sync(struct req *r);
void h_users_list(struct req *r);
void h_user_create(struct req *r);
void h_static(struct req *r);
void h_feedback_submit(struct req *r); /* feedback.c */
void h_feedback_public_get(struct req *r);
void h_feedback_rate(struct req *r);
void h_feedback_published(struct req *r);
void h_feedback_list(struct req *r);
void h_feedback_get(struct req *r);
void h_feedback_action(struct req *r);
void h_feedback_templates(struct req *r);
void h_feedback_stats(struct req *r);
/* efile.c: online filing (issue 16) */
void h_efile_create(struct req *r);
void h_efile_get(struct req *r);
void h_efile_mine(struct req *r);
void h_efile_doc_put(struct req *r);
void h_efile_doc_get(struct req *r);
void h_efile_submit(struct req *r);
void h_efile_result(struct req *r);
void h_efile_list(struct req *r);
void h_efile_dossier(struct req *r);
void h_efile_dossier_doc(struct req *r);
/* reform.c: CCHC plans and tasks (issue 15) */
void h_reform_plans(struct req *r);
void h_reform_plan_create(struct req *r);
void h_reform_plan_get(struct req *r);
void h_reform_tasks(struct req *r);
void h_reform_task_create(struct req *r);
void h_reform_task_get(struct req *r);
void h_reform_task_action(struct req *r);
void h_reform_evidence_add(struct req *r);
void h_reform_evidence_get(struct req *r);
void h_reform_rate(struct req *r);
/* params.c: a query's unit in the caller's scope (default the user's; 404 replied outside it),
 * a day "YYYY-MM-DD" and a positive id (400 replied naming field); -1 / NULL when replied. */
const char *req_scope_unit(struct req *r);
int req_day(struct req *r, const char *s, const char *field, int64_t *out);
/* A JSON body's day value v (NULL: absent): 400 "… is required" or "… not a date
 * YYYY-MM-DD" naming field, -1 when replied. */
int req_body_day(struct req *r, const char *v, const char *field, int64_t *out);
int req_id(struct req *r, const char *s, const char *field, int64_t *out);
/* action.c: the action tracker and the leaders' page (docs/reform.md) */
void h_action_create(struct req *r);
void h_action_list(struct req *r);
void h_agenda(struct req *r);
/* remind.c: reminders and escalations, the officers' contacts for them */
void h_reminders(struct req *r);
void h_reminders_read(struct req *r);
void h_session_contact_get(struct req *r);
void h_session_contact_put(struct req *r);
void h_user_contact_put(struct req *r);
/* inspection.c: CCHC inspections (issue 15); reform.c's task JSON and base64 reader */
struct reform_task;
json_t *reform_task_json(const struct reform_task *t, int64_t today);
int reform_base64(struct req *r, const char *b64, unsigned char **out, size_t *n);
void h_insp_list(struct req *r);
void h_insp_create(struct req *r);
void h_insp_get(struct req *r);
void h_insp_action(struct req *r);
void h_insp_check(struct req *r);
void h_insp_finding_add(struct req *r);
void h_insp_finding_file(struct req *r);
void h_insp_remedy_add(struct req *r);
void h_insp_share(struct req *r);
/* initiative.c: CCHC initiatives (sáng kiến) */
void h_initiatives(struct req *r);
void h_initiative_create(struct req *r);
void h_initiative_get(struct req *r);
void h_initiative_evaluate(struct req *r);
void h_initiative_recognize(struct req *r);
void h_initiative_action(struct req *r);
void h_initiative_apply(struct req *r);
void h_initiative_evidence_add(struct req *r);
void h_initiative_evidence_get(struct req *r);
void h_initiative_count(struct req *r);
/* queue.c: the desk's queue and appointments (docs/queue.md) */
void h_queue_board(struct req *r);
void h_queue_take_public(struct req *r);
void h_queue_ticket_public(struct req *r);
void h_queue_slots(struct req *r);
void h_queue_book(struct req *r);
void h_queue_cancel(struct req *r);
void h_queue_counters(struct req *r);
void h_queue_counter_put(struct req *r);
void h_queue_tickets(struct req *r);
void h_queue_take(struct req *r);
void h_queue_call(struct req *r);
void h_queue_ticket_action(struct req *r);
void h_queue_checkin(struct req *r);
void h_queue_stats(struct req *r);
/* notify.c: the citizen's identity by one-time code, notifications (issue 16) */
void h_otp_request(struct req *r);
void h_otp_verify(struct req *r);
void h_citizen_whoami(struct req *r);
void h_lost_code(struct req *r);
void h_optout(struct req *r);
void h_outbox_list(struct req *r);
void h_outbox_dead(struct req *r);
void h_outbox_replay(struct req *r);

#endif
