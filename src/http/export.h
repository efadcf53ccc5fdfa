/* export.h — ?format=xlsx|pdf on the GET routes of the tables people read (export.c): the
 * route's handler answers JSON as always, and the answer is laid out as a file. */
#ifndef CCHC_HTTP_EXPORT_H
#define CCHC_HTTP_EXPORT_H

struct req;
struct route;

/* 1 if the GET route answers ?format=xlsx|pdf through export.c. */
int export_route_has(const struct route *rt);
/* Before the handler: reads ?format= of an export route and hides it from the handler. Returns
 * -1 when it replied (a bad format), else 0. */
int export_prepare(struct req *r);
/* After the handler: turns its 200 JSON answer into the file asked for. */
void export_finish(struct req *r);

#endif
