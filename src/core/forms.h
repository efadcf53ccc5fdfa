/* forms.h — the one-stop desk's forms and legal base by effective date (data/forms/): which
 * form (number, title, circular) a document issued on a given day uses, which decree governs
 * the desk that day, and whether a form applies to a dossier in its present state.
 *
 * Pure lookup over two data files read once: forms.tsv (Circular 01/2018/TT-VPCP forms until
 * 14/9/2025, Circular 03/2025/TT-VPCP Annex I forms 01–07 from 15/9/2025) and basis.tsv
 * (Decree 61/2018/NĐ-CP until 30/6/2025, Decree 118/2025/NĐ-CP from 1/7/2025). The form of a
 * document follows the day the document is issued: the reception day for the receipt and the
 * control sheet, the day of the supplement request, refusal, apology or stop otherwise. */
#ifndef CCHC_FORMS_H
#define CCHC_FORMS_H

#include <stdint.h>

#include "dossier.h"
#include "err.h"

enum form_kind {
    FORM_RECEIPT = 0, /* giấy tiếp nhận hồ sơ và hẹn trả kết quả */
    FORM_SUPPLEMENT,  /* phiếu yêu cầu bổ sung, hoàn thiện hồ sơ */
    FORM_REFUSAL,     /* phiếu từ chối tiếp nhận giải quyết hồ sơ */
    FORM_APOLOGY,     /* phiếu/văn bản xin lỗi (và hẹn lại / đề nghị gia hạn) */
    FORM_STOP,        /* thông báo dừng giải quyết hồ sơ (Circular 03/2025 only) */
    FORM_CONTROL,     /* phiếu kiểm soát quá trình giải quyết hồ sơ */
    FORM_BOOK,        /* sổ theo dõi hồ sơ (a register for a period, not one dossier's) */
    FORM__COUNT
};

#define FORM_TEXT_MAX 200

struct form_def {
    enum form_kind kind;
    char number[4];           /* "01" … as the circular numbers it */
    int64_t from_day, to_day; /* validity, inclusive; INT64_MIN / INT64_MAX when open */
    char title[FORM_TEXT_MAX];
    char circular[FORM_TEXT_MAX];
    char source[FORM_TEXT_MAX];
};

struct form_basis {
    int64_t from_day, to_day;
    char decree[FORM_TEXT_MAX];
    char guidance[FORM_TEXT_MAX];
    char source[FORM_TEXT_MAX];
};

/* A one-stop rule a document cites, by period (data/forms/rules.tsv). */
struct form_rule {
    char rule[16]; /* "apology", "code" */
    int64_t from_day, to_day;
    char text[FORM_TEXT_MAX];
    char cite[FORM_TEXT_MAX];   /* what a document prints (never "(verify)") */
    char source[FORM_TEXT_MAX]; /* the full source, with the points still to verify */
};

struct forms;

/* Reads dir/forms/forms.tsv, dir/forms/basis.tsv and dir/forms/rules.tsv. A malformed line fails
 * with "FILE:LINE: problem"; overlapping periods of one kind fail too. */
int forms_load(const char *dir, struct forms **out, struct err *e);
void forms_free(struct forms *f);

const char *form_kind_name(enum form_kind k); /* "receipt" … */

/* The form of kind k valid on day, or NULL when none (before the first circular). */
const struct form_def *forms_of_kind(const struct forms *f, enum form_kind k, int64_t day);
/* The rule named `rule` ("apology", "code") in force on day, or NULL. */
const struct form_rule *forms_rule(const struct forms *f, const char *rule, int64_t day);
/* The decree governing the desk on day, or NULL. */
const struct form_basis *forms_basis(const struct forms *f, int64_t day);
/* The form with this number ("01" or "1") valid on day, or NULL. */
const struct form_def *forms_by_number(const struct forms *f, const char *number, int64_t day);
/* 1 when some period has a form with this number ("01" or "1"). */
int forms_number_known(const struct forms *f, const char *number);

/* What a dossier's documents depend on, beyond its state: the latest supplement request, the
 * latest pause and the latest apology (0 when none). The caller reads them from the records. */
struct form_facts {
    const struct dossier_state *st;
    int64_t supplement_at, pause_at, apology_at;
};

/* The instant a document of kind k is issued for the dossier, or 0 when the dossier has no
 * such document (no supplement asked, not refused …). The book has none (it is a register). */
int64_t form_issue_instant(enum form_kind k, const struct form_facts *x);

/* Resolves the form number asked for a dossier: the form with that number valid on the day
 * its document was issued. ERR_INVALID for a malformed number; ERR_NOT_FOUND for a number no
 * circular has ("form '09': the forms are 01–07"); ERR_CONFLICT when the form exists but the
 * dossier has no such document in its state, naming the state and the rule. */
int forms_resolve(const struct forms *f, const char *number, const struct form_facts *x,
                  const struct form_def **out, int64_t *issued_at, struct err *e);

#endif
