/* forms.c — the printed forms over HTTP: GET /api/dossiers/{code}/forms/{form} returns a form
 * of a dossier as a PDF (forms_pdf.h) for the officers of its unit, and the public
 * verification of the QR code printed on it: GET /verify/{code} (a Vietnamese page for the
 * person who scans it) and GET /api/verify/{code} (the same as JSON). Verification needs no
 * account; it shows the key data with the applicant reduced to initials. The form registry and
 * the signing keys are loaded once when the server starts (forms_http_open). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "docsign.h"
#include "forms_doc.h"
#include "forms_pdf.h"
#include "http.h"
#include "server_int.h"
#include "store.h"

int forms_http_open(struct server *srv, const char *data, struct err *e)
{
    (void)e;
    /* Neither a missing registry nor a missing key stops the server (the desk works without
     * printing): the form and verification routes answer 503 with the reason, and the start
     * says it. */
    struct err fe = {0}, ke = {0};
    if (forms_load(data, &srv->forms, &fe)) {
        srv->forms = NULL;
        memcpy(srv->keys_error, fe.msg, sizeof srv->keys_error);
        fprintf(stderr, "cchc serve: cảnh báo: không in được biểu mẫu (%s)\n", fe.msg);
        return 0;
    }
    char buf[4200];
    const char *dir = srv->cfg.keys[0] ? srv->cfg.keys : NULL;
    if (!dir && !docsign_default_dir(srv->cfg.db, buf, sizeof buf, &ke)) dir = buf;
    if (dir && docsign_open(dir, &srv->keys, &ke)) srv->keys = NULL;
    if (!srv->keys) {
        memcpy(srv->keys_error, ke.msg, sizeof srv->keys_error);
        fprintf(stderr, "cchc serve: cảnh báo: chưa có khóa ký văn bản (%s); chạy cchc init\n",
                ke.msg);
    }
    return 0;
}

void forms_http_close(struct server *srv)
{
    docsign_close(srv->keys);
    forms_free(srv->forms);
    srv->keys = NULL;
    srv->forms = NULL;
}

/* 1 when forms can be printed and verified; else answers 503 naming what is missing. */
static int keys_ready(struct req *r)
{
    if (r->srv->keys && r->srv->forms) return 1;
    if (!r->srv->forms)
        reply_error(r, 503, "unavailable", "forms",
                    "the form registry (data/forms) is not loaded: %s", r->srv->keys_error);
    else
        reply_error(r, 503, "unavailable", "keys", "no document-signing key: %s",
                    r->srv->keys_error);
    return 0;
}

/* The public address printed in the QR code: the public_url option, else the Host the client
 * used (only when it is a plain host[:port]), else the loopback address and port. */
static const char *base_url(struct req *r)
{
    const struct serve_config *c = &r->srv->cfg;
    if (c->public_url[0]) return c->public_url;
    const char *h = req_header(r, "Host");
    if (h && *h && strlen(h) < 200 &&
        strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
            strlen(h))
        return arena_printf(r->arena, "http://%s", h);
    return arena_printf(r->arena, "http://127.0.0.1:%d", r->srv->port);
}

void h_dossier_form(struct req *r)
{
    if (req_query_check(r, NULL) || !keys_ready(r)) return;
    const char *code = req_param(r, "code"), *form = req_param(r, "form");
    struct err e = {0};
    struct form_doc *doc = arena_alloc(r->arena, sizeof *doc);
    if (!doc) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    int rc = form_doc_build(req_store(r), r->srv->forms, code, form, doc, &e);
    if (rc == ERR_NOT_FOUND && strcmp(e.field, "form")) {
        reply_error(r, 404, "not_found", "code", "dossier '%.40s' does not exist", code);
        return;
    }
    if (!rc && !auth_scope_covers(r, doc->d.unit)) {
        reply_error(r, 404, "not_found", "code", "dossier '%.40s' does not exist", code);
        return;
    }
    if (rc) {
        if (rc == ERR_NOT_FOUND || rc == ERR_INVALID) {
            reply_error(r, rc == ERR_NOT_FOUND ? 404 : 400,
                        rc == ERR_NOT_FOUND ? "not_found" : "invalid", "form", "%s", e.msg);
            return;
        }
        reply_err(r, &e);
        return;
    }
    char url[1024];
    unsigned char *pdf = NULL;
    size_t len = 0;
    if ((rc = form_doc_verify_url(doc, r->srv->keys, base_url(r), url, sizeof url, &e)) ||
        (rc = form_pdf_render(doc, url, &pdf, &len, &e))) {
        reply_err(r, &e);
        return;
    }
    char *name = arena_printf(r->arena, "mau-%s-%s.pdf", doc->def->number, doc->d.code);
    reply_download(r, "application/pdf", name, pdf, len);
    free(pdf);
}

/* --- verification --- */

static const char *const verify_args[] = {"f", "i", "h", "t", NULL};

static int check(struct req *r, struct form_check *c)
{
    struct err e = {0};
    if (form_doc_check(req_store(r), r->srv->forms, r->srv->keys, req_param(r, "code"),
                       req_query(r, "f"), req_query(r, "i"), req_query(r, "h"), req_query(r, "t"),
                       c, &e)) {
        reply_err(r, &e);
        return -1;
    }
    return 0;
}

static char *instant_vi(struct arena *a, int64_t t)
{
    if (!t) return NULL;
    struct ymd d = days_to_ymd(instant_day(t));
    int m = instant_minute_of_day(t);
    return arena_printf(a, "%02d:%02d ngày %02d/%02d/%04d", m / 60, m % 60, d.d, d.m, d.y);
}

void h_verify_json(struct req *r)
{
    struct form_check c;
    if (req_query_check(r, verify_args) || !keys_ready(r) || check(r, &c)) return;
    json_t *o = json_pack("{s:b, s:s}", "authentic", c.authentic, "code", c.code);
    if (!c.authentic) {
        json_object_set_new(o, "reason", json_string(c.why));
    } else {
        const char *iss = instant_vi(r->arena, c.issued_at),
                   *due = instant_vi(r->arena, c.appointment);
        json_object_set_new(o, "form",
                            json_pack("{s:s, s:s, s:s}", "number", c.def->number, "title",
                                      c.def->title, "circular", c.def->circular));
        json_object_set_new(o, "issued_at", json_string(iss));
        json_object_set_new(o, "appointment", due ? json_string(due) : json_null());
        json_object_set_new(o, "unit", json_string(c.unit_name));
        json_object_set_new(o, "procedure", json_string(c.proc_name));
        json_object_set_new(o, "applicant", json_string(c.initials));
        json_object_set_new(o, "status", json_string(dossier_status_label_vi(c.status)));
    }
    reply_json(r, 200, o);
}

/* Appends s to the page, HTML-escaped. */
static char *esc(struct arena *a, const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : *p == '"' ? 6 : 1;
    char *o = arena_alloc(a, n + 1), *q = o;
    if (!o) return "";
    for (const char *p = s; *p; p++) {
        const char *rep = *p == '&'   ? "&amp;"
                          : *p == '<' ? "&lt;"
                          : *p == '>' ? "&gt;"
                          : *p == '"' ? "&quot;"
                                      : NULL;
        if (rep) {
            memcpy(q, rep, strlen(rep));
            q += strlen(rep);
        } else {
            *q++ = *p;
        }
    }
    *q = 0;
    return o;
}

void h_verify_page(struct req *r)
{
    struct form_check c;
    if (req_query_check(r, verify_args) || !keys_ready(r) || check(r, &c)) return;
    struct arena *a = r->arena;
    const char *head =
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\"><title>Xác thực văn bản</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
        ".ok{color:#1b5e20}.bad{color:#b71c1c}th{text-align:left;padding-right:1rem}"
        "</style></head><body><h1>Xác thực văn bản</h1>";
    char *page;
    if (!c.authentic) {
        page = arena_printf(a,
                            "%s<p class=\"bad\"><strong>Văn bản KHÔNG xác thực.</strong></p><p>Mã "
                            "QR không khớp với văn bản do hệ thống cấp cho hồ sơ %s: văn bản có "
                            "thể đã bị sửa hoặc giả mạo.</p></body></html>",
                            head, esc(a, c.code));
    } else {
        const char *due = instant_vi(a, c.appointment);
        page = arena_printf(
            a,
            "%s<p class=\"ok\"><strong>Văn bản xác thực</strong>: do hệ thống cấp, các thông tin "
            "dưới đây không bị sửa đổi.</p><table>"
            "<tr><th>Mã hồ sơ</th><td>%s</td></tr>"
            "<tr><th>Văn bản</th><td>Mẫu số %s — %s (%s)</td></tr>"
            "<tr><th>Ngày văn bản</th><td>%s</td></tr>%s%s%s"
            "<tr><th>Thủ tục</th><td>%s</td></tr>"
            "<tr><th>Cơ quan tiếp nhận</th><td>%s</td></tr>"
            "<tr><th>Người nộp</th><td>%s</td></tr>"
            "<tr><th>Trạng thái hiện nay</th><td>%s</td></tr></table></body></html>",
            head, esc(a, c.code), esc(a, c.def->number), esc(a, c.def->title),
            esc(a, c.def->circular), instant_vi(a, c.issued_at),
            due ? "<tr><th>Hẹn trả kết quả</th><td>" : "", due ? due : "", due ? "</td></tr>" : "",
            esc(a, c.proc_name), esc(a, c.unit_name), esc(a, c.initials),
            esc(a, dossier_status_label_vi(c.status)));
    }
    if (!page) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    reply_arena_text(r, 200, "text/html; charset=utf-8", page, strlen(page));
}
