-- 048_outbox_province.sql — the province column (docs/scale.md, "What the schema needs first",
-- steps 1 and 2) on the notification outbox, which the national plan distributes by province
-- co-located with the dossiers: a message is written in the transaction of the event that
-- causes it, so it lives in that event's shard. A message about a dossier (received,
-- supplement, result, apology, payment confirmed) carries the dossier's province, a reminder's
-- message the reminder's (migration 044), a survey invitation its round's (041), a feedback
-- answer the item's (038); a citizen's own message (the one-time code, the lost dossier codes)
-- belongs to no province and carries '' (store_notify.h, OUTBOX_NATIONAL). The store binds it
-- at every insert. Existing rows: by dossier_code; by the reminder whose outbox_msg is the
-- message; a survey invitation by the round named in its vars (a sent invitation's vars are
-- wiped, so it gets ''); a feedback answer by the item whose code is in its vars; else ''.
-- SQLite keeps its keys (id INTEGER PRIMARY KEY, msg_id UNIQUE: one database, no shards);
-- PostgreSQL's become (id, province) and (msg_id, province) (pg/048_outbox_province.sql). On
-- SQLite the column is added with an empty default (ADD COLUMN NOT NULL needs one) and filled.
CREATE TEMP TABLE outbox_province (msg_id TEXT PRIMARY KEY, province TEXT NOT NULL);
INSERT INTO outbox_province (msg_id, province)
SELECT o.msg_id, d.province FROM outbox o JOIN dossiers d ON d.code = o.dossier_code
WHERE o.dossier_code IS NOT NULL
ON CONFLICT (msg_id) DO NOTHING;
INSERT INTO outbox_province (msg_id, province)
SELECT r.outbox_msg, min(r.province) FROM reminders r JOIN outbox o ON o.msg_id = r.outbox_msg
WHERE r.outbox_msg IS NOT NULL GROUP BY r.outbox_msg
ON CONFLICT (msg_id) DO NOTHING;
INSERT INTO outbox_province (msg_id, province)
SELECT v.msg_id, s.province
FROM (SELECT msg_id, substr(rest, 1, instr(rest, char(10)) - 1) AS round
      FROM (SELECT msg_id, substr(vars, instr(vars, char(10) || 'round' || char(9)) + 7) AS rest
            FROM outbox WHERE event = 'survey_invitation'
              AND instr(vars, char(10) || 'round' || char(9)) > 0) x) v
JOIN survey_rounds s ON s.code = v.round
WHERE true
ON CONFLICT (msg_id) DO NOTHING;
INSERT INTO outbox_province (msg_id, province)
SELECT v.msg_id, f.province
FROM (SELECT msg_id, substr(vars, 6, instr(vars, char(10)) - 6) AS code
      FROM outbox WHERE event = 'feedback_answered' AND substr(vars, 1, 5) = 'code' || char(9)) v
JOIN feedback f ON f.code = v.code
WHERE true
ON CONFLICT (msg_id) DO NOTHING;
ALTER TABLE outbox ADD COLUMN province TEXT NOT NULL DEFAULT '';
UPDATE outbox
SET province = (SELECT p.province FROM outbox_province p WHERE p.msg_id = outbox.msg_id)
WHERE msg_id IN (SELECT msg_id FROM outbox_province);
DROP TABLE outbox_province;
