/* unit.h — administrative units (đơn vị): a tree of province, departments, communes/wards,
 * agencies and one-stop desks, each valid for a period of days and possibly replaced by a
 * successor (the 2025 reorganisation merged provinces and communes and abolished districts).
 * Pure data and validation; persistence is in src/store. */
#ifndef CCHC_UNIT_H
#define CCHC_UNIT_H

#include <stdint.h>

#include "err.h"

enum unit_kind {
    UNIT_PROVINCE = 0, /* tỉnh / thành phố trực thuộc trung ương */
    UNIT_DEPARTMENT,   /* sở, ban, ngành of a province */
    UNIT_DISTRICT, /* huyện, quận, thị xã, thành phố thuộc tỉnh (abolished 1/7/2025) */
    UNIT_COMMUNE,  /* xã */
    UNIT_WARD,     /* phường */
    UNIT_TOWN,     /* thị trấn (commune level before 1/7/2025) */
    UNIT_SPECIAL_ZONE, /* đặc khu (commune level from 1/7/2025) */
    UNIT_AGENCY,       /* another agency: office, centre, branch (cơ quan, đơn vị) */
    UNIT_DESK,         /* bộ phận một cửa / trung tâm phục vụ hành chính công */
    UNIT_KIND_COUNT
};

#define UNIT_CODE_MAX  32 /* bytes incl. NUL */
#define UNIT_NAME_MAX  200
#define UNIT_IDENT_MAX 16

/* Open bounds of a validity period (day numbers, see date.h). */
#define UNIT_DAY_MIN INT64_MIN
#define UNIT_DAY_MAX INT64_MAX

struct unit {
    char code[UNIT_CODE_MAX]; /* our key: [A-Za-z0-9._-], 1..31 bytes */
    char name[UNIT_NAME_MAX]; /* Vietnamese name, NFC */
    enum unit_kind kind;
    char parent[UNIT_CODE_MAX];      /* "" for a root */
    int64_t valid_from;              /* first day the unit exists, or UNIT_DAY_MIN */
    int64_t valid_to;                /* last day (inclusive), or UNIT_DAY_MAX while it exists */
    char successor[UNIT_CODE_MAX];   /* unit that took it over after valid_to, or "" */
    char ident_code[UNIT_IDENT_MAX]; /* identifier code (Circular 10/2016/TT-BTTTT), or "" */
};

/* "province", "commune" … (the CSV and CLI spelling); NULL for an invalid kind. */
const char *unit_kind_name(enum unit_kind k);
/* Vietnamese label: "Tỉnh/Thành phố", "Xã" … */
const char *unit_kind_label(enum unit_kind k);
/* Parses a kind name; fills e naming field and listing the accepted names. */
int unit_kind_parse(const char *s, enum unit_kind *out, const char *field, struct err *e);

/* Checks a unit code's syntax (field names the column in messages). */
int unit_code_check(const char *s, const char *field, struct err *e);
/* Checks an identifier code: "V1V2V3.Z1Z2.Y1Y2.MX1X2", e.g. "000.00.12.H40" — digits in the
 * first three groups, one capital letter and two digits in the last (verify against the
 * circular's appendix). */
int unit_ident_check(const char *s, const char *field, struct err *e);

/* Checks one record on its own: code syntax, non-empty name, parent/successor not itself,
 * valid_to >= valid_from, a successor only on a unit that ends. Returns 0 or ERR_INVALID
 * with e->field naming the CSV column. */
int unit_check(const struct unit *u, struct err *e);

/* 1 if the unit exists on day d. */
static inline int unit_valid_on(const struct unit *u, int64_t d)
{
    return u->valid_from <= d && d <= u->valid_to;
}

/* Where citizens go and call: the address, phone and opening hours of a unit's one-stop desk
 * (Decree 118/2025/NĐ-CP: the desk publicly posts where and when it receives and returns
 * dossiers — verify the article). Shown on the citizen's lookup page and on the receipt. */
#define UNIT_ADDRESS_MAX 300
#define UNIT_PHONE_MAX   32
#define UNIT_HOURS_MAX   200
struct unit_contact {
    char unit[UNIT_CODE_MAX];
    char address[UNIT_ADDRESS_MAX]; /* required */
    char phone[UNIT_PHONE_MAX];     /* required: digits, spaces, + . - ( ) and "/" between two */
    char hours[UNIT_HOURS_MAX]; /* optional: "Thứ Hai – Thứ Sáu 7 giờ – 17 giờ; sáng thứ Bảy" */
};
/* Checks one contact: unit code syntax, address and phone given, UTF-8, lengths, phone
 * characters (at least 8 digits). */
int unit_contact_check(const struct unit_contact *c, struct err *e);

#endif
