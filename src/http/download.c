/* download.c — answers that are files (reports.c, par.c): a private temporary file for the
 * writers that only write to a path (libxlsxwriter), read back whole, and the reply with a
 * Content-Disposition naming the file both in ASCII and, percent-encoded, in UTF-8 (RFC 6266,
 * RFC 5987), so a Vietnamese file name survives every browser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

int download_temp_path(char *buf, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, n, "%s/cchc-download-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(buf);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

char *download_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct stat st;
    char *buf = NULL;
    if (fstat(fileno(f), &st) == 0 && st.st_size >= 0 && (buf = malloc((size_t)st.st_size + 1))) {
        *len = fread(buf, 1, (size_t)st.st_size, f);
        if (*len != (size_t)st.st_size) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/* "attachment; filename="ASCII"; filename*=UTF-8''PERCENT-ENCODED" in the arena: bytes outside
 * printable ASCII (and quote, backslash) become '_' in the fallback. */
static const char *disposition(struct req *r, const char *name)
{
    size_t n = strlen(name);
    char *ascii = arena_alloc(r->arena, n + 1), *pct = arena_alloc(r->arena, 3 * n + 1);
    if (!ascii || !pct) return "attachment";
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        ascii[i] = c < 0x80 && c >= 0x20 && c != '"' && c != '\\' ? (char)c : '_';
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            strchr("-._~", c))
            pct[k++] = (char)c;
        else
            k += (size_t)sprintf(pct + k, "%%%02X", c);
    }
    ascii[n] = pct[k] = 0;
    const char *v =
        arena_printf(r->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, pct);
    return v ? v : "attachment";
}

void reply_download(struct req *r, const char *ctype, const char *filename, const void *data,
                    size_t len)
{
    reply_header(r, "Content-Disposition", disposition(r, filename));
    reply_text(r, 200, ctype, (const char *)data, len);
}
