/* unit.c — names, labels and record checks for administrative units (see unit.h).
 * Kinds follow the Law on Organisation of Local Government as amended in 2025 (two levels:
 * province and commune — xã, phường, đặc khu) plus the pre-2025 levels kept for history. */
#include "unit.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vntext.h"

static const struct {
    const char *name, *label;
} kinds[UNIT_KIND_COUNT] = {
    [UNIT_PROVINCE] = {"province", "Tỉnh/Thành phố"},
    [UNIT_DEPARTMENT] = {"department", "Sở, ban, ngành"},
    [UNIT_DISTRICT] = {"district", "Huyện/Quận/Thị xã/Thành phố thuộc tỉnh"},
    [UNIT_COMMUNE] = {"commune", "Xã"},
    [UNIT_WARD] = {"ward", "Phường"},
    [UNIT_TOWN] = {"town", "Thị trấn"},
    [UNIT_SPECIAL_ZONE] = {"special_zone", "Đặc khu"},
    [UNIT_AGENCY] = {"agency", "Cơ quan, đơn vị"},
    [UNIT_DESK] = {"desk", "Bộ phận Một cửa"},
};

const char *unit_kind_name(enum unit_kind k)
{
    return (unsigned)k < UNIT_KIND_COUNT ? kinds[k].name : NULL;
}

const char *unit_kind_label(enum unit_kind k)
{
    return (unsigned)k < UNIT_KIND_COUNT ? kinds[k].label : NULL;
}

int unit_kind_parse(const char *s, enum unit_kind *out, const char *field, struct err *e)
{
    for (int k = 0; k < UNIT_KIND_COUNT; k++)
        if (s && !strcmp(s, kinds[k].name)) {
            *out = (enum unit_kind)k;
            return 0;
        }
    return err_set(e, ERR_INVALID, field,
                   "'%s': not a unit kind (province, department, district, commune, ward, town, "
                   "special_zone, agency, desk)",
                   s ? s : "");
}

int unit_code_check(const char *s, const char *field, struct err *e)
{
    size_t n = strlen(s);
    if (n == 0) return err_set(e, ERR_INVALID, field, "empty: a unit code is required");
    if (n >= UNIT_CODE_MAX)
        return err_set(e, ERR_INVALID, field, "'%s': a unit code has at most %d characters", s,
                       UNIT_CODE_MAX - 1);
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return err_set(e, ERR_INVALID, field,
                           "'%s': a unit code uses only letters A-Z, digits, '.', '_' and '-'", s);
    }
    return 0;
}

static int all_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

int unit_ident_check(const char *s, const char *field, struct err *e)
{
    /* V1V2V3.Z1Z2.Y1Y2.MX1X2: levels 4, 3, 2 in digits; level 1 a letter and two digits. */
    if (strlen(s) == 13 && all_digits(s, 3) && s[3] == '.' && all_digits(s + 4, 2) && s[6] == '.' &&
        all_digits(s + 7, 2) && s[9] == '.' && s[10] >= 'A' && s[10] <= 'Z' &&
        all_digits(s + 11, 2))
        return 0;
    return err_set(e, ERR_INVALID, field,
                   "'%s': an identifier code has the form V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. "
                   "000.00.12.H40 (Circular 10/2016/TT-BTTTT)",
                   s);
}

int unit_check(const struct unit *u, struct err *e)
{
    int rc;
    if ((rc = unit_code_check(u->code, "code", e))) return rc;
    if (!u->name[0]) return err_set(e, ERR_INVALID, "name", "empty: a unit needs a name");
    if (vntext_control_at(u->name, 1) >= 0)
        return err_set(e, ERR_INVALID, "name", "holds a control character");
    if (!unit_kind_name(u->kind)) return err_set(e, ERR_INVALID, "kind", "not a unit kind");
    if (u->parent[0] && (rc = unit_code_check(u->parent, "parent", e))) return rc;
    if (!strcmp(u->parent, u->code))
        return err_set(e, ERR_INVALID, "parent", "'%s': a unit cannot be its own parent",
                       u->parent);
    if (u->successor[0] && (rc = unit_code_check(u->successor, "successor", e))) return rc;
    if (!strcmp(u->successor, u->code))
        return err_set(e, ERR_INVALID, "successor", "'%s': a unit cannot succeed itself",
                       u->successor);
    if (u->ident_code[0] && (rc = unit_ident_check(u->ident_code, "ident_code", e))) return rc;
    if (u->valid_to < u->valid_from)
        return err_set(e, ERR_INVALID, "valid_to", "ends before it starts (valid_to < valid_from)");
    if (u->successor[0] && u->valid_to == UNIT_DAY_MAX)
        return err_set(e, ERR_INVALID, "successor",
                       "'%s': a successor needs valid_to (the last day of the old unit)",
                       u->successor);
    return 0;
}

int unit_contact_check(const struct unit_contact *c, struct err *e)
{
    int rc = unit_code_check(c->unit, "unit", e);
    if (rc) return rc;
    static const struct {
        const char *field;
        size_t off, max;
        int required;
    } texts[] = {
        {"address", offsetof(struct unit_contact, address), UNIT_ADDRESS_MAX, 1},
        {"phone", offsetof(struct unit_contact, phone), UNIT_PHONE_MAX, 1},
        {"hours", offsetof(struct unit_contact, hours), UNIT_HOURS_MAX, 0},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *t = (const char *)c + texts[i].off;
        if (texts[i].required && !t[0])
            return err_set(e, ERR_INVALID, texts[i].field, "must be given");
        if (strlen(t) >= texts[i].max)
            return err_set(e, ERR_INVALID, texts[i].field, "longer than %zu bytes",
                           texts[i].max - 1);
        if (!vntext_valid_utf8(t))
            return err_set(e, ERR_INVALID, texts[i].field, "not valid UTF-8");
    }
    int digits = 0;
    for (const char *p = c->phone; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" +.-()/", *p))
            return err_set(e, ERR_INVALID, "phone",
                           "'%s': only digits, spaces and + . - ( ) / are allowed", c->phone);
    }
    if (digits < 8) return err_set(e, ERR_INVALID, "phone", "'%s': at least 8 digits", c->phone);
    return 0;
}
