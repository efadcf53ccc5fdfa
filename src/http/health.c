/* health.c — GET /healthz: readiness. 200 {"status":"ok"} when the database answers and can
 * be written; 503 otherwise, so a load balancer takes the server out of rotation: when the
 * database does not answer, when the last write request failed in the database (a full disk,
 * a read-only file system) within HEALTH_FAIL_S seconds and none succeeded since, or when a
 * file cannot be written and synced beside the database (checked at most every
 * HEALTH_PROBE_S seconds). It also says which years' deadlines fall back to the statutory
 * holidays because the government's decision file (data/calendar/YYYY.tsv) is missing, the
 * same warning `cchc serve` logs at start. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "http.h"
#include "server_int.h"
#include "store.h"

#define HEALTH_FAIL_S  30
#define HEALTH_PROBE_S 5

/* The directory of an SQLite database named by path or "sqlite:PATH?…"; 0 if the store is
 * not a file (a PostgreSQL URL). */
static int db_dir(const char *db, char *out, size_t n)
{
    if (store_url_is_pg(db)) return 0;
    if (!strncmp(db, "sqlite:", 7)) db += 7;
    size_t len = strcspn(db, "?");
    if (len + 1 > n) return 0;
    memcpy(out, db, len);
    out[len] = 0;
    char *slash = strrchr(out, '/');
    if (!slash)
        snprintf(out, n, ".");
    else if (slash == out)
        out[1] = 0;
    else
        *slash = 0;
    return 1;
}

/* Writes and syncs 4 KiB beside the database and removes it: 0, or the errno. */
static int write_probe(const char *dir)
{
    char path[CONFIG_STR_MAX + 64], block[4096];
    snprintf(path, sizeof path, "%s/.cchc-health-%ld", dir, (long)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return errno;
    memset(block, 0, sizeof block);
    int rc = 0;
    errno = 0;
    if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
        rc = errno ? errno : ENOSPC; /* a short write: the disk is full */
    else if (fsync(fd))
        rc = errno;
    close(fd);
    unlink(path);
    return rc;
}

static int disk_errno(struct server *srv)
{
    int64_t now = now_unix();
    if (now - atomic_load(&srv->probe_at) < HEALTH_PROBE_S) return atomic_load(&srv->probe_errno);
    char dir[CONFIG_STR_MAX];
    int err = db_dir(srv->cfg.db, dir, sizeof dir) ? write_probe(dir) : 0;
    atomic_store(&srv->probe_errno, err);
    atomic_store(&srv->probe_at, now);
    return err;
}

/* Writes the warning for the years without a decision file into buf (empty when none);
 * returns how many years lack one (0..2) and fills years. */
static int calendar_warning(const struct calendar *cal, int64_t today, int years[2], char *buf,
                            size_t n)
{
    int k = calendar_years_without_decision(cal, today, years);
    buf[0] = 0;
    if (k == 0) return 0;
    char list[64];
    if (k == 1)
        snprintf(list, sizeof list, "năm %d (data/calendar/%d.tsv)", years[0], years[0]);
    else
        snprintf(list, sizeof list, "các năm %d, %d (data/calendar/%d.tsv, %d.tsv)", years[0],
                 years[1], years[0], years[1]);
    snprintf(buf, n,
             "chưa có quyết định nghỉ lễ, Tết của %s: hạn xử lý hồ sơ tính theo ngày nghỉ "
             "luật định (statutory.tsv), chưa có ngày nghỉ bù, hoán đổi; thêm tệp quyết định "
             "của năm",
             list);
    return k;
}

void server_log_calendar_warning(const struct server *s, FILE *f)
{
    int years[2];
    char msg[512];
    if (calendar_warning(s->cal, today_local(), years, msg, sizeof msg))
        fprintf(f, "cchc serve: cảnh báo lịch: %s\n", msg);
}

void h_health(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct err e = {0};
    int dbv = 0, known = 0;
    struct store *s = req_store(r);
    if (!s || store_schema_version(s, &dbv, &known, &e)) {
        reply_error(r, 503, "unavailable", "db", "the database does not answer");
        return;
    }
    struct server *srv = r->srv;
    int64_t fail = atomic_load(&srv->last_write_fail), ok = atomic_load(&srv->last_write_ok);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t ago = (int64_t)ts.tv_sec - fail / 1000;
    if (fail > ok && ago < HEALTH_FAIL_S) {
        reply_error(r, 503, "unavailable", "db",
                    "the last write to the database failed %lld s ago (disk full or read-only?)",
                    (long long)ago);
        return;
    }
    int err = disk_errno(srv);
    if (err) {
        reply_error(r, 503, "unavailable", "disk",
                    "a file cannot be written beside the database: %s", strerror(err));
        return;
    }
    int years[2];
    char msg[512];
    int k = calendar_warning(req_calendar(r), today_local(), years, msg, sizeof msg);
    json_t *cal = json_pack("{s:o}", "years_without_decision", json_array());
    for (int i = 0; i < k; i++)
        json_array_append_new(json_object_get(cal, "years_without_decision"),
                              json_integer(years[i]));
    if (k) json_object_set_new(cal, "warning", json_string(msg));
    reply_json(r, 200,
               json_pack("{s:s, s:i, s:i, s:o}", "status", "ok", "schema", dbv, "schema_known",
                         known, "calendar", cal));
}
