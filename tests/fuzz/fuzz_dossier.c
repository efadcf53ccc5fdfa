/* fuzz_dossier.c — libFuzzer target: the dossier state machine (src/core/dossier.c) driven by
 * arbitrary action sequences. The input picks a procedure (legal time, steps), then in 4-byte
 * records an action, the minutes since the previous one, a supplement rule and an apology
 * delay. Checked after every accepted action: the table allowed it, time never goes back, a
 * closed dossier stays closed, the step stays within the template, and a running clock has a
 * due instant after reception. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "dossier.h"
#include "procedure.h"

static struct calendar *cal;
static struct procedure proc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (calendar_load(dir && *dir ? dir : CCHC_DATA_DIR, 2023, 2026, NULL, &cal, &e)) {
        fprintf(stderr, "calendar_load: %s\n", e.msg);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3) return 0;
    memset(&proc, 0, sizeof proc);
    proc.time_unit = (enum time_unit)(data[0] % 3);
    proc.time_amount = data[1] % 40 + (proc.time_unit != TIME_WORKING_DAYS);
    int nsteps = data[2] % 5, left = 100;
    for (int k = 0; k < nsteps; k++) { /* percent shares adding up to 100 */
        proc.steps[k].share_unit = SHARE_PERCENT;
        proc.steps[k].share = k == nsteps - 1 ? left : left / 2;
        left -= proc.steps[k].share;
        snprintf(proc.steps[k].name, sizeof proc.steps[k].name, "b%d", k + 1);
    }
    proc.nsteps = nsteps;
    struct dossier_state cur, next;
    dossier_init(&cur);
    int64_t at = 28000000; /* 2023-03-28, inside the loaded calendar years */
    for (size_t i = 3; i + 4 <= size; i += 4) {
        enum dossier_action a = (enum dossier_action)(data[i] % DA__COUNT);
        at += (int64_t)data[i + 1] * (data[i + 1] > 200 ? 1440 : 7);
        struct action_args args = {.at = at,
                                   .cal = cal,
                                   .proc = &proc,
                                   .supplement_rule = (enum supplement_rule)(data[i + 2] & 1),
                                   .new_due_at = cur.due_at + (int64_t)data[i + 3] * 60};
        struct err e = {0};
        if (dossier_apply(&cur, a, &args, &next, &e)) continue;
        if (!dossier_transition_legal(cur.status, a)) abort();
        if (dossier_status_closed(cur.status)) abort();
        if (next.last_at < cur.last_at) abort();
        if (next.n_steps && (next.step < 0 || next.step > next.n_steps)) abort();
        if (next.received_at && next.due_at && next.due_at < next.received_at) abort();
        cur = next;
    }
    return 0;
}
