/* par_round.c — rules of a PAR assessment round with no I/O: the phase sequence and which
 * value each phase accepts, the evidence allow-list (extension ↔ MIME type, size, name) and
 * the floor-rounded metric percentage of computed criteria. The database side is
 * src/store/sqlite_par.c; the MIME type itself is sniffed there (libmagic). */
#include "par_round.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const phase_names[PAR_PHASE_COUNT] = {"self", "appraisal", "survey",
                                                         "published"};
static const char *const phase_labels[PAR_PHASE_COUNT] = {"Tự đánh giá", "Thẩm định",
                                                          "Điều tra xã hội học", "Đã công bố"};

const char *par_phase_name(enum par_phase p)
{
    return (unsigned)p < PAR_PHASE_COUNT ? phase_names[p] : "?";
}

const char *par_phase_label(enum par_phase p)
{
    return (unsigned)p < PAR_PHASE_COUNT ? phase_labels[p] : "?";
}

int par_phase_parse(const char *s, enum par_phase *out, struct err *e)
{
    for (int i = 0; i < PAR_PHASE_COUNT; i++)
        if (s && !strcmp(s, phase_names[i])) {
            *out = (enum par_phase)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "phase",
                   "phase: '%s' is not one of self, appraisal, survey, published", s ? s : "");
}

/* The phase in which a value of kind is written. */
static enum par_phase phase_of(enum par_kind k)
{
    return k == PAR_SELF        ? PAR_PHASE_SELF
           : k == PAR_APPRAISED ? PAR_PHASE_APPRAISAL
                                : PAR_PHASE_SURVEY;
}

int par_phase_allows(const char *round, enum par_phase phase, enum par_kind kind, struct err *e)
{
    if (kind == PAR_METRIC)
        return err_set(e, ERR_INVALID, "kind",
                       "round '%s': metric values come from the dossier data, not by hand", round);
    if (phase == PAR_PHASE_PUBLISHED)
        return err_set(e, ERR_CONFLICT, "phase",
                       "round '%s' is published: its scores are frozen and cannot be changed",
                       round);
    enum par_phase want = phase_of(kind);
    if (phase == want) return 0;
    return err_set(e, ERR_CONFLICT, "phase",
                   "round '%s' is in phase '%s' (%s); %s scores are written in phase '%s'", round,
                   phase_names[phase], phase_labels[phase], par_kind_name(kind), phase_names[want]);
}

int par_phase_allows_evidence(const char *round, enum par_phase phase, struct err *e)
{
    if (phase == PAR_PHASE_SELF || phase == PAR_PHASE_APPRAISAL) return 0;
    if (phase == PAR_PHASE_PUBLISHED)
        return err_set(e, ERR_CONFLICT, "phase",
                       "round '%s' is published: its evidence is frozen and cannot be changed",
                       round);
    return err_set(e, ERR_CONFLICT, "phase",
                   "round '%s' is in phase '%s'; evidence is attached during self-assessment "
                   "and appraisal",
                   round, phase_names[phase]);
}

/* ---- evidence ------------------------------------------------------------------------- */

/* Documents a unit submits as proof (tài liệu kiểm chứng): scanned or signed PDFs, photos,
 * office documents. Decree 30/2020/NĐ-CP (văn thư), Appendix I, sets PDF for electronic
 * documents and digitised copies (verify the article); the office and image types are
 * accepted because provincial guides ask for plans and tables in Word/Excel (verify).
 * alt: a container type libmagic may report for a valid file of that kind (OOXML/ODF are
 * ZIP files; DOC/XLS are OLE compound files), accepted as the extension's type. */
struct evidence_type {
    const char *ext, *mime, *alt1, *alt2;
};
static const struct evidence_type evidence_types[] = {
    {"pdf", "application/pdf", NULL, NULL},
    {"jpg", "image/jpeg", NULL, NULL},
    {"jpeg", "image/jpeg", NULL, NULL},
    {"png", "image/png", NULL, NULL},
    {"doc", "application/msword", "application/CDFV2", "application/x-ole-storage"},
    {"xls", "application/vnd.ms-excel", "application/CDFV2", "application/x-ole-storage"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "application/zip", NULL},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip",
     NULL},
    {"odt", "application/vnd.oasis.opendocument.text", "application/zip", NULL},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet", "application/zip", NULL},
};
#define N_EVIDENCE_TYPES (sizeof evidence_types / sizeof evidence_types[0])

const char *par_evidence_extensions(void)
{
    return "pdf, jpg, jpeg, png, doc, xls, docx, xlsx, odt, ods";
}

static int name_check(const char *name, struct err *e)
{
    if (!name || !*name) return err_set(e, ERR_INVALID, "name", "file name: must not be empty");
    if (strlen(name) >= PAR_EVIDENCE_NAME_MAX)
        return err_set(e, ERR_INVALID, "name", "file name '%.60s…': longer than %d bytes", name,
                       PAR_EVIDENCE_NAME_MAX - 1);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
            return err_set(e, ERR_INVALID, "name",
                           "file name '%s': no directory part or control characters allowed", name);
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return err_set(e, ERR_INVALID, "name", "file name '%s' is not a file name", name);
    return 0;
}

int par_evidence_check(const char *name, const char *sniffed, int64_t size, int64_t max_size,
                       const char **mime, struct err *e)
{
    int rc = name_check(name, e);
    if (rc) return rc;
    const char *dot = strrchr(name, '.');
    const struct evidence_type *t = NULL;
    for (size_t i = 0; dot && i < N_EVIDENCE_TYPES; i++)
        if (!strcasecmp(dot + 1, evidence_types[i].ext)) t = &evidence_types[i];
    if (!t)
        return err_set(e, ERR_INVALID, "type", "file '%s': the extension must be one of %s", name,
                       par_evidence_extensions());
    if (size <= 0) return err_set(e, ERR_INVALID, "size", "file '%s' is empty", name);
    if (size > max_size)
        return err_set(e, ERR_INVALID, "size",
                       "file '%s' has %lld bytes, above the limit of %lld bytes (%lld MiB)", name,
                       (long long)size, (long long)max_size, (long long)(max_size >> 20));
    const char *s = sniffed ? sniffed : "";
    if (strcmp(s, t->mime) && !(t->alt1 && !strcmp(s, t->alt1)) &&
        !(t->alt2 && !strcmp(s, t->alt2)))
        return err_set(e, ERR_INVALID, "type",
                       "file '%s': its content is %s, not %s as its extension '.%s' says", name,
                       *s ? s : "of an unknown type", t->mime, t->ext);
    *mime = t->mime;
    return 0;
}

/* ---- computed criteria ---------------------------------------------------------------- */

par_pts par_metric_pct(int64_t num, int64_t den)
{
    if (den <= 0 || num < 0) return PAR_NONE;
    return num * 100 * PAR_SCALE / den; /* integer division: rounds down for num >= 0 */
}
