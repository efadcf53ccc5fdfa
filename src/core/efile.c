/* efile.c — online filing's rules (efile.h): files, completeness, full or partial online. */
#include "efile.h"

#include <string.h>

#include "digitise.h"

enum efile_refusal efile_file_check(const char *name, const char *mime, int64_t size,
                                    int64_t file_max, int64_t others, int64_t dossier_max,
                                    struct err *e)
{
    static const char *const types[] = {"application/pdf", "image/jpeg", "image/png"};
    if (file_max <= 0) file_max = EFILE_FILE_MAX_DEFAULT;
    if (dossier_max <= 0) dossier_max = EFILE_DOSSIER_MAX_DEFAULT;
    size_t n = name ? strlen(name) : 0;
    if (!n || n > EFILE_NAME_MAX) {
        err_set(e, ERR_INVALID, "name", "name: a file name of 1 to %d bytes is required",
                EFILE_NAME_MAX);
        return EFILE_BAD_NAME;
    }
    for (size_t i = 0; i < n; i++)
        if (name[i] == '/' || name[i] == '\\' || (unsigned char)name[i] < 0x20) {
            err_set(e, ERR_INVALID, "name",
                    "name '%.60s': a file name, without '/', '\\' or control characters", name);
            return EFILE_BAD_NAME;
        }
    if (size <= 0) {
        err_set(e, ERR_INVALID, "file", "file '%.60s': empty", name);
        return EFILE_BAD_NAME;
    }
    if (size > file_max) {
        err_set(e, ERR_INVALID, "file", "file '%.60s': %lld bytes, more than the limit %lld", name,
                (long long)size, (long long)file_max);
        return EFILE_TOO_LARGE;
    }
    if (others + size > dossier_max) {
        err_set(e, ERR_INVALID, "file",
                "file '%.60s': the dossier's documents would be %lld bytes, more than the "
                "limit %lld",
                name, (long long)(others + size), (long long)dossier_max);
        return EFILE_TOO_LARGE;
    }
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (mime && !strcmp(mime, types[i])) return EFILE_OK;
    err_set(e, ERR_INVALID, "file", "file '%.60s': content is '%s', must be PDF, JPEG or PNG", name,
            mime && *mime ? mime : "unknown");
    return EFILE_BAD_TYPE;
}

int efile_offered(enum online_mode m)
{
    return m == ONLINE_FULL || m == ONLINE_PARTIAL;
}

int efile_complete(const char (*docs)[PROC_TEXT_MAX], int ndocs, enum online_mode m, uint32_t have,
                   uint32_t paper, struct err *e)
{
    if (paper && m == ONLINE_FULL)
        return err_set(e, ERR_INVALID, "paper",
                       "paper: the procedure is fully online (toàn trình), no document is shown "
                       "on paper");
    if (ndocs <= 0)
        return have ? 0 : err_set(e, ERR_INVALID, "documents", "documents: upload at least one");
    for (int i = 0; i < ndocs && i < 32; i++) {
        uint32_t bit = 1u << i;
        if ((have & bit) || (paper & bit) || digitise_doc_optional(docs[i])) continue;
        return err_set(e, ERR_INVALID, "documents", "documents: document %d '%.120s' is missing",
                       i + 1, docs[i]);
    }
    return 0;
}

int efile_result_online_allowed(enum online_mode m)
{
    return m == ONLINE_FULL;
}

enum online_mode efile_served(int all_docs_online, int result_online)
{
    return all_docs_online && result_online ? ONLINE_FULL : ONLINE_PARTIAL;
}

int efile_indicator_rate(const char *metric, const struct efile_figures *f, int64_t *num,
                         int64_t *den)
{
    if (!strcmp(metric, "online_offered")) {
        *num = f->procedures_online, *den = f->procedures;
        return 1;
    }
    if (!strcmp(metric, "online_used")) {
        *num = f->procedures_used, *den = f->procedures_online;
        return 1;
    }
    if (!strcmp(metric, "online_served_full")) {
        *num = f->served_full, *den = f->received_online;
        return 1;
    }
    return 0;
}
