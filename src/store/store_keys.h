/* store_keys.h — secrets shared by every process serving one database (migration 023), part
 * of store.h's contract. Several `cchc serve` behind a load balancer must derive the same
 * MACs and keyed hashes, so the key lives in the database, not in one process (docs/scale.md). */
#ifndef CCHC_STORE_KEYS_H
#define CCHC_STORE_KEYS_H

#include "store.h"

#define STORE_KEY_BYTES 32

/* Fills key with the secret called name (1 to 63 bytes): the one stored, or, the first time,
 * a random one that this call stores. Concurrent first calls from several processes all
 * return the same key (the first insert wins, the others read it). */
int store_server_key(struct store *s, const char *name, unsigned char key[STORE_KEY_BYTES],
                     struct err *e);

#endif
