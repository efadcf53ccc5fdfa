/* static.c — the web UI's files: GET / answers web/index.html, GET /assets/{dir}/{file} a file
 * of one of a few known folders of web/ or, under /assets/vendor/, one of the front-end
 * libraries npm installed in web/node_modules (scripts/deps.sh), so no asset comes from the
 * internet at run time. Folder names are a fixed list and file names a strict pattern, so no
 * request can name anything outside the web root; the MIME type comes from the extension and
 * an unknown extension is not served. The web root is $CCHC_WEB, else CCHC_WEB_DIR. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

#ifndef CCHC_WEB_DIR
#define CCHC_WEB_DIR "web"
#endif

#define STATIC_FILE_MAX  (8 << 20) /* the largest file served, bytes */
#define STATIC_NAME_MAX  64
#define STATIC_PATH_MAX  4096
#define VENDOR_MAX_AGE   "public, max-age=86400" /* versioned by package-lock.json */
#define OWN_CACHE_POLICY "no-cache" /* revalidate (ETag) so a new build shows at once */

/* Folders of web/ served as they are. */
static const char *const plain_dirs[] = {"css", "js", "i18n", "img", NULL};

/* /assets/vendor/NAME -> the file npm installed (web/package.json pins the versions). */
static const struct vendor_file {
    const char *name, *path;
} vendor_files[] = {
    {"chart.umd.min.js", "node_modules/chart.js/dist/chart.umd.min.js"},
    {"qrcode.mjs", "node_modules/qrcode-generator/dist/qrcode.mjs"},
    {NULL, NULL},
};

static const struct mime {
    const char *ext, *type;
} mimes[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".woff2", "font/woff2"},
    {NULL, NULL},
};

/* The policy for pages: only this origin's scripts and styles; data: images for the QR. */
static const char csp[] = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                          "script-src 'self'; object-src 'none'; base-uri 'none'; "
                          "frame-ancestors 'none'; form-action 'self'";

static const char *web_root(void)
{
    const char *env = getenv("CCHC_WEB");
    return env && *env ? env : CCHC_WEB_DIR;
}

/* The MIME type of a file name by its extension, NULL if not served. */
static const char *mime_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return NULL;
    for (const struct mime *m = mimes; m->ext; m++)
        if (!strcmp(dot, m->ext)) return m->type;
    return NULL;
}

/* 1 if name is a plain file name: letters, digits, '.', '-', '_', starting with a letter or
 * digit, at most STATIC_NAME_MAX bytes (so never "..", never a hidden file, never a '/'). */
static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > STATIC_NAME_MAX) return 0;
    if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
          (name[0] >= '0' && name[0] <= '9')))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_';
        if (!ok || (c == '.' && name[i + 1] == '.')) return 0;
    }
    return 1;
}

/* The path below the web root for /assets/dir/file, NULL if the pair is not served. */
static const char *asset_path(struct req *r, const char *dir, const char *file, int *vendor)
{
    *vendor = 0;
    if (!name_ok(dir) || !name_ok(file) || !mime_of(file)) return NULL;
    if (!strcmp(dir, "vendor")) {
        for (const struct vendor_file *v = vendor_files; v->name; v++)
            if (!strcmp(v->name, file)) {
                *vendor = 1;
                return v->path;
            }
        return NULL;
    }
    for (size_t i = 0; plain_dirs[i]; i++)
        if (!strcmp(plain_dirs[i], dir)) return arena_printf(r->arena, "%s/%s", dir, file);
    return NULL;
}

static void not_found(struct req *r)
{
    reply_error(r, 404, "not_found", "path", "no such file in the web UI");
}

/* Reads the regular file root/rel into the arena. Returns 0, or -1 having replied. */
static int read_file(struct req *r, const char *rel, char **data, size_t *len, struct stat *st)
{
    char path[STATIC_PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", web_root(), rel) >= (int)sizeof path)
        return not_found(r), -1;

    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno != ENOENT)
            fprintf(stderr, "cchc serve: web UI file %s: %s\n", rel, strerror(errno));
        return not_found(r), -1;
    }
    int rc = -1;
    char *buf = NULL;
    size_t got = 0;
    if (fstat(fd, st) || !S_ISREG(st->st_mode) || st->st_size > STATIC_FILE_MAX) {
        not_found(r);
        goto out;
    }
    buf = arena_alloc(r->arena, (size_t)st->st_size + 1);
    if (!buf) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        goto out;
    }
    while (got < (size_t)st->st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st->st_size - got);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            fprintf(stderr, "cchc serve: web UI file %s: read failed\n", rel);
            reply_error(r, 500, "internal", NULL, "the file could not be read");
            goto out;
        }
        got += (size_t)n;
    }
    *data = buf;
    *len = got;
    rc = 0;
out:
    close(fd);
    return rc;
}

/* Answers the file rel (below the web root), with its ETag; 304 if the client has it. */
static void send_file(struct req *r, const char *rel, const char *type, const char *cache)
{
    char *data;
    size_t len;
    struct stat st;
    if (read_file(r, rel, &data, &len, &st)) return;
    char *etag = arena_printf(r->arena, "\"%llx-%llx-%lx\"", (unsigned long long)st.st_size,
                              (unsigned long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    if (!etag) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    reply_header(r, "ETag", etag);
    reply_header(r, "Cache-Control", cache);
    if (!strncmp(type, "text/html", 9)) reply_header(r, "Content-Security-Policy", csp);
    const char *inm = req_header(r, "If-None-Match");
    if (inm && !strcmp(inm, etag)) {
        reply_text(r, 304, type, "", 0);
        return;
    }
    reply_text(r, 200, type, data, len);
}

void h_static(struct req *r)
{
    /* Query arguments are the page's own (?code= from a receipt's QR): not checked here. */
    const char *dir = req_param(r, "dir"), *file = req_param(r, "file");
    if (!dir && !file) {
        send_file(r, "index.html", "text/html; charset=utf-8", OWN_CACHE_POLICY);
        return;
    }
    int vendor;
    const char *rel = dir && file ? asset_path(r, dir, file, &vendor) : NULL;
    if (!rel) {
        not_found(r);
        return;
    }
    send_file(r, rel, mime_of(file), vendor ? VENDOR_MAX_AGE : OWN_CACHE_POLICY);
}
