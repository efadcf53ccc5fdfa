/* queue.h — the one-stop desk's queue (bốc số) and appointments, the pure part: counters and
 * the fields (lĩnh vực) they serve, ticket numbers, the ticket state machine (a transition
 * table), the sentence the hall's display speaks, the waiting-time statistics, and the
 * appointment sessions of a unit (slot length, session hours, Saturday mornings) as data.
 * No I/O except queue_sessions_load, which reads a data file. docs/queue.md. */
#ifndef CCHC_QUEUE_H
#define CCHC_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define QUEUE_COUNTER_MAX 99  /* counters 1..99 per unit */
#define QUEUE_SEQ_MAX     999 /* numbers a counter gives per day */
#define QUEUE_FIELDS_MAX  8   /* fields a counter serves */
#define QUEUE_FIELD_LEN   160 /* bytes of a field name, NUL included */
#define QUEUE_NAME_LEN    128
#define QUEUE_CONTACT_LEN 24
#define QUEUE_PUBLIC_DAY  5   /* numbers one phone or one address may take a day (public) */
#define QUEUE_DEFAULT_SVC 300 /* seconds of service assumed when a counter has none today */

struct queue_counter {
    char unit[64];
    int no;                    /* 1..QUEUE_COUNTER_MAX: "quầy số N" */
    char name[QUEUE_NAME_LEN]; /* e.g. "Quầy Hộ tịch – Chứng thực" */
    int n_fields;
    char fields[QUEUE_FIELDS_MAX][QUEUE_FIELD_LEN];
    int active;
};
/* Checks a counter's values (not whether the unit or fields exist: the store does). */
int queue_counter_check(const struct queue_counter *c, struct err *e);
/* Splits "Hộ tịch|Chứng thực" (separators '|' or ';', blanks trimmed, NFC) into c->fields. */
int queue_fields_parse(const char *text, struct queue_counter *c, struct err *e);
/* Joins c->fields with '|' into buf. */
void queue_fields_join(const struct queue_counter *c, char *buf, size_t n);
/* 1 if the counter serves field. */
int queue_counter_serves(const struct queue_counter *c, const char *field);

/* The number shown on a ticket: counter * 1000 + the counter's sequence of the day (1023 is
 * counter 1's 23rd number), so a number names its counter and numbers never collide. */
static inline int queue_number(int counter_no, int seq)
{
    return counter_no * 1000 + seq;
}

enum queue_status { QS_WAITING = 0, QS_CALLED, QS_SERVED, QS_NO_SHOW, QS_COUNT };
enum queue_action { QA_CALL = 0, QA_RECALL, QA_SERVE, QA_NO_SHOW, QA_TRANSFER, QA_COUNT };
enum queue_channel { QC_DESK = 0, QC_PHONE, QC_BOOKING, QC_COUNT };

const char *queue_status_name(enum queue_status s);
const char *queue_action_name(enum queue_action a);
const char *queue_channel_name(enum queue_channel c);
int queue_status_parse(const char *s, enum queue_status *out);
int queue_action_parse(const char *s, enum queue_action *out);
/* The state a ticket in `from` goes to by a; ERR_CONFLICT naming both when not allowed. */
int queue_transition(enum queue_status from, enum queue_action a, enum queue_status *to,
                     struct err *e);

/* The Vietnamese sentence the display speaks: "Mời số 1 0 2 3 đến quầy số 2" (digits one by
 * one, as the halls call them, so a speech engine cannot read "một nghìn không trăm…"). */
void queue_speech_vi(int number, int counter_no, char *buf, size_t n);

/* One ticket as statistics see it (seconds since the epoch; 0 = not yet). */
struct queue_sample {
    int64_t day; /* the ticket's day number */
    int64_t taken, called, done;
    enum queue_status status;
};
struct queue_stats {
    int taken, served, no_show, waiting;
    int called;             /* tickets called at least once */
    double avg_wait;        /* seconds taken→first call, over called tickets; -1 none */
    double p90_wait;        /* 90th percentile (nearest rank) of the same; -1 none */
    double avg_service;     /* seconds call→served, over served tickets; -1 none */
    double served_per_hour; /* served / hours open (first call → last finish, per day); -1 */
};
/* Computes the figures of n samples, sorted by day (the hours open are counted per day).
 * Allocates a scratch array (ERR_NOMEM). */
int queue_stats_compute(const struct queue_sample *s, size_t n, struct queue_stats *out,
                        struct err *e);

/* Appointment sessions of a unit: the slot length and the morning/afternoon hours of each
 * weekday, read from data/queue/sessions.tsv (unit "*" = the default for all units). */
struct queue_session {
    int start, end; /* minutes of the day, [start, end) */
};
struct queue_sessions {
    int slot_min; /* minutes per slot */
    int capacity; /* appointments per slot and counter */
    int n[7];     /* sessions per weekday (0 = Monday … 6 = Sunday) */
    struct queue_session s[7][2];
};
/* Loads the sessions of unit from path (its own row, else "*"'s). */
int queue_sessions_load(const char *path, const char *unit, struct queue_sessions *out,
                        struct err *e);
/* 1 if minute m of a day with weekday wd (0 = Monday) starts a slot. */
int queue_slot_valid(const struct queue_sessions *q, int wd, int m);

#endif
