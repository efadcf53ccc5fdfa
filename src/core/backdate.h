/* backdate.h — actions recorded with a claimed time earlier than the moment of recording
 * (issue 12, finding 1). Every event keeps both: `at`, the time the action is said to have
 * happened, and `recorded_at`, the server's clock when it was written. A claim earlier than
 * the tolerance (by default the start of the day of recording; configurable as a number of
 * working days) is a backdated entry: it needs a privileged role (leader or administrator)
 * and a reason, and is flagged in the audit log, the history and the backdated report. A
 * backdated finish is judged by statistics at its recorded time (dossier_change_apply).
 * docs/dossiers.md describes the rule, docs/statistics.md why statistics judge it so. */
#ifndef CCHC_BACKDATE_H
#define CCHC_BACKDATE_H

#include <stdint.h>

#include "calendar.h"
#include "err.h"

/* The tolerance: a claim at or after 00:00 of the day `working_days` working days before the
 * day of recording is not backdated (0: the day of recording itself, the default). OFF: no
 * limit (replaying history in tests and migrations; never on a live office). */
#define BACKDATE_OFF      (-1)
#define BACKDATE_DAYS_MAX 30
/* Parses "off" or 0..BACKDATE_DAYS_MAX into *days (err names field). */
int backdate_tolerance_parse(const char *s, int *days, const char *field, struct err *e);

/* The earliest instant a claim may name without being backdated, for an action recorded at
 * `recorded` (minutes, date.h) with a tolerance of `days` working days (>= 0): 00:00 of the
 * day reached by stepping back `days` working days from the day of recording (a day outside
 * the calendar counts as a working day from Monday to Friday). */
int64_t backdate_limit(const struct calendar *cal, int64_t recorded, int days);

/* The verdict on one claim. */
enum backdate_verdict {
    BD_ON_TIME = 0,  /* within the tolerance: recorded as claimed, not flagged */
    BD_BACKDATED,    /* beyond the tolerance, by a privileged role with a reason: flagged */
    BD_NEEDS_ROLE,   /* beyond the tolerance, and the actor's role may not backdate */
    BD_NEEDS_REASON, /* beyond the tolerance without a reason */
};
/* Judges the claim `at` of an action recorded at `recorded` under tolerance `days`
 * (BACKDATE_OFF: always BD_ON_TIME): privileged is 1 when the actor's role may backdate,
 * has_reason 1 when the action carries a non-empty reason. For BD_NEEDS_*, fills e (field
 * "at" or "note") with the claim, the limit and the rule; *limit (may be NULL) receives the
 * limit. The role is checked before the reason. */
enum backdate_verdict backdate_judge(const struct calendar *cal, int days, int64_t at,
                                     int64_t recorded, int privileged, int has_reason,
                                     int64_t *limit, struct err *e);

#endif
