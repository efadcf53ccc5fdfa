/* catalog.c — the publicity rules of the procedures catalogue by effective date and the
 * evaluation of one procedure against them (see catalog.h). The rules' legal sources are in
 * data/catalog/publicity.tsv, not here. */
#include "catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "tsv.h"

static const char *const rule_names[PUB_RULE_COUNT] = {
    [PUB_PUBLISH_LEAD] = "publish_lead",
    [PUB_PORTAL_WITHIN] = "portal_within",
    [PUB_DESK_WITHIN] = "desk_within",
};

const char *pub_rule_name(enum pub_rule r)
{
    return (unsigned)r < PUB_RULE_COUNT ? rule_names[r] : NULL;
}

static int parse_bound(const char *s, int64_t open, int64_t *out, const char *path, int line,
                       struct err *e)
{
    if (!*s) {
        *out = open;
        return 0;
    }
    struct ymd d;
    if (ymd_parse(s, &d, "", NULL))
        return err_set(e, ERR_INVALID, "publicity", "%s:%d: '%.20s': not a date YYYY-MM-DD", path,
                       line, s);
    *out = ymd_to_days(d);
    return 0;
}

static int parse_row(char **fld, struct pub_rule_row *r, const char *path, int line, struct err *e)
{
    int k = -1, rc;
    for (int i = 0; i < PUB_RULE_COUNT; i++)
        if (!strcmp(fld[0], rule_names[i])) k = i;
    if (k < 0)
        return err_set(e, ERR_INVALID, "publicity",
                       "%s:%d: rule '%.30s': expected publish_lead, portal_within or desk_within",
                       path, line, fld[0]);
    r->rule = (enum pub_rule)k;
    if ((rc = parse_bound(fld[1], INT64_MIN, &r->from_day, path, line, e)) ||
        (rc = parse_bound(fld[2], INT64_MAX, &r->to_day, path, line, e)))
        return rc;
    if (r->from_day > r->to_day)
        return err_set(e, ERR_INVALID, "publicity", "%s:%d: valid_to is before valid_from", path,
                       line);
    char *end;
    long d = strtol(fld[3], &end, 10);
    if (!fld[3][0] || *end || d < 0 || d > 365)
        return err_set(e, ERR_INVALID, "publicity",
                       "%s:%d: days '%.20s': expected a whole number of working days 0..365", path,
                       line, fld[3]);
    r->days = (int)d;
    if (strlen(fld[4]) >= sizeof r->source || !fld[4][0])
        return err_set(e, ERR_INVALID, "publicity", "%s:%d: source: empty or too long", path, line);
    snprintf(r->source, sizeof r->source, "%s", fld[4]);
    if (strcmp(fld[5], "yes") && strcmp(fld[5], "no"))
        return err_set(e, ERR_INVALID, "publicity", "%s:%d: verify '%.10s': expected yes or no",
                       path, line, fld[5]);
    r->verify = !strcmp(fld[5], "yes");
    return 0;
}

int publicity_rules_load(const char *data_dir, struct publicity_rules *out, struct err *e)
{
    char path[1024];
    size_t l = strlen(data_dir);
    if (l > 4 && !strcmp(data_dir + l - 4, ".tsv"))
        snprintf(path, sizeof path, "%s", data_dir);
    else
        snprintf(path, sizeof path, "%s/catalog/publicity.tsv", data_dir);
    FILE *fp = fopen(path, "r");
    if (!fp) return err_set(e, ERR_IO, "publicity", "%s: cannot open: %s", path, strerror(errno));
    memset(out, 0, sizeof *out);
    char line[2048];
    int lineno = 0, rc = 0, header = 0;
    while (!rc && fgets(line, sizeof line, fp)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (!header++) continue; /* the column names */
        char *fld[7];
        int nf = tsv_split(line, fld, 7);
        if (nf != 6) {
            rc = err_set(e, ERR_INVALID, "publicity",
                         "%s:%d: expected 6 tab-separated fields (rule, valid_from, valid_to, "
                         "days, source, verify), found %d",
                         path, lineno, nf);
            break;
        }
        if (out->n == PUB_MAX) {
            rc = err_set(e, ERR_RANGE, "publicity", "%s:%d: too many lines", path, lineno);
            break;
        }
        struct pub_rule_row *r = &out->rows[out->n];
        if ((rc = parse_row(fld, r, path, lineno, e))) break;
        for (int i = 0; i < out->n; i++)
            if (out->rows[i].rule == r->rule && out->rows[i].from_day <= r->to_day &&
                r->from_day <= out->rows[i].to_day) {
                rc = err_set(e, ERR_INVALID, "publicity",
                             "%s:%d: the period of this %s rule overlaps another one", path, lineno,
                             rule_names[r->rule]);
                break;
            }
        if (!rc) out->n++;
    }
    fclose(fp);
    return rc;
}

const struct pub_rule_row *publicity_rule(const struct publicity_rules *r, enum pub_rule rule,
                                          int64_t day)
{
    for (int i = 0; i < r->n; i++)
        if (r->rows[i].rule == rule && r->rows[i].from_day <= day && day <= r->rows[i].to_day)
            return &r->rows[i];
    return NULL;
}

static int64_t day_of(const char *s)
{
    struct ymd d;
    if (!s[0] || ymd_parse(s, &d, "", NULL)) return -1;
    return ymd_to_days(d);
}

/* Working days from a to b (b after a): 1 if within `days`, 0 if not, -1 if the calendar does
 * not cover them. */
static int within(const struct calendar *cal, int64_t a, int64_t b, int days)
{
    int64_t n;
    if (b <= a) return 1;
    if (calendar_working_days_between(cal, a, b, &n, NULL)) return -1;
    return n <= days;
}

static void add_missing(struct publicity_eval *ev, const char *part)
{
    size_t l = strlen(ev->missing);
    snprintf(ev->missing + l, sizeof ev->missing - l, "%s%s", l ? ", " : "", part);
}

void procedure_publicity(const struct procedure *p, const struct publicity_rules *rules,
                         const struct calendar *cal, struct publicity_eval *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->decision_day = day_of(p->decision_date);
    ev->portal_day = day_of(p->posted_portal);
    ev->desk_day = day_of(p->posted_desk);
    int64_t eff = day_of(p->basis_effective), dd = ev->decision_day;
    ev->published_on_time = ev->portal_on_time = ev->desk_on_time = -1;
    const struct pub_rule_row *r;
    if (dd >= 0 && eff >= 0 && (r = publicity_rule(rules, PUB_PUBLISH_LEAD, dd))) {
        /* "at least N working days before the day it takes effect": the working days after
         * the decision's day up to the effective day */
        int64_t n;
        if (dd >= eff)
            ev->published_on_time = 0;
        else if (!calendar_working_days_between(cal, dd, eff, &n, NULL))
            ev->published_on_time = n >= r->days;
    }
    if (dd >= 0 && (r = publicity_rule(rules, PUB_PORTAL_WITHIN, dd)))
        ev->portal_on_time = ev->portal_day < 0 ? -1 : within(cal, dd, ev->portal_day, r->days);
    if (dd >= 0 && (r = publicity_rule(rules, PUB_DESK_WITHIN, dd)))
        ev->desk_on_time = ev->desk_day < 0 ? -1 : within(cal, dd, ev->desk_day, r->days);
    /* The parts of a published procedure (Decree 63/2010/NĐ-CP Art. 8(2), verify) that the
     * catalogue models: name, level and field, steps, documents, time, fee, legal basis. */
    if (!p->name[0]) add_missing(ev, "tên");
    if (!p->field[0]) add_missing(ev, "lĩnh vực");
    if (p->nsteps == 0) add_missing(ev, "trình tự thực hiện");
    if (p->ndocs == 0) add_missing(ev, "thành phần hồ sơ");
    if (p->fee_vnd < 0 && !p->fee_note[0]) add_missing(ev, "phí, lệ phí");
    if (!p->legal_basis[0]) add_missing(ev, "căn cứ pháp lý");
    ev->complete = ev->missing[0] == '\0';
}

enum proc_level unit_kind_catalog_level(enum unit_kind k)
{
    switch (k) {
    case UNIT_COMMUNE:
    case UNIT_WARD:
    case UNIT_TOWN:
    case UNIT_SPECIAL_ZONE:
        return LEVEL_COMMUNE;
    case UNIT_DISTRICT:
        return LEVEL_DISTRICT;
    default:
        return LEVEL_PROVINCE;
    }
}

void publicity_count(struct publicity_counts *c, const struct publicity_eval *ev, int64_t from,
                     int64_t to)
{
    int64_t dd = ev->decision_day;
    if (dd >= from && dd <= to) {
        if (ev->published_on_time >= 0) {
            c->published++;
            c->published_on_time += ev->published_on_time;
        }
        /* a procedure not on the database by the period's end is late for 1.2 */
        if (ev->portal_on_time >= 0 || ev->portal_day < 0 || ev->portal_day > to) {
            c->to_update++;
            c->updated_on_time += ev->portal_on_time == 1 && ev->portal_day <= to;
        }
    }
    if (ev->portal_day >= 0 && ev->portal_day <= to) {
        c->on_portal++;
        c->complete += ev->complete;
    }
}

int receive_check(const struct procedure *p, const char *recv, const char *recv_prov,
                  const char *decider, const char *decider_prov, struct err *e)
{
    if (!decider || !*decider || !strcmp(decider, recv)) return 0;
    switch (p->receive) {
    case RECV_NATION:
        return 0;
    case RECV_PROVINCE:
        if (recv_prov[0] && !strcmp(recv_prov, decider_prov)) return 0;
        return err_set(e, ERR_INVALID, "decider",
                       "'%s': procedure %s is received regardless of residence within the "
                       "province only (%s), and %s is in %s, %s in %s",
                       decider, p->code, p->receive_basis, recv, recv_prov[0] ? recv_prov : "—",
                       decider, decider_prov[0] ? decider_prov : "—");
    default:
        return err_set(e, ERR_INVALID, "decider",
                       "'%s': procedure %s is received only at the desk of the unit that "
                       "decides it; another desk (%s) may receive it only when the province "
                       "lists it as received regardless of residence (Decree 118/2025/NĐ-CP)",
                       decider, p->code, recv);
    }
}
