/* procedure.h — the administrative procedures catalogue (thủ tục hành chính): national code,
 * field, level, legal processing time, fee, online mode, documents and the process template
 * (ordered steps with a role, an optional unit kind and a share of the time).
 * Pure data and validation; persistence is in src/store. */
#ifndef CCHC_PROCEDURE_H
#define CCHC_PROCEDURE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "unit.h"

enum proc_level {
    LEVEL_CENTRAL = 0, /* cấp trung ương */
    LEVEL_PROVINCE,    /* cấp tỉnh */
    LEVEL_DISTRICT,    /* cấp huyện (until 30/6/2025) */
    LEVEL_COMMUNE,     /* cấp xã */
    LEVEL_COUNT
};

/* The unit in which the law states the processing time. */
enum time_unit {
    TIME_WORKING_DAYS = 0, /* "wd": ngày làm việc */
    TIME_WORKING_HOURS,    /* "wh": giờ làm việc */
    TIME_CALENDAR_DAYS,    /* "cd": ngày (calendar days, where the law says "ngày" plainly) */
    TIME_UNIT_COUNT
};

/* Online provision (Decree 42/2022/NĐ-CP: dịch vụ công trực tuyến toàn trình / một phần). */
enum online_mode {
    ONLINE_NONE = 0, /* not provided online */
    ONLINE_PARTIAL,  /* một phần: some steps need the applicant in person */
    ONLINE_FULL,     /* toàn trình: every step online */
    ONLINE_COUNT
};

/* Who performs a step of the process template. */
enum step_role {
    ROLE_DESK = 0,   /* công chức Bộ phận Một cửa: receives, checks, returns */
    ROLE_SPECIALIST, /* công chức/chuyên viên chuyên môn: examines, drafts */
    ROLE_LEADER,     /* lãnh đạo: approves, signs */
    ROLE_CLERK,      /* văn thư: registers, stamps, issues */
    ROLE_OTHER,      /* another agency (tax, police, land registry …) */
    ROLE_COUNT
};

enum share_unit {
    SHARE_PERCENT = 0, /* "40%": of the legal processing time */
    SHARE_HOURS,       /* "8h": working hours */
};

#define PROC_CODE_MAX     16
#define PROC_NAME_MAX     400
#define PROC_FIELD_MAX    160
#define PROC_TEXT_MAX     400 /* notes, legal basis, one document */
#define PROC_DOCS_MAX     24
#define PROC_STEPS_MAX    12
#define STEP_NAME_MAX     160
#define PROC_DECISION_MAX 80 /* "1234/QĐ-UBND" */
#define PROC_DATE_MAX     11 /* "YYYY-MM-DD", "" = not known */

/* Where a dossier of the procedure may be received (Decree 118/2025/NĐ-CP: receiving
 * regardless of the applicant's residence; the province publishes the list — see
 * data/catalog/README.md). */
enum recv_scope {
    RECV_UNIT = 0, /* only at the desk of the deciding unit's area */
    RECV_PROVINCE, /* at any desk of the province (tiếp nhận không phụ thuộc địa giới, trong tỉnh)
                    */
    RECV_NATION, /* at any desk in the country */
    RECV_COUNT
};

struct proc_step {
    char name[STEP_NAME_MAX];
    enum step_role role;
    int unit_kind; /* an enum unit_kind, or -1 when the step is not tied to a kind of unit */
    enum share_unit share_unit;
    int share; /* percent (1..100) or working hours (>= 1) */
};

struct procedure {
    char code[PROC_CODE_MAX]; /* national code "1.001612" */
    char name[PROC_NAME_MAX];
    char field[PROC_FIELD_MAX]; /* lĩnh vực, e.g. "Hộ tịch" */
    enum proc_level level;
    int time_amount; /* >= 0; 0 working days = within the reception day */
    enum time_unit time_unit;
    char time_note[PROC_TEXT_MAX]; /* e.g. "received after 15:00: next working day" */
    int64_t fee_vnd;               /* >= 0, or -1 when it varies (see fee_note) */
    char fee_note[PROC_TEXT_MAX];
    enum online_mode online;
    char legal_basis[PROC_TEXT_MAX]; /* the article that sets the processing time */
    int ndocs;
    char docs[PROC_DOCS_MAX][PROC_TEXT_MAX];
    int nsteps;
    struct proc_step steps[PROC_STEPS_MAX];
    /* The published catalogue (Decree 63/2010/NĐ-CP Art. 15–17 as amended, verify): the
     * decision that published the procedure, the day its legal basis takes effect, and the
     * days it was posted on the national database (portal) and at the desk. */
    char decision[PROC_DECISION_MAX];
    char decision_date[PROC_DATE_MAX];
    char basis_effective[PROC_DATE_MAX];
    char posted_portal[PROC_DATE_MAX];
    char posted_desk[PROC_DATE_MAX];
    enum recv_scope receive;
    char receive_basis[PROC_TEXT_MAX]; /* the decision or plan that lists it (RECV_PROVINCE/NATION)
                                        */
};

const char *proc_level_name(enum proc_level l);  /* "province" … */
const char *proc_level_label(enum proc_level l); /* "Cấp tỉnh" … */
int proc_level_parse(const char *s, enum proc_level *out, const char *field, struct err *e);
const char *time_unit_name(enum time_unit u);  /* "wd", "wh", "cd" */
const char *time_unit_label(enum time_unit u); /* "ngày làm việc" … */
int time_unit_parse(const char *s, enum time_unit *out, const char *field, struct err *e);
const char *online_mode_name(enum online_mode m);  /* "full", "partial", "none" */
const char *online_mode_label(enum online_mode m); /* "Toàn trình" … */
int online_mode_parse(const char *s, enum online_mode *out, const char *field, struct err *e);
const char *step_role_name(enum step_role r); /* "desk", "specialist" … */
const char *step_role_label(enum step_role r);
int step_role_parse(const char *s, enum step_role *out, const char *field, struct err *e);

const char *recv_scope_name(enum recv_scope r);  /* "unit", "province", "nation" */
const char *recv_scope_label(enum recv_scope r); /* "Trong phạm vi tỉnh" … */
int recv_scope_parse(const char *s, enum recv_scope *out, const char *field, struct err *e);

/* Checks a national procedure code: one digit, '.', six digits ("1.001612") (verify). */
int proc_code_check(const char *s, const char *field, struct err *e);
/* Parses one step line "NAME | ROLE[@UNIT_KIND] | SHARE" (SHARE "40%" or "8h"). */
int proc_step_parse(const char *line, struct proc_step *out, const char *field, struct err *e);
/* Writes a step back in the same syntax (buf >= 256 bytes). */
char *proc_step_format(const struct proc_step *s, char *buf, size_t n);
/* Checks one procedure: code syntax, name, amounts, and the template: all steps share in
 * percent summing to 100, or all in hours summing to no more than the legal time (a working
 * day counted as 8 hours at most, Labour Code 2019 Art. 105). e->field names the column. */
int procedure_check(const struct procedure *p, struct err *e);
/* The legal time in the form "15 ngày làm việc". */
char *proc_time_format(const struct procedure *p, char *buf, size_t n);

#endif
