/* sqlite_backup.c — online backup and restore of an SQLite database with SQLite's backup API
 * (sqlite3_backup_*): one step copies every page inside one read transaction, so the copy is
 * the database as of one instant while writers go on in the WAL. */
#include <errno.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sqlite_int.h"

/* Copies all of src's main database into dst's. */
static int copy_db(sqlite3 *dst, sqlite3 *src, const char *what, struct err *e)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) return err_set(e, ERR_IO, "db", "%s: %s", what, sqlite3_errmsg(dst));
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(50);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) return err_set(e, ERR_IO, "db", "%s: %s", what, sqlite3_errstr(rc));
    return 0;
}

static int fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int store_backup(struct store *s, const char *dest, struct err *e)
{
    sqlite3 *h = db_sqlite_handle(s->db);
    if (!h)
        return err_set(e, ERR_INVALID, "db",
                       "cchc backup copies SQLite databases; back up PostgreSQL with pg_dump or "
                       "continuous archiving (docs/operations.md)");
    struct stat st;
    if (!stat(dest, &st))
        return err_set(e, ERR_CONFLICT, "out", "'%s' exists: a backup never overwrites a file",
                       dest);
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.partial", dest) >= (int)sizeof tmp)
        return err_set(e, ERR_INVALID, "out", "backup path too long");
    unlink(tmp);
    sqlite3 *d = NULL;
    int rc = sqlite3_open_v2(tmp, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        rc = err_set(e, ERR_IO, "out", "'%s': cannot create: %s", tmp,
                     d ? sqlite3_errmsg(d) : sqlite3_errstr(rc));
        sqlite3_close(d);
        return rc;
    }
    rc = copy_db(d, h, "backup", e);
    /* The copy as one self-contained file (no -wal beside it), synced before it is named. */
    if (!rc && sqlite3_exec(d, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        rc = err_set(e, ERR_IO, "out", "backup: %s", sqlite3_errmsg(d));
    sqlite3_close(d);
    if (!rc && (fsync_path(tmp) || rename(tmp, dest)))
        rc = err_set(e, ERR_IO, "out", "'%s': %s", dest, strerror(errno));
    if (rc) unlink(tmp);
    return rc;
}

int store_restore(const char *src, const char *url_or_path, struct err *e)
{
    struct store *dst;
    int rc = store_open_ex(url_or_path, STORE_OPEN_NO_MIGRATE, &dst, e);
    if (rc) return rc;
    sqlite3 *from = NULL;
    if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = err_set(e, ERR_IO, "from", "'%s': cannot open: %s", src,
                     from ? sqlite3_errmsg(from) : "out of memory");
    } else if (!db_sqlite_handle(dst->db)) {
        rc = err_set(e, ERR_INVALID, "db",
                     "cchc restore writes SQLite databases; restore PostgreSQL with pg_restore "
                     "(docs/operations.md)");
    } else {
        rc = copy_db(db_sqlite_handle(dst->db), from, "restore", e);
    }
    sqlite3_close(from);
    store_close(dst);
    return rc;
}
