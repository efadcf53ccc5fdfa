/* cmd_dossier.c — `cchc dossier …`: receive a dossier (printing the receipt data of Mẫu 01),
 * move it through its lifecycle (advance, supplement, pause, resume, refuse, finish, return,
 * withdraw, cancel, apologise), show one dossier with its steps, stops and audit events, and
 * list dossiers by unit, status, outcome, applicant name (without diacritics) and period.
 * ID numbers and phones are masked unless --reveal; they never go to stderr. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backdate.h"
#include "calendar.h"
#include "cli.h"
#include "store.h"
#include "store_calendar.h"

#define CAL_FIRST_YEAR 2013
#define CAL_LAST_YEAR  2100

struct opts {
    const char *db, *data, *at, *actor, *note, *officer, *new_due, *unit, *procedure, *channel;
    const char *name, *idno, *phone, *address, *docs, *status, *outcome, *from, *to, *limit;
    const char *score, *comment, *decider, *tolerance;
    const char *code;
    int submit_only, received, restart, reveal;
};

static void usage(FILE *f)
{
    fprintf(
        f, "usage: cchc dossier receive --unit U --procedure P --name NAME [--idno N] [--phone P]\n"
           "                    [--address A] [--channel direct|online|postal] [--docs 1,2,…]\n"
           "                    [--submit-only] [--at T] [--actor WHO] [--decider UNIT]\n"
           "       cchc dossier receive CODE [--at T] [--actor WHO]   (a submitted dossier)\n"
           "       cchc dossier advance CODE [--officer WHO]          (to the next step)\n"
           "       cchc dossier supplement CODE --reason TEXT         (Mẫu 02 request)\n"
           "       cchc dossier supplement CODE --received [--restart]\n"
           "       cchc dossier pause|refuse|withdraw|cancel CODE --reason TEXT\n"
           "       cchc dossier resume|finish|return CODE\n"
           "       cchc dossier apologise CODE --new-due T --reason TEXT   (Mẫu 04)\n"
           "       cchc dossier form CODE --form NN --out FILE.pdf    (Mẫu 01-06 as PDF)\n"
           "       cchc dossier rate CODE --score 1..5 [--comment TEXT]   (after the return)\n"
           "       cchc dossier show CODE [--reveal] [--at T]\n"
           "       cchc dossier list [--unit U] [--status S] [--outcome O] [--name TEXT]\n"
           "                    [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--at T] [--limit N]\n"
           "Common: --db FILE (default $CCHC_DB, else cchc.db), --data DIR (calendars).\n"
           "T is YYYY-MM-DDTHH:MM local time (UTC+7), default now; WHO defaults to $USER.\n"
           "Outcomes: early, on_time, late (decided), in_time, overdue (open, at --at), none.\n"
           "--restart: the legal time starts again from the complete dossier instead of moving\n"
           "the due date by the time spent waiting (the default; see docs/dossiers.md).\n"
           "ID numbers and phones are shown masked (last 3 digits) unless --reveal.\n"
           "Backdating: every action records the time it is written beside --at. An --at before\n"
           "the start of the day of recording (or of the N-th working day before it, with\n"
           "--backdate-tolerance N, default $CCHC_BACKDATE_TOLERANCE, else 0; 'off' for\n"
           "replaying history) needs --reason and is flagged 'backdated'; the dossier's clock\n"
           "then takes the action at the time it was recorded (docs/dossiers.md).\n");
}

static int parse_args(int argc, char **argv, struct opts *o, struct err *e)
{
    static const struct {
        const char *flag;
        size_t off;
    } valued[] = {
        {"--db", offsetof(struct opts, db)},
        {"--data", offsetof(struct opts, data)},
        {"--at", offsetof(struct opts, at)},
        {"--actor", offsetof(struct opts, actor)},
        {"--reason", offsetof(struct opts, note)},
        {"--note", offsetof(struct opts, note)},
        {"--officer", offsetof(struct opts, officer)},
        {"--new-due", offsetof(struct opts, new_due)},
        {"--unit", offsetof(struct opts, unit)},
        {"--decider", offsetof(struct opts, decider)},
        {"--procedure", offsetof(struct opts, procedure)},
        {"--channel", offsetof(struct opts, channel)},
        {"--name", offsetof(struct opts, name)},
        {"--idno", offsetof(struct opts, idno)},
        {"--phone", offsetof(struct opts, phone)},
        {"--address", offsetof(struct opts, address)},
        {"--docs", offsetof(struct opts, docs)},
        {"--status", offsetof(struct opts, status)},
        {"--outcome", offsetof(struct opts, outcome)},
        {"--from", offsetof(struct opts, from)},
        {"--to", offsetof(struct opts, to)},
        {"--limit", offsetof(struct opts, limit)},
        {"--score", offsetof(struct opts, score)},
        {"--comment", offsetof(struct opts, comment)},
        {"--backdate-tolerance", offsetof(struct opts, tolerance)},
    };
    for (int i = 2; i < argc; i++) {
        size_t k = 0, n = sizeof valued / sizeof valued[0];
        while (k < n && strcmp(argv[i], valued[k].flag))
            k++;
        if (k < n) {
            if (i + 1 >= argc)
                return err_set(e, ERR_INVALID, "argument", "%s needs a value", argv[i]);
            *(const char **)((char *)o + valued[k].off) = argv[++i];
        } else if (!strcmp(argv[i], "--submit-only")) {
            o->submit_only = 1;
        } else if (!strcmp(argv[i], "--received")) {
            o->received = 1;
        } else if (!strcmp(argv[i], "--restart")) {
            o->restart = 1;
        } else if (!strcmp(argv[i], "--reveal")) {
            o->reveal = 1;
        } else if (argv[i][0] != '-' && !o->code) {
            /* a code typed in lower case is the same code (written over argv in place) */
            dossier_code_normalize(argv[i], argv[i], strlen(argv[i]) + 1);
            o->code = argv[i];
        } else {
            return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)",
                           argv[i]);
        }
    }
    return 0;
}

/* Now, as local minutes (UTC+7, no daylight saving). */
static int64_t now_local(void)
{
    return ((int64_t)time(NULL) + 7 * 3600) / 60;
}

static int when(const char *s, const char *field, int64_t *out, struct err *e)
{
    if (!s) {
        *out = now_local();
        return 0;
    }
    return instant_parse(s, out, field, e);
}

/* The backdating rule for the operator (backdate.h): the CLI has no roles (whoever runs it
 * holds the database), so a claim beyond the tolerance needs only --reason, and is flagged. */
static int backdate_of(const struct calendar *cal, const struct opts *o, int64_t at, int64_t now,
                       int *backdated, struct err *e)
{
    const char *env = getenv("CCHC_BACKDATE_TOLERANCE");
    const char *t = o->tolerance ? o->tolerance : env && *env ? env : "0";
    int days, rc;
    *backdated = 0;
    if ((rc = backdate_tolerance_parse(
             t, &days, o->tolerance ? "--backdate-tolerance" : "CCHC_BACKDATE_TOLERANCE", e)))
        return rc;
    int64_t limit;
    char a[20], l[20];
    switch (backdate_judge(cal, days, at, now, 1, o->note && *o->note, &limit, e)) {
    case BD_BACKDATED:
        *backdated = 1;
        return 0;
    case BD_NEEDS_REASON:
    case BD_NEEDS_ROLE:
        return err_set(e, ERR_INVALID, "--reason",
                       "--at %s: earlier than %s, the start of the tolerance for backdating "
                       "(%d working day(s) before today); a backdated action needs --reason "
                       "TEXT, which goes into the audit log",
                       instant_format(at, a), instant_format(limit, l), days);
    case BD_ON_TIME:
        break;
    }
    return 0;
}

static const char *actor_of(const struct opts *o)
{
    if (o->actor && *o->actor) return o->actor;
    const char *u = getenv("USER");
    return u && *u ? u : "cli";
}

static char *fmt(int64_t t, char *buf)
{
    if (!t) return strcpy(buf, "-");
    return instant_format(t, buf);
}

static const char *outcome_label_vi(enum dossier_outcome o)
{
    static const char *const l[] = {"không tính", "trước hạn", "đúng hạn",
                                    "trễ hạn",    "trong hạn", "quá hạn"};
    return (unsigned)o <= OUT_OVERDUE ? l[o] : "?";
}

/* One line after each change: code, status, step, due instants. */
static void print_state(const struct dossier *d)
{
    char due[20], sdue[20];
    printf("%s\t%s\t", d->code, dossier_status_name(d->st.status));
    if (d->st.step > 0)
        printf("bước %d/%d\thạn bước %s\t", d->st.step, d->st.n_steps,
               fmt(d->st.step_due_at, sdue));
    printf("hạn %s\n", fmt(d->st.due_at, due));
}

static int load_calendar(const struct opts *o, struct calendar **cal, struct err *e)
{
    return calendar_load(cli_data_dir(o->data), CAL_FIRST_YEAR, CAL_LAST_YEAR, NULL, cal, e);
}

/* Parses "1,3,4" into docs (at most max). */
static int parse_docs(const char *s, int *docs, int max, int *n, struct err *e)
{
    *n = 0;
    const char *p = s;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || v > 99 || (*end && *end != ',') || *n >= max)
            return err_set(e, ERR_INVALID, "--docs",
                           "--docs '%s': expected document numbers such as 1,2,4", s);
        docs[(*n)++] = (int)v;
        p = *end ? end + 1 : end;
    }
    if (!*n) return err_set(e, ERR_INVALID, "--docs", "--docs '%s': no document numbers", s);
    return 0;
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static int print_doc(int seq, const char *text, void *ctx)
{
    (void)ctx;
    printf("  %d. %s\n", seq, text);
    return 0;
}

/* The receipt data (Mẫu 01): code, applicant, procedure, documents, reception and due. */
static int print_receipt(struct store *s, const struct dossier *d, int reveal, struct err *e)
{
    char t[20], idno[APPLICANT_IDNO_MAX], phone[APPLICANT_PHONE_MAX];
    const struct applicant *a = &d->applicant;
    printf("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ (Mẫu 01)\n");
    printf("Mã hồ sơ:\t%s\n", d->code);
    printf("Người nộp:\t%s\n", a->name);
    if (a->idno[0])
        printf("Số định danh:\t%s\n",
               reveal ? a->idno : applicant_mask(a->idno, idno, sizeof idno));
    if (a->phone[0])
        printf("Điện thoại:\t%s\n",
               reveal ? a->phone : applicant_mask(a->phone, phone, sizeof phone));
    if (a->address[0]) printf("Địa chỉ:\t%s\n", a->address);
    struct procedure *p = malloc(sizeof *p); /* the receipt names the procedure (issue 20) */
    struct err pe = {0};
    if (p && !store_procedure_get(s, d->procedure, p, &pe))
        printf("Thủ tục:\t%s (%s)\n", p->name, d->procedure);
    else
        printf("Thủ tục:\t%s\n", d->procedure);
    free(p);
    char decider[UNIT_CODE_MAX] = "";
    if (!store_dossier_decider(s, d->code, decider, NULL) && decider[0]) {
        struct unit u;
        printf("Cơ quan giải quyết:\t%s\n",
               store_unit_get(s, decider, &u, NULL) ? decider : u.name);
    }
    printf("Kênh:\t%s\nGiấy tờ đã nhận:\n", dossier_channel_label_vi(d->channel));
    struct dossier_records r = {.document = print_doc};
    int rc = store_dossier_records(s, d->code, &r, e);
    if (rc) return rc;
    if (d->st.received_at) {
        printf("Tiếp nhận lúc:\t%s\n", fmt(d->st.received_at, t));
        printf("Hẹn trả kết quả:\t%s\n", fmt(d->st.due_at, t));
    } else {
        printf("Nộp lúc:\t%s (chờ tiếp nhận)\n", fmt(d->submitted_at, t));
    }
    return 0;
}

static int do_create(struct store *s, const struct calendar *cal, const struct opts *o,
                     struct err *e)
{
    struct dossier_intake in = {.unit = o->unit,
                                .decider = o->decider,
                                .procedure = o->procedure,
                                .actor = actor_of(o),
                                .receive = !o->submit_only};
    int docs[64], rc;
    if (!o->unit || !o->procedure || !o->name)
        return err_set(e, ERR_INVALID, "argument",
                       "a new dossier needs --unit, --procedure and --name (see --help)");
    if ((rc = when(o->at, "--at", &in.at, e))) return rc;
    in.recorded_at = now_local();
    in.note = o->note;
    if ((rc = backdate_of(cal, o, in.at, in.recorded_at, &in.backdated, e))) return rc;
    in.channel = o->submit_only ? CHANNEL_ONLINE : CHANNEL_DIRECT;
    if (o->channel && (rc = dossier_channel_parse(o->channel, &in.channel, e))) return rc;
    if (o->docs) {
        if ((rc = parse_docs(o->docs, docs, 64, &in.ndocs, e))) return rc;
        in.docs = docs;
    }
    if (strlen(o->name) >= APPLICANT_NAME_MAX ||
        (o->address && strlen(o->address) >= APPLICANT_ADDRESS_MAX))
        return err_set(e, ERR_INVALID, "--name", "--name or --address: too long");
    if ((o->idno && strlen(o->idno) >= APPLICANT_IDNO_MAX) ||
        (o->phone && strlen(o->phone) >= APPLICANT_PHONE_MAX))
        return err_set(e, ERR_INVALID, "--idno",
                       "--idno or --phone: too long (the value is personal data, not repeated)");
    copy(in.applicant.name, sizeof in.applicant.name, o->name);
    copy(in.applicant.idno, sizeof in.applicant.idno, o->idno);
    copy(in.applicant.phone, sizeof in.applicant.phone, o->phone);
    applicant_phone_normalize(in.applicant.phone);
    copy(in.applicant.address, sizeof in.applicant.address, o->address);
    struct dossier d;
    if ((rc = store_dossier_create(s, cal, &in, &d, e))) return rc;
    return print_receipt(s, &d, o->reveal, e);
}

/* The action a CLI word applies: a name, path or alias of the actions' table (dossier.h),
 * and "supplement" (with --received: the supplement arrived). */
static int action_of(const char *cmd, const struct opts *o, enum dossier_action *a)
{
    if (!strcmp(cmd, "supplement")) {
        *a = o->received ? DA_SUPPLEMENT_RECEIVED : DA_REQUEST_SUPPLEMENT;
        return 1;
    }
    const struct dossier_action_desc *d = dossier_action_find(cmd);
    if (d) *a = d->action;
    return d != NULL;
}

static int do_change(struct store *s, const struct calendar *cal, enum dossier_action a,
                     const struct opts *o, struct err *e)
{
    struct dossier_change c = {.code = o->code,
                               .action = a,
                               .actor = actor_of(o),
                               .note = o->note,
                               .officer = o->officer,
                               .supplement_rule =
                                   o->restart ? SUPPLEMENT_RESTART : SUPPLEMENT_RESUME};
    int rc = when(o->at, "--at", &c.at, e);
    if (rc) return rc;
    c.recorded_at = now_local();
    const struct dossier_action_desc *act = dossier_action_desc(a);
    /* an option the action does not take is refused, not ignored (dossier.h's DAF_*) */
    if ((o->officer && !(act->flags & DAF_OFFICER)) ||
        (o->new_due && !(act->flags & DAF_NEW_DUE)) || (o->restart && !(act->flags & DAF_RULE)))
        return err_set(e, ERR_INVALID, "option", "%s does not apply to '%s'",
                       o->officer && !(act->flags & DAF_OFFICER)   ? "--officer"
                       : o->new_due && !(act->flags & DAF_NEW_DUE) ? "--new-due"
                                                                   : "--restart",
                       act->path);
    if ((act->flags & DAF_REASON) && (!o->note || !*o->note))
        return err_set(e, ERR_INVALID, "--reason",
                       "'%s' needs --reason TEXT (it goes on the form "
                       "and into the audit log)",
                       dossier_action_name(a));
    if (act->flags & DAF_NEW_DUE) {
        if (!o->new_due)
            return err_set(e, ERR_INVALID, "--new-due", "%s needs --new-due T", act->path);
        if ((rc = instant_parse(o->new_due, &c.new_due_at, "--new-due", e))) return rc;
    }
    if ((rc = backdate_of(cal, o, c.at, c.recorded_at, &c.backdated, e))) return rc;
    struct dossier d;
    if ((rc = store_dossier_apply(s, cal, &c, &d, e))) return rc;
    print_state(&d);
    return 0;
}

static int do_rate(struct store *s, const struct opts *o, struct err *e)
{
    int64_t at;
    int rc = when(o->at, "--at", &at, e);
    if (rc) return rc;
    char *end = NULL;
    long score = o->score ? strtol(o->score, &end, 10) : 0;
    if (!o->score || *end || score < 1 || score > 5)
        return err_set(e, ERR_INVALID, "--score", "--score '%s': must be a whole number 1 to 5",
                       o->score ? o->score : "");
    if ((rc = store_dossier_rate(s, o->code, (int)score, at, o->comment, e))) return rc;
    printf("%s\trated %ld\n", o->code, score);
    return 0;
}

/* ---- show ---- */

static int print_step(const struct dossier_step_rec *r, void *ctx)
{
    (void)ctx;
    char a[20], b[20], c[20];
    printf("  %d\t%s\t%s\t%s\t%s\t%s\n", r->seq, r->officer[0] ? r->officer : "-",
           fmt(r->started_at, a), fmt(r->due_at, b), fmt(r->finished_at, c),
           r->outcome == OUT_NONE ? "-" : dossier_outcome_name(r->outcome));
    return 0;
}

static int print_stop(const struct dossier_stop_rec *r, void *ctx)
{
    (void)ctx;
    char a[20], b[20];
    printf("  %d\t%s\t%s\t%s\t%lld phút làm việc\t%s\n", r->seq,
           r->pause ? "tạm dừng" : "yêu cầu bổ sung", fmt(r->started_at, a), fmt(r->ended_at, b),
           (long long)r->working_minutes, r->reason);
    return 0;
}

static int print_apology(const struct dossier_apology_rec *r, void *ctx)
{
    (void)ctx;
    char a[20], b[20], c[20];
    printf("  %d\t%s\thạn cũ %s\thẹn mới %s\t%s\n", r->seq, fmt(r->issued_at, a),
           fmt(r->old_due_at, b), fmt(r->new_due_at, c), r->reason);
    return 0;
}

static int print_event(const struct dossier_event *r, void *ctx)
{
    (void)ctx;
    char a[20], b[20];
    printf("  #%lld\t%s\t%s\t%s\t%s -> %s\t%s", (long long)r->id, fmt(r->at, a), r->actor,
           r->action, r->from_status[0] ? r->from_status : "(mới)", r->to_status, r->note);
    /* a backdated event shows both times (docs/dossiers.md) */
    if (r->backdated) printf("\t[ghi lùi thời gian: ghi nhận lúc %s]", fmt(r->recorded_at, b));
    putchar('\n');
    return 0;
}

static int do_show(struct store *s, const struct opts *o, struct err *e)
{
    struct dossier d;
    int64_t now;
    int rc = when(o->at, "--at", &now, e);
    if (rc || (rc = store_dossier_get(s, o->code, &d, e))) return rc;
    if ((rc = print_receipt(s, &d, o->reveal, e))) return rc;
    enum dossier_outcome out = dossier_outcome_at(&d.st, now);
    char t[20];
    printf("Trạng thái:\t%s (%s)", dossier_status_name(d.st.status),
           dossier_status_label_vi(d.st.status));
    if (d.st.step > 0) printf(", bước %d/%d", d.st.step, d.st.n_steps);
    printf("\nKết quả đánh giá:\t%s (%s)\n", dossier_outcome_name(out), outcome_label_vi(out));
    if (d.st.result_at) printf("Có kết quả lúc:\t%s\n", fmt(d.st.result_at, t));
    if (d.st.returned_at) printf("Trả kết quả lúc:\t%s\n", fmt(d.st.returned_at, t));
    if (d.st.stopped_minutes)
        printf("Thời gian dừng:\t%lld phút làm việc\n", (long long)d.st.stopped_minutes);
    if (d.st.apologies) printf("Hẹn lại (xin lỗi):\t%s\n", fmt(d.st.apology_due_at, t));
    int score;
    int64_t rated_at;
    char comment[DOSSIER_NOTE_MAX];
    if ((rc = store_dossier_rating(s, d.code, &score, &rated_at, comment, sizeof comment, e)))
        return rc;
    if (score)
        printf("Đánh giá của người dân:\t%d/5 (%s)%s%s\n", score, fmt(rated_at, t),
               comment[0] ? " — " : "", comment);
    printf("Các bước (bước, cán bộ, bắt đầu, hạn, xong, đánh giá):\n");
    struct dossier_records r = {.step = print_step};
    if ((rc = store_dossier_records(s, d.code, &r, e))) return rc;
    if (d.st.supplements + d.st.pauses) {
        printf("Bổ sung / tạm dừng:\n");
        r = (struct dossier_records){.stop = print_stop};
        if ((rc = store_dossier_records(s, d.code, &r, e))) return rc;
    }
    if (d.st.apologies) {
        printf("Văn bản xin lỗi (Mẫu 04):\n");
        r = (struct dossier_records){.apology = print_apology};
        if ((rc = store_dossier_records(s, d.code, &r, e))) return rc;
    }
    printf("Nhật ký (audit):\n");
    r = (struct dossier_records){.event = print_event};
    return store_dossier_records(s, d.code, &r, e);
}

/* ---- list ---- */

struct list_ctx {
    int64_t now;
    int64_t n;
};

static int print_row(const struct dossier *d, void *ctx)
{
    struct list_ctx *l = ctx;
    char r[20], due[20];
    printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d->code, d->unit, d->procedure,
           dossier_status_name(d->st.status),
           dossier_outcome_name(dossier_outcome_at(&d->st, l->now)),
           fmt(d->st.received_at ? d->st.received_at : d->submitted_at, r), fmt(d->st.due_at, due));
    l->n++;
    return 0;
}

static int parse_day(const char *s, const char *field, int64_t open, int64_t *out, struct err *e)
{
    struct ymd d;
    if (!s) {
        *out = open;
        return 0;
    }
    int rc = ymd_parse(s, &d, field, e);
    if (!rc) *out = ymd_to_days(d);
    return rc;
}

static int do_list(struct store *s, const struct opts *o, struct err *e)
{
    struct dossier_filter f = {.unit = o->unit, .status = -1, .outcome = -1, .name = o->name};
    int rc = 0;
    if (o->code)
        return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)",
                       o->code);
    if (o->status) {
        enum dossier_status st;
        if ((rc = dossier_status_parse(o->status, &st, e))) return rc;
        f.status = (int)st;
    }
    if (o->outcome) {
        enum dossier_outcome out;
        if ((rc = dossier_outcome_parse(o->outcome, &out, e))) return rc;
        f.outcome = (int)out;
    }
    if ((rc = parse_day(o->from, "--from", INT64_MIN, &f.from_day, e)) ||
        (rc = parse_day(o->to, "--to", INT64_MAX, &f.to_day, e)) ||
        (rc = when(o->at, "--at", &f.now, e)))
        return rc;
    if (o->limit) {
        char *end;
        long v = strtol(o->limit, &end, 10);
        if (*end || v < 1)
            return err_set(e, ERR_INVALID, "--limit", "--limit '%s': must be a whole number >= 1",
                           o->limit);
        f.limit = v;
    }
    struct list_ctx l = {f.now, 0};
    return store_dossier_list(s, &f, print_row, &l, e);
}

int cmd_dossier(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "form")) return cmd_dossier_form(argc, argv); /* cmd_form.c */
    struct opts o = {0};
    enum dossier_action a = DA_RECEIVE;
    int change = action_of(cmd, &o, &a);
    if (!change && strcmp(cmd, "show") && strcmp(cmd, "list") && strcmp(cmd, "rate")) {
        char words[400] = "";
        for (int i = 0; i < DA__COUNT; i++) {
            size_t l = strlen(words);
            snprintf(words + l, sizeof words - l, "%s, ",
                     dossier_action_desc((enum dossier_action)i)->path);
        }
        err_set(&e, ERR_INVALID, "command",
                "'%s': not a dossier command (%ssupplement, rate, show, list)", cmd, words);
        return cli_fail("dossier", &e);
    }
    if (parse_args(argc, argv, &o, &e)) return cli_fail("dossier", &e);
    if (change) action_of(cmd, &o, &a); /* --received may change it */
    int create = !strcmp(cmd, "receive") && !o.code;
    if (!create && strcmp(cmd, "list") && !o.code) {
        err_set(&e, ERR_INVALID, "code", "'%s' needs a dossier CODE (see --help)", cmd);
        return cli_fail("dossier", &e);
    }
    struct calendar *cal = NULL;
    if ((change || create) && load_calendar(&o, &cal, &e)) return cli_fail("dossier", &e);
    struct store *s;
    int rc = cli_store_open("dossier", o.db, 0, &s);
    if (rc) {
        calendar_free(cal);
        return rc;
    }
    if (cal && store_calendar_apply(s, &cal, &e)) /* with the database's decisions */
        rc = -1;
    else if (create)
        rc = do_create(s, cal, &o, &e);
    else if (change)
        rc = do_change(s, cal, a, &o, &e);
    else if (!strcmp(cmd, "show"))
        rc = do_show(s, &o, &e);
    else if (!strcmp(cmd, "rate"))
        rc = do_rate(s, &o, &e);
    else
        rc = do_list(s, &o, &e);
    store_close(s);
    calendar_free(cal);
    return rc ? cli_fail("dossier", &e) : 0;
}
