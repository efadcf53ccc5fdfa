/* messages.h — the catalogue of the API's error messages in Vietnamese and English
 * (messages.c). Every error answer goes through reply_error, which asks the catalogue for the
 * message in the request's language (Accept-Language: vi or en). */
#ifndef CCHC_MESSAGES_H
#define CCHC_MESSAGES_H

#include <stddef.h>

enum msg_lang { MSG_LANG_NONE = 0, MSG_LANG_VI, MSG_LANG_EN };

/* The language an Accept-Language header asks for: the first of vi / en it names (q-values
 * are not weighed: the UI sends one language); MSG_LANG_NONE when it names neither. */
enum msg_lang msg_lang_of(const char *accept_language);

/* One message found in the catalogue for (code, field, the server's English text). */
struct msg_found {
    const char *rule; /* the entry's stable machine name, e.g. "par.over_max" */
    char text[600];   /* the message in the language asked for */
    int nparams;      /* the values taken from the English text, by name */
    char pname[4][16], pval[4][120];
};

/* Fills out with the message for code / field (field may be NULL) / detail (the English text
 * the handler wrote) in lang (MSG_LANG_NONE: English). Always finds one: a message the
 * catalogue does not know gets its code's general wording with the field's name. */
void msg_lookup(const char *code, const char *field, const char *detail, enum msg_lang lang,
                struct msg_found *out);

#endif
