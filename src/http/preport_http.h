/* preport_http.h — the handlers of the periodic CCHC reports' routes (preport.c), one row each
 * in routes.c. */
#ifndef CCHC_PREPORT_HTTP_H
#define CCHC_PREPORT_HTTP_H

struct req;
void h_preports(struct req *r);
void h_preport_create(struct req *r);
void h_preport_get(struct req *r);
void h_preport_sections(struct req *r);
void h_preport_refresh(struct req *r); /* route arg 1: consolidate */
void h_preport_action(struct req *r);  /* route arg: enum preport_action */
void h_preport_children(struct req *r);
void h_preport_file(struct req *r); /* route arg 0: xlsx, 1: pdf */

#endif
