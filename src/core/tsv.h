/* tsv.h — the tab-separated data files cchc ships (calendars, indicator sets, test tables):
 * splitting a line into fields in place. */
#ifndef CCHC_TSV_H
#define CCHC_TSV_H

/* Removes a trailing "\n" or "\r\n", then splits line in place at tabs into at most max
 * fields (the last field keeps any further tabs); returns the number of fields (>= 1). */
int tsv_split(char *line, char **fields, int max);

#endif
