/* digitise.c — rules of digitised components and electronic results (digitise.h). */
#include "digitise.h"

#include <string.h>

#include "date.h"

int digitise_file_check(const char *name, const char *mime, int64_t size, int64_t max,
                        struct err *e)
{
    static const char *const types[] = {"application/pdf", "image/jpeg", "image/png", "image/tiff"};
    if (max <= 0) max = DIGI_MAX_DEFAULT;
    if (!name || !*name) return err_set(e, ERR_INVALID, "name", "name: a file name is required");
    if (strlen(name) > DIGI_NAME_MAX || strchr(name, '/'))
        return err_set(e, ERR_INVALID, "name",
                       "name: at most %d bytes and no '/' (a file name, not a path)",
                       DIGI_NAME_MAX);
    if (size <= 0) return err_set(e, ERR_INVALID, "file", "file '%s': empty", name);
    if (size > max)
        return err_set(e, ERR_INVALID, "file", "file '%s': %lld bytes, more than the limit %lld",
                       name, (long long)size, (long long)max);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (mime && !strcmp(mime, types[i])) return 0;
    return err_set(e, ERR_INVALID, "file",
                   "file '%s': content is '%s', must be PDF, JPEG, PNG or TIFF", name,
                   mime && *mime ? mime : "unknown");
}

int digitise_result_no_check(const char *no, struct err *e)
{
    size_t n = no ? strlen(no) : 0;
    if (!n || n > DIGI_RESULT_NO_MAX)
        return err_set(e, ERR_INVALID, "result_no", "result_no: 1..%d characters",
                       DIGI_RESULT_NO_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = no[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              strchr("-/._", c)))
            return err_set(e, ERR_INVALID, "result_no",
                           "result_no '%s': only letters, digits and - / . _", no);
    }
    return 0;
}

/* Which components must be digitised, by channel and effective date. One row per rule, each
 * with its legal source. Decree 107/2021/NĐ-CP (Art. 1(19), new Art. 25 of Decree 61/2018)
 * makes the desk digitise the dossiers it receives, and Circular 01/2023/TT-VPCP (05/4/2023,
 * in force 20/5/2023) says how (verify: the article numbers and the effective date were not
 * confirmed against the text here). Online dossiers arrive electronic: their components are
 * digitised by the applicant's upload. Decree 118/2025/NĐ-CP keeps the duty from 1/7/2025
 * (verify). */
static const struct {
    int y, m, d; /* in force from */
    enum dossier_channel channel;
    int required;
    const char *source;
} rules[] = {
    {2023, 5, 20, CHANNEL_DIRECT, 1,
     "Nghị định 107/2021/NĐ-CP Điều 1 khoản 19 (Điều 25 NĐ 61/2018); Thông tư 01/2023/TT-VPCP "
     "(verify)"},
    {2023, 5, 20, CHANNEL_POSTAL, 1,
     "Nghị định 107/2021/NĐ-CP Điều 1 khoản 19 (Điều 25 NĐ 61/2018); Thông tư 01/2023/TT-VPCP "
     "(verify)"},
    {2023, 5, 20, CHANNEL_ONLINE, 1,
     "Thông tư 01/2023/TT-VPCP: thành phần hồ sơ trực tuyến là bản điện tử (verify)"},
};

int digitise_required(enum dossier_channel channel, int64_t day, const char **source)
{
    int req = 0;
    const char *src = "";
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        struct ymd from = {rules[i].y, rules[i].m, rules[i].d};
        if (rules[i].channel == channel && day >= ymd_to_days(from)) {
            req = rules[i].required;
            src = rules[i].source;
        }
    }
    if (source) *source = src;
    return req;
}

int digitise_doc_optional(const char *doc_name)
{
    static const char tail[] = "(nếu có)";
    size_t n = strlen(doc_name), k = sizeof tail - 1;
    while (n > 0 && (doc_name[n - 1] == ' ' || doc_name[n - 1] == '.'))
        n--;
    return n >= k && !memcmp(doc_name + n - k, tail, k);
}

int digitise_dossier_complete(const char (*docs)[PROC_TEXT_MAX], int ndocs, uint32_t have)
{
    if (ndocs <= 0) return have != 0;
    for (int i = 0; i < ndocs && i < 32; i++)
        if (!(have & (UINT32_C(1) << i)) && !digitise_doc_optional(docs[i])) return 0;
    return 1;
}

int digitise_indicator_input(const char *metric, const struct digitise_figures *f,
                             struct ind_input *out)
{
    int64_t num, den;
    if (!strcmp(metric, "components_digitised"))
        num = f->complete, den = f->received;
    else if (!strcmp(metric, "reuse_digitised"))
        num = f->reused, den = f->received;
    else if (!strcmp(metric, "result_electronic"))
        num = f->e_result, den = f->solved;
    else
        return 0;
    out->has = den > 0;
    out->num = num;
    out->den = den;
    return 1;
}

const char *digitise_metric_of(const char *indicator_id)
{
    static const char *const map[][2] = {
        {"4.1", "result_electronic"},    /* electronic results (QĐ 766 Phụ lục II.3.a) */
        {"4.2", "components_digitised"}, /* components digitised (II.3.b) */
        {"4.3", "reuse_digitised"},      /* reuse of digitised data (II.3.c) */
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], indicator_id)) return map[i][1];
    return NULL;
}
