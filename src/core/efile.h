/* efile.h — online filing (nộp hồ sơ trực tuyến) as domain rules, no I/O: which procedures a
 * citizen may file online, which files an upload may be (type sniffed from the content, size
 * per file and per dossier), when a filing is complete enough to submit, and whether a dossier
 * was served fully or partly online — decided from what actually happened, not from the
 * catalogue's promise — with the Decision 766 online-service figures computed from those
 * facts (docs/efile.md).
 *
 * Legal sources:
 *  - Decree 42/2022/NĐ-CP (online public services), Art. 11 (verify the article): a "dịch vụ
 *    công trực tuyến toàn trình" lets the whole procedure run online — the dossier filed,
 *    processed and the result returned electronically; "một phần" is every other online
 *    service (some step, such as showing originals or receiving the result, happens on paper
 *    or in person).
 *  - Decree 118/2025/NĐ-CP (one-stop mechanism, from 1/7/2025): an online dossier is checked by
 *    the desk before reception; the clock starts at reception (verify the article).
 *  - Decision 766/QĐ-TTg (23/6/2022), group "Cung cấp dịch vụ trực tuyến" (data/indicators/
 *    766-2022.tsv, 3.1–3.3). */
#ifndef CCHC_EFILE_H
#define CCHC_EFILE_H

#include <stdint.h>

#include "err.h"
#include "procedure.h"

#define EFILE_FILE_MAX_DEFAULT    (10L * 1024 * 1024) /* bytes of one uploaded document */
#define EFILE_DOSSIER_MAX_DEFAULT (50L * 1024 * 1024) /* bytes of all documents of a filing */
#define EFILE_ID_LEN              33                  /* 32 hex digits and a NUL */
#define EFILE_CONTACT_MAX         256
#define EFILE_NAME_MAX            200

/* What an upload was refused for: the HTTP layer answers 413 for EFILE_TOO_LARGE, 415 for
 * EFILE_BAD_TYPE, 400 for EFILE_BAD_NAME. */
enum efile_refusal { EFILE_OK = 0, EFILE_BAD_NAME, EFILE_TOO_LARGE, EFILE_BAD_TYPE };

/* Checks one uploaded file: name (1..EFILE_NAME_MAX bytes, no '/' nor control character),
 * size 1..file_max, and the type libmagic read from the content one of PDF, JPEG or PNG — the
 * name's extension and the sender's Content-Type are never trusted. Then that the filing's
 * documents stay within dossier_max: others is the size of the filing's other documents (the
 * one replaced not counted). Returns the refusal (e filled: field "file", the value, the
 * rule). */
enum efile_refusal efile_file_check(const char *name, const char *mime, int64_t size,
                                    int64_t file_max, int64_t others, int64_t dossier_max,
                                    struct err *e);

/* 1 when a procedure offered online in mode m may be filed online (full or partial). */
int efile_offered(enum online_mode m);

/* Whether the filing may be submitted: every document of the list that is not conditional
 * ("(nếu có)") is uploaded (bit i of have: document i + 1) or, for a partly online
 * procedure only, declared to be shown on paper at the desk (bit i of paper). A procedure
 * without a document list needs one upload. ERR_INVALID names the first missing document
 * (field "documents"); a paper declaration for a fully online procedure is ERR_INVALID too
 * (field "paper"): toàn trình means no paper. */
int efile_complete(const char (*docs)[PROC_TEXT_MAX], int ndocs, enum online_mode m, uint32_t have,
                   uint32_t paper, struct err *e);

/* May the result of a procedure be delivered online (downloaded by the confirmed citizen)?
 * Only a fully online (toàn trình) procedure returns its result electronically. */
int efile_result_online_allowed(enum online_mode m);

/* Full-online or partial-online, from what happened to one dossier filed online: every
 * document came online (no paper declared, none handed in at the desk) and the result was
 * delivered online (the citizen downloaded the electronic result) = full; else partial. */
enum online_mode efile_served(int all_docs_online, int result_online);

/* Per unit and period: the facts behind the online-service group. */
struct efile_figures {
    int64_t procedures;        /* procedures of the unit's catalogue level */
    int64_t procedures_online; /* of them offered online (full or partial) */
    int64_t procedures_used;   /* of those, with at least one dossier filed online in the period */
    int64_t received;          /* dossiers received in the period */
    int64_t received_online;   /* of them filed online */
    int64_t served_full;       /* of the online ones, served fully online (efile_served) */
};

/* The rate of a 766 indicator computed by the metric from these figures: "online_offered"
 * (3.1: procedures offered online / procedures), "online_used" (3.2: offered procedures with
 * an online dossier / procedures offered), "online_served_full" (online dossiers served fully
 * online / online dossiers received; tracked). Returns 1 with num, den filled when metric is
 * one of them, 0 otherwise. */
int efile_indicator_rate(const char *metric, const struct efile_figures *f, int64_t *num,
                         int64_t *den);

#endif
