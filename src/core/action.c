/* action.c — the figures a reform task can answer (action.h). */
#include "action.h"

#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "vntext.h"

static const char *const KINDS[AK__COUNT] = {"par", "indicator", "late"};

const char *action_kind_name(enum action_kind k)
{
    return (unsigned)k < AK__COUNT ? KINDS[k] : "";
}

int action_kind_parse(const char *s, enum action_kind *out, struct err *e)
{
    for (int k = 0; k < AK__COUNT; k++)
        if (s && !strcmp(s, KINDS[k])) {
            *out = (enum action_kind)k;
            return 0;
        }
    return err_set(e, ERR_INVALID, "kind", "kind '%.20s': expected par, indicator or late",
                   s ? s : "");
}

static int empty(const char *s)
{
    return !s || !s[0];
}

/* A criterion code: digits and letters separated by single dots ("1", "1.1.2", "TD.2"). */
static int code_ok(const char *s)
{
    if (empty(s) || strlen(s) >= PAR_CODE_MAX || *s == '.') return 0;
    for (const char *p = s; *p; p++) {
        int alnum =
            (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z');
        if (!alnum && !(*p == '.' && p[1] && p[1] != '.')) return 0;
    }
    return 1;
}

int action_figure_check(const struct action_figure *f, struct err *e)
{
    if ((unsigned)f->kind >= AK__COUNT)
        return err_set(e, ERR_INVALID, "kind", "kind: expected par, indicator or late");
    if (empty(f->unit) || strlen(f->unit) >= UNIT_CODE_MAX)
        return err_set(e, ERR_INVALID, "unit", "unit: must be 1 to %d bytes long",
                       UNIT_CODE_MAX - 1);
    if (f->value && strlen(f->value) >= ACTION_VALUE_MAX)
        return err_set(e, ERR_INVALID, "value", "value: longer than %d bytes",
                       ACTION_VALUE_MAX - 1);
    switch (f->kind) {
    case AK_PAR:
        if (empty(f->round) || strlen(f->round) >= PAR_CODE_MAX)
            return err_set(e, ERR_INVALID, "round",
                           "round: a PAR criterion's task names its round (1 to %d bytes)",
                           PAR_CODE_MAX - 1);
        if (!code_ok(f->ref))
            return err_set(e, ERR_INVALID, "ref",
                           "ref '%.40s': a criterion code such as 1.1.2 is expected",
                           f->ref ? f->ref : "");
        return 0;
    case AK_INDICATOR: {
        int n = 0, used = 0;
        if (!empty(f->round))
            return err_set(e, ERR_INVALID, "round", "round: only a PAR criterion has a round");
        if (empty(f->ref) || sscanf(f->ref, "group_%d%n", &n, &used) != 1 ||
            (size_t)used != strlen(f->ref) || n < 1 || n > 9)
            return err_set(e, ERR_INVALID, "ref",
                           "ref '%.40s': an indicator group such as group_2 is expected",
                           f->ref ? f->ref : "");
        return 0;
    }
    case AK_LATE:
        if (!empty(f->round))
            return err_set(e, ERR_INVALID, "round", "round: only a PAR criterion has a round");
        if (!empty(f->ref))
            return err_set(e, ERR_INVALID, "ref", "ref: late dossiers take no reference");
        return 0;
    default:
        return 0;
    }
}

int action_default_area(const struct action_figure *f, const struct par_set *set, char *out,
                        size_t n)
{
    if (f->kind == AK_PAR && f->ref) {
        size_t len = strcspn(f->ref, ".");
        for (int i = 0; i < set->nareas; i++) {
            const char *code = set->node[set->areas[i]].code;
            if (strlen(code) == len && !strncmp(code, f->ref, len)) {
                snprintf(out, n, "%s", code);
                return 0;
            }
        }
        return ERR_NOT_FOUND;
    }
    for (int i = 0; i < set->nareas; i++) {
        const struct par_node *a = &set->node[set->areas[i]];
        char folded[512];
        if (a->title && !vntext_fold(a->title, folded, sizeof folded) &&
            strstr(folded, "cai cach thu tuc hanh chinh")) {
            snprintf(out, n, "%s", a->code);
            return 0;
        }
    }
    return ERR_NOT_FOUND;
}
