-- 045_province_keys.sql (PostgreSQL) — the key stage of the province column (docs/scale.md,
-- "What the schema needs first", steps 1 and 2) for every family that has its column
-- (migrations 037–044): the dossiers with the rows that hang on them, the online filings and
-- the digitisation, feedback, dialogues, periodic reports, plans and inspections, initiatives,
-- the desk queue's tickets and appointments, the survey rounds, the PAR rounds and the
-- reminders. Citus (the national plan) needs every primary key and unique constraint of a
-- distributed table to hold the distribution column, and every foreign key between two
-- distributed tables to pair it: each key gains `province` LAST, under its old name, so every
-- read that seeks by the key's first columns (by id, by code, by dossier) keeps its index
-- prefix without naming the province, and each foreign key to a co-located parent becomes
-- (…, province) → parent (…, province). Foreign keys to the reference tables (units,
-- procedures, PAR sets) stay as they are. The content stores (digi_blobs, par_blobs) and the
-- foreign keys onto them wait: their key (sha256) is SQLite's too, where an upsert on
-- (sha256, province) would still hit the old primary key, so they need a rebuild of their own.
--
-- What this changes for the rules: a key that was unique alone is now unique per province.
-- It stays unique in fact: a dossier code names its unit, a feedback code is checked free
-- nationally before use (feedback.c, code_taken), payment references, appointment codes and
-- survey links are random (128, 40 and 256 bits), and the store checks a survey round's or a
-- PAR round's code (chosen by the user) free nationally before creating the round
-- (survey_store.c, sqlite_par.c; writers serialise, so the check holds). The other keys start
-- with a unit, a dossier or a round, which fixes the province. SQLite keeps its keys (one
-- database, no shards); it gains the unique indexes that the changed conflict targets name.
--
-- The constraints were generated from the catalogue of a freshly migrated database (every
-- 'p', 'u' and 'f' constraint of these tables not holding province, plus the one unique
-- index) and are checked by cli.t-distributable; cli.t-migrate-pg takes them back and
-- applies this migration to a copy with data, and checks it gives a fresh schema's keys.

-- the foreign keys go first: they hang on the keys that change. The PAR drill-down's onto
-- the dossiers does not come back: a round's frozen list of the dossiers behind a figure lives
-- with the round (its province), and a dossier of a unit that was under another root when it
-- was received lives in that root's shard, so Citus could not enforce it. The store writes
-- the list from the dossiers it has just read, and dossiers are never deleted.
ALTER TABLE par_metric_dossiers DROP CONSTRAINT par_metric_dossiers_dossier_id_fkey;
ALTER TABLE par_evidence DROP CONSTRAINT par_evidence_round_id_unit_code_fkey;
ALTER TABLE par_metrics DROP CONSTRAINT par_metrics_round_id_unit_code_fkey;
ALTER TABLE par_round_phases DROP CONSTRAINT par_round_phases_round_id_fkey;
ALTER TABLE par_round_units DROP CONSTRAINT par_round_units_round_id_fkey;
ALTER TABLE par_score_changes DROP CONSTRAINT par_score_changes_round_id_unit_code_fkey;
ALTER TABLE par_scores DROP CONSTRAINT par_scores_round_id_unit_code_fkey;
ALTER TABLE par_targets DROP CONSTRAINT par_targets_round_id_unit_code_fkey;
ALTER TABLE dialogue_commitments DROP CONSTRAINT dialogue_commitments_dialogue_id_fkey;
ALTER TABLE digi_components DROP CONSTRAINT digi_components_dossier_code_fkey;
ALTER TABLE digi_results DROP CONSTRAINT digi_results_dossier_code_fkey;
ALTER TABLE dossier_apologies DROP CONSTRAINT dossier_apologies_dossier_id_fkey;
ALTER TABLE dossier_documents DROP CONSTRAINT dossier_documents_dossier_id_fkey;
ALTER TABLE dossier_ratings DROP CONSTRAINT dossier_ratings_dossier_id_fkey;
ALTER TABLE dossier_steps DROP CONSTRAINT dossier_steps_dossier_id_fkey;
ALTER TABLE dossier_stops DROP CONSTRAINT dossier_stops_dossier_id_fkey;
ALTER TABLE efile_documents DROP CONSTRAINT efile_documents_filing_id_fkey;
ALTER TABLE efile_filings DROP CONSTRAINT efile_filings_dossier_code_fkey;
ALTER TABLE events DROP CONSTRAINT events_dossier_id_fkey;
ALTER TABLE feedback_events DROP CONSTRAINT feedback_events_feedback_id_fkey;
ALTER TABLE feedback_files DROP CONSTRAINT feedback_files_feedback_id_fkey;
ALTER TABLE initiative_events DROP CONSTRAINT initiative_events_initiative_id_fkey;
ALTER TABLE initiative_evidence DROP CONSTRAINT initiative_evidence_initiative_id_fkey;
ALTER TABLE initiative_units DROP CONSTRAINT initiative_units_initiative_id_fkey;
ALTER TABLE inspection_checklist DROP CONSTRAINT inspection_checklist_inspection_id_fkey;
ALTER TABLE inspection_findings DROP CONSTRAINT inspection_findings_inspection_id_fkey;
ALTER TABLE inspection_remedies DROP CONSTRAINT inspection_remedies_finding_id_fkey;
ALTER TABLE inspection_remedies DROP CONSTRAINT inspection_remedies_task_id_fkey;
ALTER TABLE payment_dues DROP CONSTRAINT payment_dues_dossier_id_fkey;
ALTER TABLE payments DROP CONSTRAINT payments_dossier_id_fkey;
ALTER TABLE periodic_report_events DROP CONSTRAINT periodic_report_events_report_id_fkey;
ALTER TABLE reform_evidence DROP CONSTRAINT reform_evidence_task_id_fkey;
ALTER TABLE reform_task_events DROP CONSTRAINT reform_task_events_task_id_fkey;
ALTER TABLE reform_task_links DROP CONSTRAINT reform_task_links_task_id_fkey;
ALTER TABLE reform_tasks DROP CONSTRAINT reform_tasks_parent_id_fkey;
ALTER TABLE reform_tasks DROP CONSTRAINT reform_tasks_plan_id_fkey;
ALTER TABLE survey_answers DROP CONSTRAINT survey_answers_response_id_fkey;
ALTER TABLE survey_invitations DROP CONSTRAINT survey_invitations_round_fkey;
ALTER TABLE survey_paper DROP CONSTRAINT survey_paper_round_fkey;
ALTER TABLE survey_paper_resolved DROP CONSTRAINT survey_paper_resolved_round_fkey;
ALTER TABLE survey_responses DROP CONSTRAINT survey_responses_round_fkey;
ALTER TABLE survey_strata DROP CONSTRAINT survey_strata_round_fkey;

-- every primary key and unique constraint, province last
ALTER TABLE dialogue_commitments DROP CONSTRAINT dialogue_commitments_pkey, ADD CONSTRAINT dialogue_commitments_pkey PRIMARY KEY (id, province);
ALTER TABLE dialogues DROP CONSTRAINT dialogues_pkey, ADD CONSTRAINT dialogues_pkey PRIMARY KEY (id, province);
ALTER TABLE digi_components DROP CONSTRAINT digi_components_pkey, ADD CONSTRAINT digi_components_pkey PRIMARY KEY (id, province);
ALTER TABLE digi_results DROP CONSTRAINT digi_results_pkey, ADD CONSTRAINT digi_results_pkey PRIMARY KEY (result_no, province);
ALTER TABLE dossier_apologies DROP CONSTRAINT dossier_apologies_pkey, ADD CONSTRAINT dossier_apologies_pkey PRIMARY KEY (dossier_id, seq, province);
ALTER TABLE dossier_documents DROP CONSTRAINT dossier_documents_pkey, ADD CONSTRAINT dossier_documents_pkey PRIMARY KEY (dossier_id, seq, province);
ALTER TABLE dossier_ratings DROP CONSTRAINT dossier_ratings_pkey, ADD CONSTRAINT dossier_ratings_pkey PRIMARY KEY (dossier_id, province);
ALTER TABLE dossier_steps DROP CONSTRAINT dossier_steps_pkey, ADD CONSTRAINT dossier_steps_pkey PRIMARY KEY (dossier_id, seq, province);
ALTER TABLE dossier_stops DROP CONSTRAINT dossier_stops_pkey, ADD CONSTRAINT dossier_stops_pkey PRIMARY KEY (dossier_id, seq, province);
ALTER TABLE dossiers DROP CONSTRAINT dossiers_pkey, ADD CONSTRAINT dossiers_pkey PRIMARY KEY (id, province);
ALTER TABLE efile_documents DROP CONSTRAINT efile_documents_pkey, ADD CONSTRAINT efile_documents_pkey PRIMARY KEY (filing_id, doc_index, province);
ALTER TABLE efile_filings DROP CONSTRAINT efile_filings_pkey, ADD CONSTRAINT efile_filings_pkey PRIMARY KEY (id, province);
ALTER TABLE events DROP CONSTRAINT events_pkey, ADD CONSTRAINT events_pkey PRIMARY KEY (id, province);
ALTER TABLE feedback DROP CONSTRAINT feedback_pkey, ADD CONSTRAINT feedback_pkey PRIMARY KEY (id, province);
ALTER TABLE feedback_events DROP CONSTRAINT feedback_events_pkey, ADD CONSTRAINT feedback_events_pkey PRIMARY KEY (feedback_id, seq, province);
ALTER TABLE feedback_files DROP CONSTRAINT feedback_files_pkey, ADD CONSTRAINT feedback_files_pkey PRIMARY KEY (id, province);
ALTER TABLE initiative_events DROP CONSTRAINT initiative_events_pkey, ADD CONSTRAINT initiative_events_pkey PRIMARY KEY (id, province);
ALTER TABLE initiative_evidence DROP CONSTRAINT initiative_evidence_pkey, ADD CONSTRAINT initiative_evidence_pkey PRIMARY KEY (id, province);
ALTER TABLE initiative_units DROP CONSTRAINT initiative_units_pkey, ADD CONSTRAINT initiative_units_pkey PRIMARY KEY (initiative_id, unit_code, province);
ALTER TABLE initiatives DROP CONSTRAINT initiatives_pkey, ADD CONSTRAINT initiatives_pkey PRIMARY KEY (id, province);
ALTER TABLE inspection_checklist DROP CONSTRAINT inspection_checklist_pkey, ADD CONSTRAINT inspection_checklist_pkey PRIMARY KEY (inspection_id, seq, province);
ALTER TABLE inspection_findings DROP CONSTRAINT inspection_findings_pkey, ADD CONSTRAINT inspection_findings_pkey PRIMARY KEY (id, province);
ALTER TABLE inspection_remedies DROP CONSTRAINT inspection_remedies_pkey, ADD CONSTRAINT inspection_remedies_pkey PRIMARY KEY (finding_id, task_id, province);
ALTER TABLE inspections DROP CONSTRAINT inspections_pkey, ADD CONSTRAINT inspections_pkey PRIMARY KEY (id, province);
ALTER TABLE payment_dues DROP CONSTRAINT payment_dues_pkey, ADD CONSTRAINT payment_dues_pkey PRIMARY KEY (dossier_id, province);
ALTER TABLE payments DROP CONSTRAINT payments_pkey, ADD CONSTRAINT payments_pkey PRIMARY KEY (id, province);
ALTER TABLE periodic_report_events DROP CONSTRAINT periodic_report_events_pkey, ADD CONSTRAINT periodic_report_events_pkey PRIMARY KEY (id, province);
ALTER TABLE periodic_reports DROP CONSTRAINT periodic_reports_pkey, ADD CONSTRAINT periodic_reports_pkey PRIMARY KEY (id, province);
ALTER TABLE queue_appointments DROP CONSTRAINT queue_appointments_pkey, ADD CONSTRAINT queue_appointments_pkey PRIMARY KEY (id, province);
ALTER TABLE queue_tickets DROP CONSTRAINT queue_tickets_pkey, ADD CONSTRAINT queue_tickets_pkey PRIMARY KEY (id, province);
ALTER TABLE reform_evidence DROP CONSTRAINT reform_evidence_pkey, ADD CONSTRAINT reform_evidence_pkey PRIMARY KEY (id, province);
ALTER TABLE reform_plans DROP CONSTRAINT reform_plans_pkey, ADD CONSTRAINT reform_plans_pkey PRIMARY KEY (id, province);
ALTER TABLE reform_task_events DROP CONSTRAINT reform_task_events_pkey, ADD CONSTRAINT reform_task_events_pkey PRIMARY KEY (id, province);
ALTER TABLE reform_task_links DROP CONSTRAINT reform_task_links_pkey, ADD CONSTRAINT reform_task_links_pkey PRIMARY KEY (task_id, province);
ALTER TABLE reform_tasks DROP CONSTRAINT reform_tasks_pkey, ADD CONSTRAINT reform_tasks_pkey PRIMARY KEY (id, province);
ALTER TABLE survey_answers DROP CONSTRAINT survey_answers_pkey, ADD CONSTRAINT survey_answers_pkey PRIMARY KEY (response_id, question, province);
ALTER TABLE survey_invitations DROP CONSTRAINT survey_invitations_pkey, ADD CONSTRAINT survey_invitations_pkey PRIMARY KEY (id, province);
ALTER TABLE survey_paper DROP CONSTRAINT survey_paper_pkey, ADD CONSTRAINT survey_paper_pkey PRIMARY KEY (round, form_no, pass, province);
ALTER TABLE survey_paper_resolved DROP CONSTRAINT survey_paper_resolved_pkey, ADD CONSTRAINT survey_paper_resolved_pkey PRIMARY KEY (round, form_no, province);
ALTER TABLE survey_responses DROP CONSTRAINT survey_responses_pkey, ADD CONSTRAINT survey_responses_pkey PRIMARY KEY (id, province);
ALTER TABLE survey_rounds DROP CONSTRAINT survey_rounds_pkey, ADD CONSTRAINT survey_rounds_pkey PRIMARY KEY (code, province);
ALTER TABLE survey_strata DROP CONSTRAINT survey_strata_pkey, ADD CONSTRAINT survey_strata_pkey PRIMARY KEY (round, unit_code, stratum, province);
ALTER TABLE digi_components DROP CONSTRAINT digi_components_dossier_code_doc_index_key, ADD CONSTRAINT digi_components_dossier_code_doc_index_key UNIQUE (dossier_code, doc_index, province);
ALTER TABLE digi_results DROP CONSTRAINT digi_results_dossier_code_key, ADD CONSTRAINT digi_results_dossier_code_key UNIQUE (dossier_code, province);
ALTER TABLE dossiers DROP CONSTRAINT dossiers_code_key, ADD CONSTRAINT dossiers_code_key UNIQUE (code, province);
ALTER TABLE dossiers DROP CONSTRAINT dossiers_unit_code_day_seq_key, ADD CONSTRAINT dossiers_unit_code_day_seq_key UNIQUE (unit_code, day, seq, province);
ALTER TABLE efile_filings DROP CONSTRAINT efile_filings_dossier_code_key, ADD CONSTRAINT efile_filings_dossier_code_key UNIQUE (dossier_code, province);
ALTER TABLE events DROP CONSTRAINT events_dossier_id_dossier_seq_key, ADD CONSTRAINT events_dossier_id_dossier_seq_key UNIQUE (dossier_id, dossier_seq, province);
ALTER TABLE feedback DROP CONSTRAINT feedback_code_key, ADD CONSTRAINT feedback_code_key UNIQUE (code, province);
ALTER TABLE inspection_remedies DROP CONSTRAINT inspection_remedies_task_id_key, ADD CONSTRAINT inspection_remedies_task_id_key UNIQUE (task_id, province);
ALTER TABLE payments DROP CONSTRAINT payments_ref_key, ADD CONSTRAINT payments_ref_key UNIQUE (ref, province);
ALTER TABLE payments DROP CONSTRAINT payments_unit_code_receipt_year_receipt_no_key, ADD CONSTRAINT payments_unit_code_receipt_year_receipt_no_key UNIQUE (unit_code, receipt_year, receipt_no, province);
ALTER TABLE periodic_reports DROP CONSTRAINT periodic_reports_unit_code_year_period_key, ADD CONSTRAINT periodic_reports_unit_code_year_period_key UNIQUE (unit_code, year, period, province);
ALTER TABLE queue_appointments DROP CONSTRAINT queue_appointments_code_key, ADD CONSTRAINT queue_appointments_code_key UNIQUE (code, province);
ALTER TABLE queue_tickets DROP CONSTRAINT queue_tickets_unit_day_number_key, ADD CONSTRAINT queue_tickets_unit_day_number_key UNIQUE (unit, day, number, province);
ALTER TABLE reform_plans DROP CONSTRAINT reform_plans_unit_code_year_key, ADD CONSTRAINT reform_plans_unit_code_year_key UNIQUE (unit_code, year, province);
ALTER TABLE survey_invitations DROP CONSTRAINT survey_invitations_token_hash_key, ADD CONSTRAINT survey_invitations_token_hash_key UNIQUE (token_hash, province);
DROP INDEX survey_invitations_business;
CREATE UNIQUE INDEX survey_invitations_business ON survey_invitations (round, unit_code, business, province);
ALTER TABLE par_evidence DROP CONSTRAINT par_evidence_pkey, ADD CONSTRAINT par_evidence_pkey PRIMARY KEY (id, province);
ALTER TABLE par_metric_dossiers DROP CONSTRAINT par_metric_dossiers_pkey, ADD CONSTRAINT par_metric_dossiers_pkey PRIMARY KEY (round_id, unit_code, node_code, dossier_id, province);
ALTER TABLE par_metrics DROP CONSTRAINT par_metrics_pkey, ADD CONSTRAINT par_metrics_pkey PRIMARY KEY (round_id, unit_code, node_code, province);
ALTER TABLE par_round_phases DROP CONSTRAINT par_round_phases_pkey, ADD CONSTRAINT par_round_phases_pkey PRIMARY KEY (round_id, phase, province);
ALTER TABLE par_round_units DROP CONSTRAINT par_round_units_pkey, ADD CONSTRAINT par_round_units_pkey PRIMARY KEY (round_id, unit_code, province);
ALTER TABLE par_rounds DROP CONSTRAINT par_rounds_pkey, ADD CONSTRAINT par_rounds_pkey PRIMARY KEY (id, province);
ALTER TABLE par_score_changes DROP CONSTRAINT par_score_changes_pkey, ADD CONSTRAINT par_score_changes_pkey PRIMARY KEY (id, province);
ALTER TABLE par_scores DROP CONSTRAINT par_scores_pkey, ADD CONSTRAINT par_scores_pkey PRIMARY KEY (round_id, unit_code, node_code, province);
ALTER TABLE par_targets DROP CONSTRAINT par_targets_pkey, ADD CONSTRAINT par_targets_pkey PRIMARY KEY (round_id, unit_code, province);
ALTER TABLE reminders DROP CONSTRAINT reminders_pkey, ADD CONSTRAINT reminders_pkey PRIMARY KEY (id, province);
ALTER TABLE par_rounds DROP CONSTRAINT par_rounds_code_key, ADD CONSTRAINT par_rounds_code_key UNIQUE (code, province);
ALTER TABLE reminders DROP CONSTRAINT reminders_kind_item_stage_due_day_recipient_key, ADD CONSTRAINT reminders_kind_item_stage_due_day_recipient_key UNIQUE (kind, item, stage, due_day, recipient, province);

-- the foreign keys again, paired on province
ALTER TABLE dialogue_commitments ADD CONSTRAINT dialogue_commitments_dialogue_id_fkey FOREIGN KEY (dialogue_id, province) REFERENCES dialogues (id, province);
ALTER TABLE digi_components ADD CONSTRAINT digi_components_dossier_code_fkey FOREIGN KEY (dossier_code, province) REFERENCES dossiers (code, province);
ALTER TABLE digi_results ADD CONSTRAINT digi_results_dossier_code_fkey FOREIGN KEY (dossier_code, province) REFERENCES dossiers (code, province);
ALTER TABLE dossier_apologies ADD CONSTRAINT dossier_apologies_dossier_id_fkey FOREIGN KEY (dossier_id, province) REFERENCES dossiers (id, province);
ALTER TABLE dossier_documents ADD CONSTRAINT dossier_documents_dossier_id_fkey FOREIGN KEY (dossier_id, province) REFERENCES dossiers (id, province);
ALTER TABLE dossier_ratings ADD CONSTRAINT dossier_ratings_dossier_id_fkey FOREIGN KEY (dossier_id, province) REFERENCES dossiers (id, province);
ALTER TABLE dossier_steps ADD CONSTRAINT dossier_steps_dossier_id_fkey FOREIGN KEY (dossier_id, province) REFERENCES dossiers (id, province);
ALTER TABLE dossier_stops ADD CONSTRAINT dossier_stops_dossier_id_fkey FOREIGN KEY (dossier_id, province) REFERENCES dossiers (id, province);
ALTER TABLE efile_documents ADD CONSTRAINT efile_documents_filing_id_fkey FOREIGN KEY (filing_id, province) REFERENCES efile_filings (id, province);
ALTER TABLE efile_filings ADD CONSTRAINT efile_filings_dossier_code_fkey FOREIGN KEY (dossier_code, province) REFERENCES dossiers (code, province);
ALTER TABLE events ADD CONSTRAINT events_dossier_id_fkey FOREIGN KEY (dossier_id, province) REFERENCES dossiers (id, province);
ALTER TABLE feedback_events ADD CONSTRAINT feedback_events_feedback_id_fkey FOREIGN KEY (feedback_id, province) REFERENCES feedback (id, province);
ALTER TABLE feedback_files ADD CONSTRAINT feedback_files_feedback_id_fkey FOREIGN KEY (feedback_id, province) REFERENCES feedback (id, province);
ALTER TABLE initiative_events ADD CONSTRAINT initiative_events_initiative_id_fkey FOREIGN KEY (initiative_id, province) REFERENCES initiatives (id, province);
ALTER TABLE initiative_evidence ADD CONSTRAINT initiative_evidence_initiative_id_fkey FOREIGN KEY (initiative_id, province) REFERENCES initiatives (id, province);
ALTER TABLE initiative_units ADD CONSTRAINT initiative_units_initiative_id_fkey FOREIGN KEY (initiative_id, province) REFERENCES initiatives (id, province);
ALTER TABLE inspection_checklist ADD CONSTRAINT inspection_checklist_inspection_id_fkey FOREIGN KEY (inspection_id, province) REFERENCES inspections (id, province);
ALTER TABLE inspection_findings ADD CONSTRAINT inspection_findings_inspection_id_fkey FOREIGN KEY (inspection_id, province) REFERENCES inspections (id, province);
ALTER TABLE inspection_remedies ADD CONSTRAINT inspection_remedies_finding_id_fkey FOREIGN KEY (finding_id, province) REFERENCES inspection_findings (id, province);
ALTER TABLE inspection_remedies ADD CONSTRAINT inspection_remedies_task_id_fkey FOREIGN KEY (task_id, province) REFERENCES reform_tasks (id, province);
ALTER TABLE payment_dues ADD CONSTRAINT payment_dues_dossier_id_fkey FOREIGN KEY (dossier_id, province) REFERENCES dossiers (id, province);
ALTER TABLE payments ADD CONSTRAINT payments_dossier_id_fkey FOREIGN KEY (dossier_id, province) REFERENCES dossiers (id, province);
ALTER TABLE periodic_report_events ADD CONSTRAINT periodic_report_events_report_id_fkey FOREIGN KEY (report_id, province) REFERENCES periodic_reports (id, province);
ALTER TABLE reform_evidence ADD CONSTRAINT reform_evidence_task_id_fkey FOREIGN KEY (task_id, province) REFERENCES reform_tasks (id, province);
ALTER TABLE reform_task_events ADD CONSTRAINT reform_task_events_task_id_fkey FOREIGN KEY (task_id, province) REFERENCES reform_tasks (id, province);
ALTER TABLE reform_task_links ADD CONSTRAINT reform_task_links_task_id_fkey FOREIGN KEY (task_id, province) REFERENCES reform_tasks (id, province);
ALTER TABLE reform_tasks ADD CONSTRAINT reform_tasks_parent_id_fkey FOREIGN KEY (parent_id, province) REFERENCES reform_tasks (id, province);
ALTER TABLE reform_tasks ADD CONSTRAINT reform_tasks_plan_id_fkey FOREIGN KEY (plan_id, province) REFERENCES reform_plans (id, province);
ALTER TABLE survey_answers ADD CONSTRAINT survey_answers_response_id_fkey FOREIGN KEY (response_id, province) REFERENCES survey_responses (id, province);
ALTER TABLE survey_invitations ADD CONSTRAINT survey_invitations_round_fkey FOREIGN KEY (round, province) REFERENCES survey_rounds (code, province);
ALTER TABLE survey_paper ADD CONSTRAINT survey_paper_round_fkey FOREIGN KEY (round, province) REFERENCES survey_rounds (code, province);
ALTER TABLE survey_paper_resolved ADD CONSTRAINT survey_paper_resolved_round_fkey FOREIGN KEY (round, province) REFERENCES survey_rounds (code, province);
ALTER TABLE survey_responses ADD CONSTRAINT survey_responses_round_fkey FOREIGN KEY (round, province) REFERENCES survey_rounds (code, province);
ALTER TABLE survey_strata ADD CONSTRAINT survey_strata_round_fkey FOREIGN KEY (round, province) REFERENCES survey_rounds (code, province);
ALTER TABLE par_evidence ADD CONSTRAINT par_evidence_round_id_unit_code_fkey FOREIGN KEY (round_id, unit_code, province) REFERENCES par_round_units (round_id, unit_code, province);
ALTER TABLE par_metrics ADD CONSTRAINT par_metrics_round_id_unit_code_fkey FOREIGN KEY (round_id, unit_code, province) REFERENCES par_round_units (round_id, unit_code, province);
ALTER TABLE par_round_phases ADD CONSTRAINT par_round_phases_round_id_fkey FOREIGN KEY (round_id, province) REFERENCES par_rounds (id, province);
ALTER TABLE par_round_units ADD CONSTRAINT par_round_units_round_id_fkey FOREIGN KEY (round_id, province) REFERENCES par_rounds (id, province);
ALTER TABLE par_score_changes ADD CONSTRAINT par_score_changes_round_id_unit_code_fkey FOREIGN KEY (round_id, unit_code, province) REFERENCES par_round_units (round_id, unit_code, province);
ALTER TABLE par_scores ADD CONSTRAINT par_scores_round_id_unit_code_fkey FOREIGN KEY (round_id, unit_code, province) REFERENCES par_round_units (round_id, unit_code, province);
ALTER TABLE par_targets ADD CONSTRAINT par_targets_round_id_unit_code_fkey FOREIGN KEY (round_id, unit_code, province) REFERENCES par_round_units (round_id, unit_code, province);
