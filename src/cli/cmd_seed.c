/* cmd_seed.c — `cchc seed --dossiers N`: a realistic year of one-stop dossiers for the demo
 * province, reproducible from --seed. Arrivals follow office days (more on Mondays and before
 * Tết), channels follow each procedure's online mode, officers have their own habits (most
 * finish early, a few are often late and then write apologies), and some dossiers need a
 * supplement, are paused, refused, withdrawn or cancelled. Every change goes through the
 * store's state machine in global time order, batched in transactions for speed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "cli.h"
#include "import.h"
#include "store.h"
#include "store_calendar.h"
#include "vntext.h"

#define MAX_DOSSIERS 10000000L

/* ---- random numbers: splitmix64, enough for a reproducible simulation ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static int64_t below(int64_t n)
{
    return n > 0 ? (int64_t)(rnd() % (uint64_t)n) : 0;
}

/* 1 with probability p (0..1). */
static int chance(double p)
{
    return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0) < p;
}

static double uniform(double a, double b)
{
    return a + (b - a) * (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- the world: units, procedures, officers ---- */

struct seed_unit {
    struct unit u;
    int weight;
};

struct world {
    struct seed_unit *units;
    int nunits;
    struct procedure *procs;
    int nprocs;
    int *proc_weight;
    int total_weight;
};

static int collect_unit(const struct unit *u, void *ctx)
{
    struct world *w = ctx;
    if (!u->ident_code[0]) return 0;
    int weight = 0;
    switch (u->kind) {
    case UNIT_WARD:
        weight = 4;
        break;
    case UNIT_COMMUNE:
    case UNIT_TOWN:
    case UNIT_SPECIAL_ZONE:
        weight = 3;
        break;
    case UNIT_DESK:
    case UNIT_DEPARTMENT:
    case UNIT_PROVINCE:
    case UNIT_DISTRICT:
        weight = 1;
        break;
    default:
        return 0;
    }
    struct seed_unit *n = realloc(w->units, sizeof *n * (size_t)(w->nunits + 1));
    if (!n) return ERR_NOMEM;
    w->units = n;
    w->units[w->nunits].u = *u;
    w->units[w->nunits++].weight = weight;
    return 0;
}

/* How common a procedure is, by its field: certifications and civil status dominate a
 * commune desk's year (the seeds' "2,907 dossiers" are mostly those). */
static int proc_weight(const struct procedure *p)
{
    char fold[PROC_FIELD_MAX * 2 + PROC_NAME_MAX * 2];
    char text[PROC_FIELD_MAX + PROC_NAME_MAX + 2];
    snprintf(text, sizeof text, "%s %s", p->field, p->name);
    if (vntext_fold(text, fold, sizeof fold)) return 1;
    if (strstr(fold, "chung thuc")) return 30;
    if (strstr(fold, "khai sinh") && !strstr(fold, "lai")) return 14;
    if (strstr(fold, "ho tich")) return 5;
    if (strstr(fold, "cu tru") || strstr(fold, "tru")) return 6;
    if (strstr(fold, "dat dai")) return 5;
    if (strstr(fold, "kinh doanh")) return 3;
    return 2;
}

static int collect_proc(const struct procedure *p, void *ctx)
{
    struct world *w = ctx;
    struct procedure *n = realloc(w->procs, sizeof *n * (size_t)(w->nprocs + 1));
    int *nw = realloc(w->proc_weight, sizeof *nw * (size_t)(w->nprocs + 1));
    if (!n || !nw) {
        free(n ? n : w->procs);
        w->procs = NULL;
        return ERR_NOMEM;
    }
    w->procs = n;
    w->proc_weight = nw;
    w->procs[w->nprocs] = *p;
    w->proc_weight[w->nprocs] = proc_weight(p);
    w->total_weight += w->proc_weight[w->nprocs++];
    return 0;
}

static int pick_proc(const struct world *w)
{
    int64_t r = below(w->total_weight);
    for (int i = 0; i < w->nprocs; i++)
        if ((r -= w->proc_weight[i]) < 0) return i;
    return w->nprocs - 1;
}

/* Does unit u receive procedures of level lv on day d? Commune-level procedures go to
 * communes, wards and towns; province-level ones to a province's desk (public service
 * centre), else a department, else the province; district-level ones to districts. */
static int receives(const struct unit *u, enum proc_level lv, int64_t d, int pass)
{
    if (!unit_valid_on(u, d)) return 0;
    switch (lv) {
    case LEVEL_COMMUNE:
        return u->kind == UNIT_COMMUNE || u->kind == UNIT_WARD || u->kind == UNIT_TOWN ||
               u->kind == UNIT_SPECIAL_ZONE;
    case LEVEL_DISTRICT:
        return u->kind == UNIT_DISTRICT;
    default:
        return pass == 0   ? u->kind == UNIT_DESK && !strchr(u->code, '.')
               : pass == 1 ? u->kind == UNIT_DESK || u->kind == UNIT_DEPARTMENT
                           : u->kind == UNIT_PROVINCE;
    }
}

/* Another unit than ui of the same level and parent that receives the procedure's dossiers on
 * day d (so both lie in one province), or -1: the desk that received a dossier of a procedure
 * received regardless of residence for ui to decide (Decree 118/2025/NĐ-CP). Deterministic (no
 * draw), so the seeded history of every other dossier stays as it was. */
static int neighbour_unit(const struct world *w, int ui, enum proc_level lv, int64_t d)
{
    const struct unit *u = &w->units[ui].u;
    for (int k = 1; k < w->nunits; k++) {
        int j = (ui + k) % w->nunits;
        const struct unit *v = &w->units[j].u;
        if (receives(v, lv, d, 0) && !strcmp(v->parent, u->parent)) return j;
    }
    return -1;
}

/* A receiving unit for the procedure on day d, or -1 if none exists that day. */
static int pick_unit(const struct world *w, enum proc_level lv, int64_t d)
{
    for (int pass = 0; pass < 3; pass++) {
        int64_t total = 0;
        for (int i = 0; i < w->nunits; i++)
            if (receives(&w->units[i].u, lv, d, pass)) total += w->units[i].weight;
        if (!total) {
            if (lv == LEVEL_COMMUNE || lv == LEVEL_DISTRICT) return -1;
            continue;
        }
        int64_t r = below(total);
        for (int i = 0; i < w->nunits; i++)
            if (receives(&w->units[i].u, lv, d, pass) && (r -= w->units[i].weight) < 0) return i;
    }
    return -1;
}

/* An officer (officer_name below). Lateness habit from a hash of the name, so the same
 * person behaves alike all year: 85% rarely late, 12% sometimes, 3% often — which gives
 * the 95-99% on-time rates provinces publish. */
static double officer_late_rate(const char *name)
{
    /* hashed in the names' first form, "DT.MYTHO/leader2", so that a seed S still writes the
     * same dossiers and events as before officers became usernames (tests/cli/t-audit.sh
     * compares a seeded PostgreSQL database with a SQLite file written then) */
    char legacy[DOSSIER_ACTOR_MAX];
    const char *dot = strrchr(name, '.');
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof legacy; p++)
        legacy[n++] = p == dot                                   ? '/'
                      : dot && p < dot && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A')
                                                                 : *p;
    legacy[n] = '\0';
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = legacy; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    int k = (int)(h % 100);
    return k < 85 ? 0.003 : k < 97 ? 0.03 : 0.20;
}

/* An officer's username: the unit's code in lower case, the step role and a number, e.g.
 * "dt.mytho.leader2" — a valid username (username_check), so `cchc demo` can give each one an
 * account with a name (seed_officer_accounts) and pages show people, not codes. */
static void officer_name(const struct seed_unit *su, enum step_role r, char *buf, size_t n)
{
    static const int pool[ROLE_COUNT] = {3, 4, 2, 1, 2};
    char unit[32];
    size_t k = 0;
    for (const char *p = su->u.code; *p && k + 1 < sizeof unit; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        unit[k++] =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ? c : '-';
    }
    unit[k] = '\0';
    snprintf(buf, n, "%s.%s%d", unit, step_role_name(r), 1 + (int)below(pool[r]));
}

/* ---- applicants ---- */

static const char *const family[] = {"Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần",  "Trần",
                                     "Lê",     "Lê",     "Phạm",   "Huỳnh",  "Hoàng", "Phan",
                                     "Võ",     "Vũ",     "Đặng",   "Bùi",    "Đỗ",    "Hồ",
                                     "Ngô",    "Dương",  "Lý",     "Trương", "Đinh",  "Lâm"};
static const char *const middle_m[] = {"Văn",   "Văn",  "Hữu", "Minh", "Quốc",
                                       "Thanh", "Công", "Đức", "Hoàng"};
static const char *const middle_f[] = {"Thị", "Thị", "Thị",  "Ngọc", "Thanh",
                                       "Kim", "Mỹ",  "Bích", "Thu"};
static const char *const given_m[] = {"An",    "Bình", "Cường", "Dũng",  "Hải",  "Hùng",
                                      "Khang", "Lộc",  "Minh",  "Nam",   "Phúc", "Quân",
                                      "Sơn",   "Tài",  "Thắng", "Trung", "Tuấn", "Việt"};
static const char *const given_f[] = {"Anh",    "Châu",  "Diễm", "Hà",    "Hạnh",  "Hoa",
                                      "Hồng",   "Lan",   "Linh", "Mai",   "Ngân",  "Nhung",
                                      "Phương", "Quyên", "Thảo", "Trang", "Tuyết", "Yến"};
static const char *const places[] = {"Ấp", "Khu phố", "Tổ"};

#define PICK(a) (a[below((int64_t)(sizeof a / sizeof a[0]))])

static void make_applicant(const struct unit *u, int year, struct applicant *a)
{
    int female = chance(0.52);
    snprintf(a->name, sizeof a->name, "%s %s %s", PICK(family),
             female ? PICK(middle_f) : PICK(middle_m), female ? PICK(given_f) : PICK(given_m));
    /* Citizen ID: 3-digit province of birth (087 Đồng Tháp, 082 Tiền Giang), a digit for
     * century and sex, 2 digits of birth year, 6 random digits (Decree 137/2015 (verify)). */
    int born = year - 18 - (int)below(62);
    int century = born >= 2000 ? 2 : 0;
    snprintf(a->idno, sizeof a->idno, "%s%d%02d%06d", chance(0.7) ? "087" : "082", century + female,
             born % 100, (int)below(1000000));
    static const char *const pre[] = {"090", "091", "093", "094", "097", "098", "086", "032",
                                      "033", "035", "037", "039", "070", "076", "077", "085"};
    if (chance(0.9))
        snprintf(a->phone, sizeof a->phone, "%s%07d", PICK(pre), (int)below(10000000));
    else
        a->phone[0] = '\0';
    snprintf(a->address, sizeof a->address, "%s %d, %s", PICK(places), 1 + (int)below(12), u->name);
}

/* ---- the simulation ---- */

/* The seed's own next step after a return: the applicant's rating (not a state change). */
#define RATE ((enum dossier_action)DA__COUNT)

/* One dossier in flight. */
struct flight {
    char code[DOSSIER_CODE_LEN];
    int proc, unit;
    struct dossier d; /* last known state */
    enum dossier_action next;
    int64_t next_at;
    char actor[DOSSIER_ACTOR_MAX], officer[DOSSIER_ACTOR_MAX];
    int apologised, will_refuse, will_withdraw;
    int64_t step_done_at; /* planned end of the current step */
};

struct pending {
    int64_t at;
    uint64_t tie;
    int flight;
};

struct sim {
    struct store *s;
    const struct calendar *cal;
    struct world *w;
    int year;          /* the year of the window's last day (applicants' ages) */
    int64_t first_day; /* arrivals from this day ... */
    int64_t last_day;  /* ... to this one (date.h day numbers) */
    int64_t end;       /* no dossier arrives after this instant: the window's last minute */
    int finish;        /* --finish: the dossiers open at the end run on after it to their end;
                        * otherwise nothing happens after the end */
    /* arrivals, sorted by instant */
    int64_t *arrive;
    long narrive, next_arrival;
    /* flights and the heap of their next actions */
    struct flight *fl;
    int nfl, capfl, *free_fl, nfree;
    struct pending *heap;
    long nheap, capheap;
    uint64_t tie;
    /* counts */
    long created, changes, skipped, left_open;
    long batch;
};

static int heap_push(struct sim *m, int64_t at, int f)
{
    if (m->nheap == m->capheap) {
        long cap = m->capheap ? m->capheap * 2 : 1024;
        struct pending *h = realloc(m->heap, sizeof *h * (size_t)cap);
        if (!h) return ERR_NOMEM;
        m->heap = h;
        m->capheap = cap;
    }
    long i = m->nheap++;
    struct pending p = {at, m->tie++, f};
    while (i > 0) {
        long up = (i - 1) / 2;
        if (m->heap[up].at < p.at || (m->heap[up].at == p.at && m->heap[up].tie < p.tie)) break;
        m->heap[i] = m->heap[up];
        i = up;
    }
    m->heap[i] = p;
    return 0;
}

static struct pending heap_pop(struct sim *m)
{
    struct pending top = m->heap[0], last = m->heap[--m->nheap];
    long i = 0;
    for (;;) {
        long c = 2 * i + 1;
        if (c >= m->nheap) break;
        if (c + 1 < m->nheap &&
            (m->heap[c + 1].at < m->heap[c].at ||
             (m->heap[c + 1].at == m->heap[c].at && m->heap[c + 1].tie < m->heap[c].tie)))
            c++;
        if (last.at < m->heap[c].at || (last.at == m->heap[c].at && last.tie < m->heap[c].tie))
            break;
        m->heap[i] = m->heap[c];
        i = c;
    }
    m->heap[i] = last;
    return top;
}

static int new_flight(struct sim *m)
{
    if (m->nfree) return m->free_fl[--m->nfree];
    if (m->nfl == m->capfl) {
        int cap = m->capfl ? m->capfl * 2 : 1024;
        struct flight *f = realloc(m->fl, sizeof *f * (size_t)cap);
        int *fr = realloc(m->free_fl, sizeof *fr * (size_t)cap);
        if (f) m->fl = f;
        if (fr) m->free_fl = fr;
        if (!f || !fr) return -1;
        m->capfl = cap;
    }
    return m->nfl++;
}

/* t + n working minutes (t itself when the calendar cannot say). */
static int64_t plus_work(const struct sim *m, int64_t t, int64_t n)
{
    int64_t out = t;
    if (n > 0 && calendar_add_working_minutes(m->cal, t, n, &out, NULL)) out = t + n;
    return out;
}

static int64_t per_day(const struct sim *m)
{
    return calendar_minutes_per_day(m->cal);
}

static void schedule(struct flight *f, enum dossier_action a, int64_t at)
{
    f->next = a;
    f->next_at = at < f->d.st.last_at ? f->d.st.last_at : at;
}

/* Plans the work on the step the dossier just entered: when it ends, whether it is late
 * (the officer's habit), and what may interrupt it. */
static void plan_step(struct sim *m, struct flight *f)
{
    const struct procedure *p = &m->w->procs[f->proc];
    const struct dossier_state *st = &f->d.st;
    int k = st->step;
    int64_t alloc = dossier_step_allotment(p, st->budget_minutes, k);
    if (alloc < 10) alloc = 10;
    double frac = chance(officer_late_rate(f->officer)) ? uniform(1.05, 2.6) : uniform(0.1, 0.95);
    int64_t dur = (int64_t)(alloc * frac);
    f->step_done_at = plus_work(m, st->step_started_at, dur > 1 ? dur : 1);
    int specialist = k == (st->n_steps >= 2 ? 2 : 1);
    int land = p->time_amount >= 15;
    if (specialist && st->supplements == 0 && chance(0.035)) {
        schedule(f, DA_REQUEST_SUPPLEMENT, plus_work(m, st->step_started_at, dur / 3 + 1));
        return;
    }
    if (specialist && st->pauses == 0 && chance(land ? 0.08 : 0.008)) {
        schedule(f, DA_PAUSE, plus_work(m, st->step_started_at, dur / 2 + 1));
        return;
    }
    if (specialist && chance(0.004)) {
        schedule(f, DA_WITHDRAW, plus_work(m, st->step_started_at, dur / 2 + 1));
        return;
    }
    /* Late for the dossier, and the officer sees it coming: an apology (Mẫu 04) with a new
     * appointment, written half a day before the due instant (verify the lead time). */
    if (f->step_done_at > st->due_at && !f->apologised && chance(0.6)) {
        int64_t at = st->due_at - 240;
        if (at < st->step_started_at) at = st->step_started_at;
        if (at < f->step_done_at) {
            f->apologised = 1;
            schedule(f, DA_APOLOGISE, at);
            return;
        }
    }
    f->will_refuse = specialist && chance(0.015);
    schedule(f,
             f->will_refuse    ? DA_REFUSE
             : k < st->n_steps ? DA_ADVANCE
                               : DA_FINISH,
             f->step_done_at);
}

/* Decides the next action after the one just applied (f->d is the new state). Returns 0 if
 * the dossier's story is over. */
static int plan_next(struct sim *m, struct flight *f, enum dossier_action done)
{
    const struct dossier_state *st = &f->d.st;
    int64_t now = st->last_at, mpd = per_day(m);
    switch (st->status) {
    case DS_SUBMITTED:
        /* the desk checks online dossiers within a working day */
        if (chance(0.02))
            schedule(f, DA_REFUSE, plus_work(m, now, 10 + below(mpd)));
        else if (done != DA_SUPPLEMENT_RECEIVED && chance(0.06))
            schedule(f, DA_REQUEST_SUPPLEMENT, plus_work(m, now, 10 + below(mpd)));
        else
            schedule(f, DA_RECEIVE, plus_work(m, now, 5 + below(mpd)));
        return 1;
    case DS_RECEIVED:
        schedule(f, DA_ADVANCE, plus_work(m, now, 1 + below(30)));
        return 1;
    case DS_PROCESSING:
        if (done == DA_APOLOGISE) {
            schedule(f,
                     f->will_refuse           ? DA_REFUSE
                     : st->step < st->n_steps ? DA_ADVANCE
                                              : DA_FINISH,
                     f->step_done_at);
            return 1;
        }
        plan_step(m, f);
        return 1;
    case DS_SUPPLEMENT_REQUESTED:
        if (chance(0.08))
            schedule(f, chance(0.5) ? DA_WITHDRAW : DA_CANCEL, plus_work(m, now, 15 * mpd));
        else
            schedule(f, DA_SUPPLEMENT_RECEIVED, plus_work(m, now, mpd / 2 + below(6 * mpd)));
        return 1;
    case DS_PAUSED:
        schedule(f, DA_RESUME, plus_work(m, now, mpd + below(10 * mpd)));
        return 1;
    case DS_RETURNED:
        /* about a third of applicants rate the service, mostly satisfied (Decision 766's
         * satisfaction indicator) */
        if (done == DA_RETURN && chance(0.35)) {
            schedule(f, RATE, now + 1 + below(3 * MINUTES_PER_DAY));
            return 1;
        }
        return 0;
    case DS_RESULT_READY:
        schedule(f, DA_RETURN,
                 f->d.channel == CHANNEL_ONLINE ? now + 1 + below(30)
                                                : plus_work(m, now, below(3 * mpd)));
        return 1;
    default:
        return 0;
    }
}

/* Applies f's next action; updates its state and plans the one after. */
static int step_flight(struct sim *m, int idx, struct err *e)
{
    struct flight *f = &m->fl[idx];
    const struct procedure *p = &m->w->procs[f->proc];
    const struct seed_unit *su = &m->w->units[f->unit];
    enum dossier_action a = f->next;
    if (a == RATE) {
        static const int scores[10] = {5, 5, 5, 5, 4, 4, 4, 3, 3, 2};
        int rc = store_dossier_rate(m->s, f->code, chance(0.01) ? 1 : scores[below(10)], f->next_at,
                                    NULL, e);
        if (rc) return rc;
        m->changes++;
        m->fl[idx].code[0] = '\0';
        m->free_fl[m->nfree++] = idx;
        return 0;
    }
    char officer[DOSSIER_ACTOR_MAX];
    officer[0] = '\0';
    if (a == DA_ADVANCE) {
        int k = f->d.st.step; /* the next step is k + 1, steps[k] */
        officer_name(su, p->nsteps > k ? p->steps[k].role : ROLE_SPECIALIST, officer,
                     sizeof officer);
    }
    static const char *const reasons[DA__COUNT] = {
        [DA_REQUEST_SUPPLEMENT] = "Bổ sung giấy tờ còn thiếu theo Phiếu yêu cầu (Mẫu 02)",
        [DA_PAUSE] = "Chờ thực hiện nghĩa vụ tài chính",
        [DA_REFUSE] = "Không đủ điều kiện giải quyết theo quy định",
        [DA_WITHDRAW] = "Người nộp đề nghị rút hồ sơ",
        [DA_CANCEL] = "Quá hạn bổ sung hồ sơ",
        [DA_APOLOGISE] = "Cần xác minh thêm; xin lỗi và hẹn lại (Mẫu 04)",
    };
    struct dossier_change c = {.code = f->code,
                               .action = a,
                               .at = f->next_at,
                               .actor = f->officer[0] ? f->officer : f->actor,
                               .note = reasons[a],
                               .officer = officer,
                               .proc = p};
    if (a == DA_RECEIVE || a == DA_RETURN || (a == DA_REQUEST_SUPPLEMENT && !f->d.st.received_at) ||
        (a == DA_REFUSE && !f->d.st.received_at))
        c.actor = f->actor; /* the desk */
    if (a == DA_APOLOGISE) c.new_due_at = plus_work(m, f->step_done_at, per_day(m));
    c.recorded_at = c.at; /* the simulation's own clock: seeded history is not backdated */
    int rc = store_dossier_apply(m->s, m->cal, &c, &f->d, e);
    if (rc) return rc;
    m->changes++;
    if (a == DA_ADVANCE) snprintf(f->officer, sizeof f->officer, "%s", officer);
    if (plan_next(m, f, a)) {
        if (m->finish || f->next_at <= m->end) return heap_push(m, f->next_at, idx);
        m->left_open++;
    }
    m->fl[idx].code[0] = '\0';
    m->free_fl[m->nfree++] = idx;
    return 0;
}

/* Creates the next arriving dossier. */
static int arrive(struct sim *m, struct err *e)
{
    int64_t at = m->arrive[m->next_arrival++];
    int pi = pick_proc(m->w);
    const struct procedure *p = &m->w->procs[pi];
    int ui = pick_unit(m->w, p->level, instant_day(at));
    if (ui < 0) {
        m->skipped++;
        return 0;
    }
    const struct seed_unit *su = &m->w->units[ui];
    double online = p->online == ONLINE_FULL ? 0.6 : p->online == ONLINE_PARTIAL ? 0.3 : 0.0;
    double r = uniform(0, 1);
    enum dossier_channel ch = r < online          ? CHANNEL_ONLINE
                              : r < online + 0.04 ? CHANNEL_POSTAL
                                                  : CHANNEL_DIRECT;
    /* Direct dossiers arrive in office hours; the others whenever they were sent. */
    if (ch == CHANNEL_DIRECT && !calendar_is_working(m->cal, instant_day(at))) ch = CHANNEL_ONLINE;
    int fi = new_flight(m);
    if (fi < 0) return err_set(e, ERR_NOMEM, "", "out of memory");
    struct flight *f = &m->fl[fi];
    memset(f, 0, sizeof *f);
    f->proc = pi;
    f->unit = ui;
    officer_name(su, ROLE_DESK, f->actor, sizeof f->actor);
    struct dossier_intake in = {.unit = su->u.code,
                                .procedure = p->code,
                                .channel = ch,
                                .at = at,
                                .actor = ch == CHANNEL_DIRECT ? f->actor : "portal",
                                .receive = ch == CHANNEL_DIRECT,
                                .proc = p};
    /* one in nine direct dossiers of a province-wide procedure is received by a neighbouring
     * commune's desk for this one to decide */
    if (p->receive == RECV_PROVINCE && ch == CHANNEL_DIRECT && p->level == LEVEL_COMMUNE &&
        m->created % 9 == 4) {
        int ni = neighbour_unit(m->w, ui, p->level, instant_day(at));
        if (ni >= 0) {
            in.unit = m->w->units[ni].u.code;
            in.decider = su->u.code;
        }
    }
    make_applicant(&su->u, m->year, &in.applicant);
    in.fee_paid_online = ch == CHANNEL_ONLINE && p->fee_vnd != 0 && chance(0.7);
    in.digitised = chance(0.85);
    in.recorded_at = at; /* the simulation's own clock */
    int rc = store_dossier_create(m->s, m->cal, &in, &f->d, e);
    if (rc) return rc;
    snprintf(f->code, sizeof f->code, "%s", f->d.code);
    m->created++;
    m->changes++;
    if (plan_next(m, f, DA_RECEIVE)) {
        if (m->finish || f->next_at <= m->end) return heap_push(m, f->next_at, fi);
        m->left_open++;
    }
    f->code[0] = '\0';
    m->free_fl[m->nfree++] = fi;
    return 0;
}

/* One transaction: up to m->batch changes in time order. */
static int batch_tx(struct store *s, void *ctx, struct err *e)
{
    (void)s;
    struct sim *m = ctx;
    for (long n = 0; n < m->batch; n++) {
        int have_arrival = m->next_arrival < m->narrive;
        int have_pending = m->nheap > 0;
        if (!have_arrival && !have_pending) return 0;
        int rc;
        if (have_pending && (!have_arrival || m->heap[0].at < m->arrive[m->next_arrival]))
            rc = step_flight(m, heap_pop(m).flight, e);
        else
            rc = arrive(m, e);
        if (rc) return rc;
    }
    return 0;
}

/* ---- arrivals over the year ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* n arrival instants over the window's days: direct ones on working days in office hours,
 * weighted (Mondays busier, the weeks before Tết and the end of the year busier); none after
 * the window's last instant (the clock's minute when the window ends today). */
static int make_arrivals(struct sim *m, long n, struct err *e)
{
    int64_t d0 = m->first_day, d1 = m->last_day, ndays = d1 - d0 + 1;
    double *w = calloc((size_t)ndays, sizeof *w), total = 0;
    m->arrive = malloc(sizeof *m->arrive * (size_t)(n ? n : 1));
    if (!w || !m->arrive) {
        free(w);
        return err_set(e, ERR_NOMEM, "", "out of memory for %ld arrivals", n);
    }
    for (int64_t d = d0; d <= d1; d++) {
        double x = calendar_is_working(m->cal, d) ? 1.0 : 0.06; /* online on days off */
        if (day_weekday(d) == 1) x *= 1.25;
        struct ymd ymd = days_to_ymd(d);
        if (ymd.m == 12 || ymd.m == 1) x *= 1.15;
        total += w[d - d0] = x;
    }
    double cum = 0;
    long made = 0;
    int64_t mpd = calendar_minutes_per_day(m->cal);
    for (int64_t d = d0; d <= d1; d++) {
        cum += w[d - d0];
        long upto = d == d1 ? n : (long)(cum / total * (double)n);
        long first = made;
        for (; made < upto; made++) {
            if (calendar_is_working(m->cal, d)) {
                int64_t t = d * MINUTES_PER_DAY;
                /* an office minute of the day */
                m->arrive[made] = plus_work(m, t, 1 + below(mpd - 1));
                if (instant_day(m->arrive[made]) != d) m->arrive[made] = t + 8 * 60;
            } else {
                m->arrive[made] = d * MINUTES_PER_DAY + 6 * 60 + below(17 * 60);
            }
            /* today: what would arrive later than now arrives spread over the morning */
            if (m->arrive[made] > m->end) {
                int64_t t0 = d * MINUTES_PER_DAY, span = m->end - t0;
                m->arrive[made] = t0 + (span > 0 ? below(span + 1) : 0);
            }
        }
        qsort(m->arrive + first, (size_t)(made - first), sizeof *m->arrive, cmp_i64);
    }
    free(w);
    m->narrive = n;
    return 0;
}

/* ---- the command ---- */

/* The window of --until: the twelve months ending on day s ("YYYY-MM-DD" or "today", the
 * day in Vietnam, UTC+7), from the day after the same date a year before. *end is the last
 * instant: the current minute when the day is today, else the day's last minute. */
static int seed_window(const char *s, struct ymd *first, struct ymd *last, int64_t *end,
                       struct err *e)
{
    int64_t now = ((int64_t)time(NULL) + 7 * 3600) / 60, day;
    if (!strcmp(s, "today")) {
        day = instant_day(now);
    } else {
        struct ymd d;
        char tail;
        if (sscanf(s, "%4d-%2d-%2d%c", &d.y, &d.m, &d.d, &tail) != 3 || !ymd_valid(d) ||
            d.y < 2015 || d.y > 2099)
            return err_set(e, ERR_INVALID, "--until",
                           "--until '%s': must be 'today' or a date YYYY-MM-DD from 2015 to 2099",
                           s);
        day = ymd_to_days(d);
    }
    *last = days_to_ymd(day);
    struct ymd a = {last->y - 1, last->m, last->d};
    if (!ymd_valid(a)) a.d--; /* 29/2 a year before: the 28th */
    *first = days_to_ymd(ymd_to_days(a) + 1);
    *end = day == instant_day(now) ? now : day * MINUTES_PER_DAY + MINUTES_PER_DAY - 1;
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cchc seed --dossiers N [--seed S] [--year Y [--finish] | --until DAY]\n"
            "                 [--batch B] [--cache-mb M] [--db FILE] [--data DIR]\n"
            "Generates N dossiers received during year Y (default 2025) in the demo province,\n"
            "with their whole lifecycle up to 31/12 of Y, reproducibly from S (default 1).\n"
            "--until DAY (YYYY-MM-DD, or 'today' in Vietnam's time) seeds the twelve months\n"
            "ending that day instead, up to its current minute when it is today: dossiers\n"
            "still open at the end are in progress, as on a real desk.\n"
            "--finish: the dossiers still open on 31/12 of Y run on into the next year to their\n"
            "end, so that a history seeded a year at a time into one database (bench/decade.sh)\n"
            "leaves none open forever; the next year's run adds its own.\n"
            "Units and procedures come from the database; if it has none, the demo files\n"
            "DIR/demo/units.csv and DIR/catalog/procedures.csv are imported first. Changes are\n"
            "written B at a time (default 4096) in one transaction each, durably; if the run\n"
            "fails, the batches written before stay (each complete, the audit verifies).\n"
            "--cache-mb M: SQLite's page cache while seeding, in MiB (default 256; SQLite's\n"
            "own default, 2, makes the kernel re-read index pages once the data outgrows it).\n");
}

static int parse_long(const char *s, long lo, long hi, const char *field, long *out, struct err *e)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi)
        return err_set(e, ERR_INVALID, field, "%s '%s': must be a whole number from %ld to %ld",
                       field, s ? s : "", lo, hi);
    *out = v;
    return 0;
}

static void report_line(const char *line, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

/* Imports the demo units and catalogue into an empty database. */
static int ensure_world(struct store *s, const char *data, struct err *e)
{
    int64_t n = 0;
    char path[4096];
    struct import_result r;
    int rc = store_unit_count(s, &n, e);
    if (!rc && n == 0) {
        snprintf(path, sizeof path, "%s/demo/units.csv", data);
        rc = import_units(s, path, report_line, NULL, &r, e);
    }
    if (!rc) rc = store_procedure_count(s, &n, e);
    if (!rc && n == 0) {
        snprintf(path, sizeof path, "%s/catalog/procedures.csv", data);
        rc = import_procedures(s, path, report_line, NULL, &r, e);
    }
    return rc;
}

static int run(struct sim *m, const char *data, long n, struct err *e)
{
    struct world *w = m->w;
    int rc = ensure_world(m->s, data, e);
    if (!rc) rc = store_unit_list(m->s, UNIT_DAY_MIN, collect_unit, w, e);
    if (!rc) rc = store_procedure_list(m->s, NULL, collect_proc, w, e);
    if (rc) return rc;
    if (!w->nunits || !w->nprocs)
        return err_set(e, ERR_NOT_FOUND, "db",
                       "the database has no units with identifier codes or no procedures");
    if ((rc = make_arrivals(m, n, e))) return rc;
    while (!rc && (m->next_arrival < m->narrive || m->nheap > 0))
        rc = store_tx(m->s, batch_tx, m, e);
    return rc;
}

int cmd_seed(int argc, char **argv)
{
    struct err e = {0};
    const char *db = NULL, *data = NULL, *ns = NULL, *seed_s = "1", *year_s = NULL,
               *batch_s = "4096", *until_s = NULL, *cache_s = "256";
    int finish = 0;
    for (int i = 1; i < argc; i++) {
        const char **v = !strcmp(argv[i], "--dossiers")   ? &ns
                         : !strcmp(argv[i], "--seed")     ? &seed_s
                         : !strcmp(argv[i], "--year")     ? &year_s
                         : !strcmp(argv[i], "--until")    ? &until_s
                         : !strcmp(argv[i], "--batch")    ? &batch_s
                         : !strcmp(argv[i], "--cache-mb") ? &cache_s
                         : !strcmp(argv[i], "--db")       ? &db
                         : !strcmp(argv[i], "--data")     ? &data
                                                          : NULL;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--finish")) {
            finish = 1;
            continue;
        }
        if (!v || i + 1 >= argc) {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("seed", &e);
        }
        *v = argv[++i];
    }
    long n, seed, year, batch, cache_mb;
    if (!ns) {
        err_set(&e, ERR_INVALID, "--dossiers", "--dossiers N is required (see --help)");
        return cli_fail("seed", &e);
    }
    if (year_s && until_s) {
        err_set(&e, ERR_INVALID, "--until", "--year and --until cannot be given together");
        return cli_fail("seed", &e);
    }
    if (finish && until_s) { /* a window ending today would run on into the future */
        err_set(&e, ERR_INVALID, "--finish",
                "--finish goes with --year: a window given by --until keeps its open dossiers "
                "in progress");
        return cli_fail("seed", &e);
    }
    if (parse_long(ns, 1, MAX_DOSSIERS, "--dossiers", &n, &e) ||
        parse_long(seed_s, 0, 2147483647L, "--seed", &seed, &e) ||
        parse_long(year_s ? year_s : "2025", 2014, 2099, "--year", &year, &e) ||
        parse_long(batch_s, 1, 1000000, "--batch", &batch, &e) ||
        parse_long(cache_s, 2, 65536, "--cache-mb", &cache_mb, &e))
        return cli_fail("seed", &e);
    struct ymd first = {(int)year, 1, 1}, last = {(int)year, 12, 31};
    int64_t end = ymd_to_days(last) * MINUTES_PER_DAY + MINUTES_PER_DAY - 1;
    if (until_s && seed_window(until_s, &first, &last, &end, &e)) return cli_fail("seed", &e);
    year = last.y;
    rng_state = (uint64_t)seed * 0x2545F4914F6CDD1DULL + 1;
    struct calendar *cal = NULL;
    if (calendar_load(cli_data_dir(data), first.y - 1, last.y + 2, NULL, &cal, &e))
        return cli_fail("seed", &e);
    struct store *s;
    int rc = cli_store_open("seed", db, 1, &s);
    if (rc) {
        calendar_free(cal);
        return rc;
    }
    if (store_page_cache(s, cache_mb, &e) ||
        store_calendar_apply(s, &cal, &e)) { /* with the database's decisions */
        store_close(s);
        calendar_free(cal);
        return cli_fail("seed", &e);
    }
    struct world w = {0};
    struct sim m = {.s = s,
                    .cal = cal,
                    .w = &w,
                    .year = (int)year,
                    .first_day = ymd_to_days(first),
                    .last_day = ymd_to_days(last),
                    .batch = batch,
                    .end = end,
                    .finish = finish};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = run(&m, cli_data_dir(data), n, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (!rc)
        printf("seeded %ld dossiers received %02d/%02d/%04d–%02d/%02d/%04d (%ld changes, %ld still "
               "open at the end, %ld without a receiving unit that day) in %.1f s\n",
               m.created, first.d, first.m, first.y, last.d, last.m, last.y, m.changes, m.left_open,
               m.skipped, secs);
    free(m.arrive);
    free(m.fl);
    free(m.free_fl);
    free(m.heap);
    free(w.units);
    free(w.procs);
    free(w.proc_weight);
    store_close(s);
    calendar_free(cal);
    return rc ? cli_fail("seed", &e) : 0;
}

/* ---- accounts of the seeded officers (`cchc demo`) ---- */

struct officer_accounts {
    struct user *users; /* seeded officers without an account, to be added */
    int n, cap;
    const char *pwhash;
};

/* The account role of a seeded officer's step role (the suffix officer_name wrote), as the
 * assignee picker matches them: desk → desk_officer, specialist → specialist, leader →
 * leader, clerk → desk_officer, another agency → specialist. -1 when not a seeded name. */
static int seeded_role(const char *username)
{
    static const struct {
        const char *suffix;
        enum user_role role;
    } map[] = {{"desk", UROLE_DESK_OFFICER},
               {"specialist", UROLE_SPECIALIST},
               {"leader", UROLE_LEADER},
               {"clerk", UROLE_DESK_OFFICER},
               {"other", UROLE_SPECIALIST}};
    const char *dot = strrchr(username, '.');
    if (!dot) return -1;
    size_t n = strcspn(dot + 1, "0123456789");
    size_t digits = strspn(dot + 1 + n, "0123456789");
    if (!n || !digits || dot[1 + n + digits]) return -1;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strlen(map[i].suffix) == n && !strncmp(dot + 1, map[i].suffix, n)) return map[i].role;
    return -1;
}

/* Collects the officers of the counters who have no account (a row per unit and step). */
static int collect_officer(const struct stats_officer *o, void *ctx)
{
    struct officer_accounts *x = ctx;
    if (o->name[0] || !o->officer[0]) return 0; /* has an account already, or no officer */
    int role = seeded_role(o->officer);
    if (role < 0 || username_check(o->officer, "username", NULL)) return 0;
    for (int i = 0; i < x->n; i++)
        if (!strcmp(x->users[i].username, o->officer)) return 0;
    if (x->n == x->cap) {
        int cap = x->cap ? 2 * x->cap : 256;
        struct user *nu = realloc(x->users, (size_t)cap * sizeof *nu);
        if (!nu) return ERR_NOMEM;
        x->users = nu;
        x->cap = cap;
    }
    struct user *u = &x->users[x->n++];
    memset(u, 0, sizeof *u);
    /* The person's name from a hash of the username, so it is the same in every demo. */
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = o->officer; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    int female = (int)(h % 100) < 52;
#define HPICK(a) (a[(h /= 97, h % (sizeof a / sizeof a[0]))])
    const char *fam = HPICK(family);
    const char *mid = female ? HPICK(middle_f) : HPICK(middle_m);
    const char *giv = female ? HPICK(given_f) : HPICK(given_m);
#undef HPICK
    snprintf(u->username, sizeof u->username, "%.47s", o->officer);
    snprintf(u->full_name, sizeof u->full_name, "%s %s %s", fam, mid, giv);
    snprintf(u->unit, sizeof u->unit, "%s", o->unit);
    u->role = (enum user_role)role;
    u->created_at = (int64_t)time(NULL);
    return 0;
}

static int add_officers(struct store *s, void *ctx, struct err *e)
{
    struct officer_accounts *x = ctx;
    for (int i = 0; i < x->n; i++) {
        int rc = store_user_add(s, &x->users[i], x->pwhash, e);
        if (rc) return rc;
    }
    return 0;
}

int seed_officer_accounts(struct store *s, const char *pwhash, int *added, struct err *e)
{
    struct officer_accounts x = {NULL, 0, 0, pwhash};
    struct stats_query q = {0};
    q.from_day = INT64_MIN / 4;
    q.to_day = INT64_MAX / 4;
    int rc = store_stats_officers(s, &q, collect_officer, &x, e);
    if (rc == ERR_NOMEM) err_set(e, ERR_NOMEM, "users", "out of memory");
    if (!rc) rc = store_tx(s, add_officers, &x, e);
    *added = rc ? 0 : x.n;
    free(x.users);
    return rc;
}
