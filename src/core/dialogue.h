/* dialogue.h — periodic dialogues (đối thoại) of a unit with citizens and businesses, and the
 * commitments made there: each answer or promise gets an owner and a due day and is followed
 * until closed. Pure checks and the judgement of a commitment on a day. The duty to hold
 * dialogues: Decree 61/2018/NĐ-CP, now Decree 118/2025/NĐ-CP, and the provinces' CCHC plans
 * (verify the article); cchc only records and follows them. */
#ifndef CCHC_DIALOGUE_H
#define CCHC_DIALOGUE_H

#include <stdint.h>

#include "err.h"

#define DIALOGUE_TITLE_MAX 200
#define DIALOGUE_TEXT_MAX  2000
#define DIALOGUE_OWNER_MAX 64
#define DIALOGUE_UNIT_MAX  32

struct dialogue {
    int64_t id;
    char unit[DIALOGUE_UNIT_MAX];
    int64_t day; /* day number (date.h) it is held */
    char title[DIALOGUE_TITLE_MAX];
    char participants[DIALOGUE_TEXT_MAX]; /* who took part (groups, not personal data) */
    char questions[DIALOGUE_TEXT_MAX];    /* the questions raised */
};

struct commitment {
    int64_t id, dialogue_id;
    char text[DIALOGUE_TEXT_MAX];   /* the answer or promise */
    char owner[DIALOGUE_OWNER_MAX]; /* who must carry it out */
    int64_t due_day;
    int64_t closed_day;             /* 0 while open */
    char result[DIALOGUE_TEXT_MAX]; /* what was done, once closed */
};

enum commitment_outcome {
    CO_OPEN = 0, /* open, due day not passed */
    CO_OVERDUE,  /* open after its due day */
    CO_ON_TIME,  /* closed on or before its due day */
    CO_LATE,     /* closed after it */
};
const char *commitment_outcome_name(enum commitment_outcome o);
/* The outcome of c on day today. */
enum commitment_outcome commitment_outcome_at(const struct commitment *c, int64_t today);

/* Unit, title present; texts valid UTF-8 without control characters (line breaks allowed in
 * participants and questions) and within their sizes. */
int dialogue_check(const struct dialogue *d, struct err *e);
/* Text and owner present; due day not before the dialogue's day. */
int commitment_check(const struct commitment *c, int64_t dialogue_day, struct err *e);
/* Closing: not already closed, on or after the dialogue's day, with a result. */
int commitment_close_check(const struct commitment *c, int64_t dialogue_day, int64_t day,
                           const char *result, struct err *e);

#endif
