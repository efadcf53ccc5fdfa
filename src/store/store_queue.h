/* store_queue.h — the desk queue and appointments in the store (migration 017), part of
 * store.h's contract (errors, transactions, iteration as defined there). The rules are
 * src/core/queue.c's; both backends run the same SQL (src/store/queue_store.c). Times are Unix
 * seconds; days are day numbers (date.h) of the unit's local calendar. */
#ifndef CCHC_STORE_QUEUE_H
#define CCHC_STORE_QUEUE_H

#include <stdint.h>

#include "queue.h"
#include "store.h"

/* Creates or replaces counter c (its unit must exist; every field must be a field of the
 * procedures catalogue, else ERR_INVALID naming it). */
int store_queue_counter_put(struct store *s, const struct queue_counter *c, struct err *e);
typedef int (*queue_counter_fn)(const struct queue_counter *c, void *ctx);
/* The counters of unit, by number. */
int store_queue_counters(struct store *s, const char *unit, queue_counter_fn fn, void *ctx,
                         struct err *e);

struct queue_ticket {
    int64_t id;
    char unit[64];
    int64_t day;
    int number, counter_no, priority, calls;
    char field[QUEUE_FIELD_LEN];
    enum queue_channel channel;
    enum queue_status status;
    int64_t taken_at, called_at, last_call_at, done_at;
    char officer[64];
    int ahead;      /* take: tickets waiting before it at its counter */
    int expected_s; /* take: expected wait in seconds (ahead × the counter's service time) */
    char counter_name[QUEUE_NAME_LEN];
};

struct queue_take {
    const char *unit;
    int counter_no;    /* > 0: this counter; 0: the field's least busy counter */
    const char *field; /* with counter_no 0 */
    enum queue_channel channel;
    int priority;
    int64_t day, at;       /* day number and Unix seconds */
    const char *requester; /* keyed hash of the client address, or NULL (officers) */
    const char *contact;   /* keyed hash of the phone given, or NULL */
    int limit;             /* > 0: numbers allowed per requester and per contact a day */
};
/* Takes the next number of the day at the counter (its sequence moved in the same
 * transaction: unique and gap-free under concurrent takes, on both backends). ERR_INVALID: no
 * such counter, a counter that does not serve the field or no active counter serves it.
 * ERR_RANGE with field "limit" when the requester or contact already took `limit` numbers
 * that day; ERR_RANGE with field "number" when the counter's QUEUE_SEQ_MAX is used up. */
int store_queue_take(struct store *s, const struct queue_take *in, struct queue_ticket *out,
                     struct err *e);

/* One ticket by unit, day and number (ERR_NOT_FOUND naming the number). */
int store_queue_ticket(struct store *s, const char *unit, int64_t day, int number,
                       struct queue_ticket *out, struct err *e);

struct queue_act {
    const char *unit;
    int64_t day, at;
    int number; /* the ticket (not for QA_CALL with number 0) */
    enum queue_action action;
    int counter_no; /* call: the counter calling; transfer: the counter it goes to */
    const char *officer;
};
/* One action (core's table). QA_CALL with number 0 calls the counter's next ticket
 * (appointments first, then by time taken), after marking the counter's called ticket as
 * served; ERR_NOT_FOUND with field "queue" when no one waits. Transfer: to an active counter of
 * the unit, not its own. */
int store_queue_act(struct store *s, const struct queue_act *a, struct queue_ticket *out,
                    struct err *e);

typedef int (*queue_ticket_fn)(const struct queue_ticket *t, void *ctx);
/* The tickets of unit on day at counter_no (0: all), in the order they are called:
 * status filter st (-1: all). */
int store_queue_tickets(struct store *s, const char *unit, int64_t day, int counter_no, int st,
                        queue_ticket_fn fn, void *ctx, struct err *e);
/* The calls of unit on day, last called first, at most limit (the display). */
int store_queue_calls(struct store *s, const char *unit, int64_t day, int limit, queue_ticket_fn fn,
                      void *ctx, struct err *e);

/* Waiting-time figures of unit (counter_no 0: all counters) over days [from, to]. */
int store_queue_stats(struct store *s, const char *unit, int counter_no, int64_t from, int64_t to,
                      struct queue_stats *out, struct err *e);
/* The average service time of a counter on day in seconds (QUEUE_DEFAULT_SVC with none). */
int store_queue_service_s(struct store *s, const char *unit, int64_t day, int counter_no, int *out,
                          struct err *e);

/* Appointments. */
struct queue_appt {
    int64_t id;
    char code[16];
    char unit[64];
    int counter_no;
    int64_t day;
    int slot; /* minute of the day */
    char field[QUEUE_FIELD_LEN];
    char name[QUEUE_NAME_LEN];
    char phone[QUEUE_CONTACT_LEN];
    char status[16]; /* booked, cancelled, checked_in */
    int number;      /* once checked in */
};
/* Books a slot: a is filled (code random). The counter must serve the field; the slot's
 * bookings must stay within capacity (ERR_CONFLICT with field "slot" when full). The caller
 * has checked the day (working, not past) and the slot (queue_slot_valid). */
int store_queue_book(struct store *s, struct queue_appt *a, int capacity, int64_t at,
                     struct err *e);
/* The booker cancels by code (and phone, as the second factor); ERR_NOT_FOUND when they do not
 * match, ERR_CONFLICT when not booked any more. */
int store_queue_cancel(struct store *s, const char *code, const char *phone, struct err *e);
/* Checks an appointment of unit in on its day: a queue number with priority at its counter
 * (ERR_NOT_FOUND for another unit's). */
int store_queue_checkin(struct store *s, const char *unit, const char *code, const char *phone,
                        int64_t day, int64_t at, struct queue_ticket *out, struct err *e);
/* Bookings in a slot (status booked or checked_in). */
int store_queue_slot_count(struct store *s, const char *unit, int counter_no, int64_t day, int slot,
                           int *out, struct err *e);

#endif
