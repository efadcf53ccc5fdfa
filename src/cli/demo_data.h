/* demo_data.h — the demo's current stories beyond the seeded dossiers (demo_data.c). */
#ifndef CCHC_DEMO_DATA_H
#define CCHC_DEMO_DATA_H

#include <stdint.h>

#include "err.h"

/* The demo citizen (the `congdan` account's person) and the phone that opens their dossiers
 * at the citizen lookup. */
#define DEMO_CITIZEN_NAME  "Đặng Văn An"
#define DEMO_CITIZEN_PHONE "0901234567"

struct store;
struct calendar;
/* Three dossiers of the demo citizen at the Mỹ Tho ward desk, dated back from now (local
 * minutes): one returned (to rate), one being processed, one waiting for a supplement; and one
 * dossier of another applicant received at Cao Lãnh's desk for Mỹ Tho to decide. */
int demo_citizen_dossiers(struct store *s, const struct calendar *cal, int64_t now, struct err *e);
/* The commune PAR criteria set of DATA/par and two rounds of every unit under DT: XA-(year-1)
 * self-assessed, appraised and published; XA-year open for self-assessment. now: local
 * minutes. */
int demo_par_rounds(struct store *s, const char *data, int year, int64_t now, struct err *e);
/* A year of feedback and petitions before now for the wards and communes under DT, with
 * reply templates (demo_feedback.c). */
int demo_feedback(struct store *s, const struct calendar *cal, const char *data, int64_t now,
                  struct err *e);
/* The province's and Mỹ Tho ward's CCHC plans of year with tasks split down the unit tree
 * (demo_reform.c). */
int demo_reform_plans(struct store *s, const char *data, int year, int64_t now, struct err *e);
/* Dialogues of two wards with citizens and businesses and their commitments, some done, one
 * overdue (demo_dialogue.c). */
int demo_dialogues(struct store *s, int64_t now, struct err *e);
/* The desk counters (data/demo/counters.csv) and Mỹ Tho's queue of the three hours before the
 * clock (demo_queue.c). */
int demo_queue(struct store *s, const char *data, struct err *e);
/* A SIPAS survey round over the twelve months up to now (local minutes) for the units that
 * returned the most dossiers, with answers, so the survey results show (demo_survey.c). */
int demo_survey(struct store *s, const char *data, int64_t now, struct err *e);
/* Thanh Bình commune's periodic CCHC report of the last finished period, submitted, and the
 * province's consolidated draft of that period (demo_preport.c). */
int demo_preports(struct store *s, const char *data, int64_t now, struct err *e);
/* CCHC initiatives of the current year: one recognised and applied by two wards, one accepted,
 * one proposed, one rejected (demo_initiative.c). */
int demo_initiatives(struct store *s, int year, int64_t now, struct err *e);

#endif
