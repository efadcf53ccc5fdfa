/* routes.c — the one route table of the HTTP API: method, path pattern, handler, the roles
 * allowed, whether the CSRF token is required and whether the resource belongs to a unit.
 * Adding an endpoint is one row here plus its handler; docs/openapi.yaml lists the same
 * routes (a test checks both ways) and the authorisation matrix test is generated from
 * `cchc serve --print-routes`, so a new row cannot skip either.
 *
 * Who does which dossier action is a column of the actions' table, DOSSIER_ACTIONS in
 * src/core/dossier.h, with its legal source. */
#include <string.h>

#include "dossier.h"
#include "feedback.h"
#include "inspection.h"
#include "initiative.h"
#include "reform.h"
#include "preport.h"
#include "preport_http.h"
#include "http.h"
#include "queue.h"

#define DESK   RB(UROLE_DESK_OFFICER)
#define SPEC   RB(UROLE_SPECIALIST)
#define LEAD   RB(UROLE_LEADER)
#define ADMIN  RB(UROLE_ADMIN)
#define STAFF  (DESK | SPEC | LEAD | ADMIN) /* officers who read their units' dossiers */
#define PUBLIC 0u

#define ACTION(path, act, roles, text)                                                             \
    {                                                                                              \
        "POST", "/api/dossiers/{code}/" path, h_dossier_action, roles, 1, SCOPE_UNIT, act, text    \
    }

const struct route routes[] = {
    {"GET", "/healthz", h_health, PUBLIC, 0, SCOPE_NONE, 0, "liveness and database check"},
    {"GET", "/metrics", h_metrics, PUBLIC, 0, SCOPE_NONE, 0, "Prometheus metrics"},
    {"POST", "/api/session", h_login, PUBLIC, 0, SCOPE_NONE, 0, "sign in (sets the cookie)"},
    {"GET", "/api/session", h_whoami, ROLES_ALL_USERS, 0, SCOPE_NONE, 0, "the signed-in user"},
    {"DELETE", "/api/session", h_logout, ROLES_ALL_USERS, 1, SCOPE_NONE, 0, "sign out"},
    {"GET", "/api/session/totp", h_totp_status, ROLES_ALL_USERS, 0, SCOPE_NONE, 0,
     "the signed-in user's second factor: enrolled, pending, recovery codes left"},
    {"POST", "/api/session/totp", h_totp_begin, ROLES_ALL_USERS, 1, SCOPE_NONE, 0,
     "start enrolling a second factor (TOTP): a new secret, its otpauth URI and QR code"},
    {"POST", "/api/session/totp/confirm", h_totp_confirm, ROLES_ALL_USERS, 1, SCOPE_NONE, 0,
     "confirm the second factor with a first code; answers the recovery codes once"},
    {"GET", "/api/units", h_units_list, PUBLIC, 0, SCOPE_NONE, 0, "the unit tree"},
    {"GET", "/api/units/{unit}", h_unit_get, PUBLIC, 0, SCOPE_NONE, 0, "one unit"},
    {"POST", "/api/units", h_unit_create, ADMIN, 1, SCOPE_UNIT, 0,
     "create a unit under a unit of the administrator's scope"},
    {"PUT", "/api/units/{unit}", h_unit_edit, ADMIN, 1, SCOPE_UNIT, 0,
     "edit a unit of the scope: name, kind, parent, identifier code (the code stays)"},
    {"GET", "/api/units/{unit}/changes", h_unit_changes, ADMIN, 0, SCOPE_UNIT, 0,
     "who created, edited or merged a unit of the scope, and when"},
    {"POST", "/api/unit-mergers", h_unit_merge, ADMIN, 1, SCOPE_UNIT, 0,
     "record a merger: units of the scope end the day before a date, with one successor"},
    {"PUT", "/api/units/{unit}/contact", h_unit_contact_put, ADMIN, 1, SCOPE_UNIT, 0,
     "set where citizens go and call for a unit (its desk's address, phone, hours)"},
    {"GET", "/api/procedures", h_procedures_list, PUBLIC, 0, SCOPE_NONE, 0,
     "search the procedures catalogue"},
    {"GET", "/api/procedures/{procedure}", h_procedure_get, PUBLIC, 0, SCOPE_NONE, 0,
     "one procedure"},
    {"PUT", "/api/procedures/{procedure}", h_procedure_put, ADMIN, 1, SCOPE_NONE, 0,
     "change a procedure's attributes (a province's administrator)"},
    {"GET", "/api/calendar/decisions", h_calendar_decisions, ADMIN, 0, SCOPE_NONE, 0,
     "the calendar decisions recorded (days off, swaps), newest first"},
    {"POST", "/api/calendar/decisions", h_calendar_decision_add, ADMIN, 1, SCOPE_NONE, 0,
     "record a Government decision on days off (province administrator)"},
    {"DELETE", "/api/calendar/decisions/{id}", h_calendar_decision_delete, ADMIN, 1, SCOPE_NONE, 0,
     "delete a calendar decision not yet in effect (province administrator)"},
    {"GET", "/api/calendar/{year}", h_calendar_year, PUBLIC, 0, SCOPE_NONE, 0,
     "every day of a year: working, weekend, holiday, swapped, with its source"},
    {"GET", "/api/procedures/{procedure}/steps", h_procedure_steps_get, ADMIN, 0, SCOPE_NONE, 0,
     "a procedure's step versions by effective day and its change log"},
    {"PUT", "/api/procedures/{procedure}/steps", h_procedure_steps_put, ADMIN, 1, SCOPE_NONE, 0,
     "set a procedure's steps from a day on (a province's administrator)"},
    {"GET", "/api/dossiers", h_dossiers_list, STAFF, 0, SCOPE_UNIT, 0,
     "list, filter and page dossiers"},
    {"POST", "/api/dossiers", h_dossier_create, DESK, 1, SCOPE_UNIT, 0,
     "receive a dossier (or record an online submission)"},
    {"GET", "/api/dossiers/{code}", h_dossier_get, STAFF, 0, SCOPE_UNIT, 0, "one dossier"},
    {"GET", "/api/dossiers/{code}/history", h_dossier_history, STAFF, 0, SCOPE_UNIT, 0,
     "events, steps, stops and apologies of a dossier"},
    {"GET", "/api/dossiers/{code}/assignees", h_dossier_assignees, STAFF, 0, SCOPE_UNIT, 0,
     "the officers who can take the dossier's next step, closest unit first"},
    {"GET", "/api/dossiers/{code}/forms/{form}", h_dossier_form, STAFF, 0, SCOPE_UNIT, 0,
     "a form of a dossier (Mẫu 01-06) as an A4 PDF with its verification QR code"},
    {"GET", "/api/dossiers/{code}/components", h_components_list, STAFF, 0, SCOPE_UNIT, 0,
     "digitised components of a dossier (what, by whom, when)"},
    {"POST", "/api/dossiers/{code}/components", h_component_add, DESK, 1, SCOPE_UNIT, 0,
     "digitise a component: a scanned or uploaded file (base64)"},
    {"POST", "/api/dossiers/{code}/components/reuse", h_component_reuse, DESK, 1, SCOPE_UNIT, 0,
     "take a component from the electronic results registry (same citizen)"},
    {"GET", "/api/dossiers/{code}/components/{doc}", h_component_file, STAFF, 0, SCOPE_UNIT, 0,
     "download a digitised component"},
    {"POST", "/api/dossiers/{code}/result", h_result_add, DESK | SPEC, 1, SCOPE_UNIT, 0,
     "register the electronic result (PDF) of a solved dossier"},
    {"GET", "/api/dossiers/{code}/result", h_result_get, STAFF, 0, SCOPE_UNIT, 0,
     "the electronic result, its signature layers and their verification"},
    {"GET", "/api/dossiers/{code}/result/file", h_result_file, STAFF, 0, SCOPE_UNIT, 0,
     "download the electronic result"},
    {"POST", "/api/dossiers/{code}/result/sign-person", h_result_sign_person, LEAD, 1, SCOPE_UNIT,
     0, "signature layer 1: the competent person's personal certificate"},
    {"POST", "/api/dossiers/{code}/result/sign-clerk", h_result_sign_clerk, DESK, 1, SCOPE_UNIT, 0,
     "signature layer 2: the clerk with the agency certificate, after layer 1"},
    {"GET", "/api/results", h_results_find, STAFF, 0, SCOPE_NONE, 0,
     "electronic results registry: by result number or citizen ID, within the user's scope"},
    {"POST", "/api/signatures/verify", h_signature_verify, PUBLIC, 0, SCOPE_NONE, 0,
     "verify a document's two-layer signature file: signers, times, chain, unchanged"},
    {"GET", "/api/digitise/indicators", h_digitise_indicators, STAFF, 0, SCOPE_UNIT, 0,
     "Decision 766 digitisation indicators 4.1-4.3 from per-component facts, with drill-down"},
    {"GET", "/api/surveys", h_surveys_list, STAFF | RB(UROLE_PAR_ASSESSOR), 0, SCOPE_NONE, 0,
     "survey rounds (SIPAS, DDCI) with invitations and responses counted"},
    {"GET", "/api/surveys/{round}/results", h_survey_results, STAFF | RB(UROLE_PAR_ASSESSOR), 0,
     SCOPE_NONE, 0,
     "a survey round's indices per unit of the caller's scope: components, questions, 95% "
     "intervals, ranks, the below-minimum flag"},
    {"GET", "/api/surveys/{round}/invitations", h_survey_invitations, STAFF, 0, SCOPE_NONE, 0,
     "a survey round's invitations in the caller's scope (dossier codes until answered)"},
    {"GET", "/api/public/surveys/{round}", h_survey_public, PUBLIC, 0, SCOPE_NONE, 0,
     "a survey round's published results: index and components per unit, sample sizes"},
    {"GET", "/api/survey-form/{token}", h_survey_form, PUBLIC, 0, SCOPE_NONE, 0,
     "the questionnaire a one-time survey link opens"},
    {"POST", "/api/survey-form/{token}", h_survey_answer, PUBLIC, 0, SCOPE_NONE, 0,
     "answer the questionnaire once (anonymous: the link to the dossier is dropped)"},
    {"POST", "/api/dossiers/{code}/result-slip", h_dossier_result_slip, STAFF, 1, SCOPE_UNIT, 0,
     "the result slip (PDF) with the survey invitation's QR code when the dossier was sampled"},
    {"POST", "/api/surveys/{round}/notify", h_survey_notify, LEAD | ADMIN, 1, SCOPE_NONE, 0,
     "send a survey round's unsent invitations of the caller's scope through the outbox"},
    {"POST", "/api/surveys/{round}/businesses", h_survey_businesses, LEAD | ADMIN, 1, SCOPE_NONE, 0,
     "DDCI: a unit's businesses for a survey round, from its dossiers or an imported list"},
    {"GET", "/api/surveys/{round}/paper", h_survey_paper_list, STAFF, 0, SCOPE_NONE, 0,
     "paper forms of a survey round in the caller's scope: entries, differences, strata"},
    {"POST", "/api/surveys/{round}/paper", h_survey_paper_enter, STAFF, 1, SCOPE_NONE, 0,
     "type one entry (1 or 2, by two officers) of a paper survey form"},
    {"POST", "/api/surveys/{round}/paper/{form}/resolve", h_survey_paper_resolve, STAFF, 1,
     SCOPE_NONE, 0, "decide the fields a paper form's two entries differ on; it then counts"},
    {"POST", "/api/surveys/{round}/to-par", h_survey_to_par, RB(UROLE_PAR_ASSESSOR), 1, SCOPE_NONE,
     0, "survey figures into a PAR round's survey criteria"},
    {"GET", "/api/public/surveys/{round}/export", h_survey_export, PUBLIC, 0, SCOPE_NONE, 0,
     "a survey round's published results as xlsx, pdf, csv or json, with sample sizes"},
    {"GET", "/verify/{code}", h_verify_page, PUBLIC, 0, SCOPE_NONE, 0,
     "the page a printed form's QR code opens: authentic or not, with masked key data"},
    {"GET", "/api/verify/{code}", h_verify_json, PUBLIC, 0, SCOPE_NONE, 0,
     "verification of a printed form's QR token as JSON"},
    {"GET", "/api/stats", h_stats, STAFF, 0, SCOPE_UNIT, 0,
     "figures and rates (with their denominators) of a unit subtree for a period"},
    {"GET", "/api/stats/units", h_stats_units, STAFF, 0, SCOPE_UNIT, 0,
     "the dashboard: figures of every unit under a unit for a period"},
    {"GET", "/api/stats/dossiers", h_stats_dossiers, STAFF, 0, SCOPE_UNIT, 0,
     "drill-down: the dossiers a figure counts"},
    {"GET", "/api/public/stats", h_public_stats, PUBLIC, 0, SCOPE_NONE, 0,
     "public: results of a unit and its child units for a period, and the 766 index ranking"},
    {"GET", "/api/stats/officers", h_stats_officers, STAFF, 0, SCOPE_UNIT, 0,
     "steps finished and late per unit, officer and step, with their dossiers"},
    {"GET", "/api/reports/{report}", h_report, STAFF, 0, SCOPE_UNIT, 0,
     "statistics reports (JSON, CSV, xlsx, PDF): summary, book (Mẫu 07; 06 before 15/9/2025), "
     "index (QĐ "
     "766)"},
    {"GET", "/api/backdated", h_backdated, LEAD | ADMIN, 0, SCOPE_UNIT, 0,
     "actions recorded with a time earlier than the backdating tolerance, by unit and officer"},
    {"GET", "/api/par/rounds", h_par_rounds, STAFF | RB(UROLE_PAR_ASSESSOR), 0, SCOPE_NONE, 0,
     "PAR index: the assessment rounds and their phases"},
    {"POST", "/api/par/rounds", h_par_round_create, ADMIN, 1, SCOPE_NONE, 0,
     "PAR index: create a round (its units: the set's scope under the administrator's unit)"},
    {"GET", "/api/par/sets", h_par_sets, ADMIN | RB(UROLE_PAR_ASSESSOR), 0, SCOPE_NONE, 0,
     "PAR index: the criteria sets stored, for a new round"},
    {"GET", "/api/par/rounds/{round}/results", h_par_results, STAFF | RB(UROLE_PAR_ASSESSOR), 0,
     SCOPE_NONE, 0, "PAR index: totals, areas, ranks, change and targets of a round"},
    {"POST", "/api/par/rounds/{round}/units/{unit}/self", h_par_self, SPEC | LEAD, 1, SCOPE_UNIT, 0,
     "PAR index: the unit's self-assessment of one criterion"},
    {"POST", "/api/par/rounds/{round}/units/{unit}/appraisal", h_par_appraise,
     RB(UROLE_PAR_ASSESSOR), 1, SCOPE_UNIT, 0, "PAR index: the council's appraised score"},
    {"POST", "/api/par/rounds/{round}/publish", h_par_publish, ADMIN, 1, SCOPE_NONE, 0,
     "PAR index: publish a round, freezing its scores"},
    {"GET", "/api/par/rounds/{round}", h_par_round_get, STAFF | RB(UROLE_PAR_ASSESSOR), 0,
     SCOPE_NONE, 0, "PAR index: a round's criteria tree, phase and units"},
    {"POST", "/api/par/rounds/{round}/close-phase", h_par_close_phase, ADMIN, 1, SCOPE_NONE, 0,
     "PAR index: close the self-assessment or appraisal phase"},
    {"POST", "/api/par/rounds/{round}/survey", h_par_survey, RB(UROLE_PAR_ASSESSOR), 1, SCOPE_NONE,
     0, "PAR index: import sociological-survey points"},
    {"GET", "/api/par/rounds/{round}/units/{unit}", h_par_unit_get, STAFF | RB(UROLE_PAR_ASSESSOR),
     0, SCOPE_UNIT, 0, "PAR index: one unit's scores, metrics and evidence in a round"},
    {"GET", "/api/par/rounds/{round}/units/{unit}/dossiers", h_par_unit_dossiers,
     STAFF | RB(UROLE_PAR_ASSESSOR), 0, SCOPE_UNIT, 0,
     "PAR index: the dossiers behind a computed criterion"},
    {"GET", "/api/par/rounds/{round}/units/{unit}/evidence", h_par_evidence_list,
     STAFF | RB(UROLE_PAR_ASSESSOR), 0, SCOPE_UNIT, 0, "PAR index: a unit's evidence files"},
    {"POST", "/api/par/rounds/{round}/units/{unit}/evidence", h_par_evidence_add, SPEC | LEAD, 1,
     SCOPE_UNIT, 0, "PAR index: attach an evidence file (base64)"},
    {"GET", "/api/par/rounds/{round}/units/{unit}/evidence/{id}", h_par_evidence_get,
     STAFF | RB(UROLE_PAR_ASSESSOR), 0, SCOPE_UNIT, 0, "PAR index: download an evidence file"},
/* one route per dossier action, from the actions' table (dossier.h) */
#define ACTION_ROUTE(act, name, path, alias, flags, roles, summary)                                \
    ACTION(path, act, roles, summary),
    DOSSIER_ACTIONS(ACTION_ROUTE)
#undef ACTION_ROUTE
        {"POST", "/api/lookup", h_lookup, PUBLIC, 0, SCOPE_NONE, 0,
         "citizen: a dossier's status by code and phone or ID suffix"},
    {"POST", "/api/lookup/rating", h_rating, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: rate a returned dossier once"},
    /* dialogues with citizens and businesses and their commitments (dialogue.c) */
    {"GET", "/api/commitments", h_commitments_list, STAFF, 0, SCOPE_NONE, 0,
     "the commitments of dialogues with citizens in the caller's scope, by due day"},
    {"POST", "/api/commitments/{id}/close", h_commitment_close, SPEC | LEAD | ADMIN, 1, SCOPE_NONE,
     0, "close a dialogue's commitment with what was done"},
    {"POST", "/api/dialogues", h_dialogue_add, SPEC | LEAD | ADMIN, 1, SCOPE_NONE, 0,
     "record a dialogue a unit held with citizens and businesses"},
    {"POST", "/api/dialogues/{id}/commitments", h_commitment_add, SPEC | LEAD | ADMIN, 1,
     SCOPE_NONE, 0, "a commitment made at a dialogue: its owner and due day"},
    /* online payment (payment.c, docs/payment.md) */
    {"POST", "/api/lookup/payments", h_pay_lookup, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: the fee of a dossier and its payments, by code and phone or ID suffix"},
    {"POST", "/api/lookup/payment", h_pay_start, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: start paying a dossier's fee online; answers where to send the payer"},
    {"POST", "/api/pay/callback", h_pay_callback, PUBLIC, 0, SCOPE_NONE, 0,
     "payment provider: the signed server-to-server callback (HMAC-SHA256, idempotent)"},
    {"GET", "/api/public/payments/{ref}", h_pay_status, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: a payment's status by its reference"},
    {"POST", "/api/public/payments/{ref}/check", h_pay_check, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen, back from the provider: ask the provider now about a pending payment"},
    {"GET", "/api/public/payments/{ref}/receipt", h_pay_receipt_public, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: the numbered e-receipt of a paid payment (printable HTML)"},
    {"GET", "/api/payments", h_payments_list, STAFF, 0, SCOPE_UNIT, 0,
     "payments of the user's units (filters: day, status, dossier)"},
    {"GET", "/api/payments/reconciliation", h_payments_reconciliation, STAFF, 0, SCOPE_UNIT, 0,
     "daily reconciliation: paid, pending, failed and mismatched payments of a day"},
    {"GET", "/api/payments/{ref}/receipt", h_payment_receipt, STAFF, 0, SCOPE_UNIT, 0,
     "the numbered e-receipt of a paid payment (printable HTML)"},
    {"PUT", "/api/dossiers/{code}/fee", h_payment_due_put, DESK, 1, SCOPE_UNIT, 0,
     "set the amount of a fee the province sets, for a dossier to be paid online"},
    {"POST", "/api/payments/sync", h_payments_sync, LEAD | ADMIN, 1, SCOPE_NONE, 0,
     "ask the provider now about every pending payment and settle them"},
    /* online filing (efile.c); the desk receives or asks for changes with the dossier actions */
    {"POST", "/api/public/efile", h_efile_create, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: start filing a procedure offered online (applicant, receiving unit)"},
    {"GET", "/api/public/efile", h_efile_mine, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: the confirmed contact's own filings, their dossiers and results"},
    {"GET", "/api/public/efile/{id}", h_efile_get, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: a filing, its documents, its dossier's status and the desk's reason"},
    {"PUT", "/api/public/efile/{id}/documents/{doc}", h_efile_doc_put, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: upload a listed document as the raw body (PDF, JPEG or PNG)"},
    {"GET", "/api/public/efile/{id}/documents/{doc}", h_efile_doc_get, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: download a document of the filing"},
    {"POST", "/api/public/efile/{id}/submit", h_efile_submit, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: submit the filing (a dossier awaiting the desk), or answer a supplement request"},
    {"POST", "/api/public/efile/{id}/result", h_efile_result, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: take the electronic result online (fully online procedures)"},
    {"GET", "/api/efile", h_efile_list, STAFF, 0, SCOPE_UNIT, 0,
     "online dossiers to check (or in another status) within the unit scope"},
    {"GET", "/api/efile/{code}", h_efile_dossier, STAFF, 0, SCOPE_UNIT, 0,
     "the online filing of a dossier: applicant, documents uploaded, paper declared"},
    {"GET", "/api/efile/{code}/documents/{doc}", h_efile_dossier_doc, STAFF, 0, SCOPE_UNIT, 0,
     "open a document uploaded online"},
    /* feedback and petitions (feedback.c); the actions from core's table (feedback.h) */
    {"POST", "/api/public/feedback", h_feedback_submit, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: send feedback or a petition without an account; returns a follow-up code"},
    {"GET", "/api/public/feedback/{code}", h_feedback_public_get, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: the progress and answer of a feedback item by its follow-up code"},
    {"POST", "/api/public/feedback/{code}/rating", h_feedback_rate, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: rate the answer once"},
    {"GET", "/api/public/feedback-answers", h_feedback_published, PUBLIC, 0, SCOPE_NONE, 0,
     "search the published answers (personal data masked)"},
    {"GET", "/api/feedback", h_feedback_list, STAFF, 0, SCOPE_UNIT, 0,
     "the officers' queue of feedback within the unit scope"},
    {"GET", "/api/feedback/{code}", h_feedback_get, STAFF, 0, SCOPE_UNIT, 0,
     "one feedback item with its contact and events"},
#define FEEDBACK_ROUTE(act, name, flags, roles, summary)                                           \
    {"POST", "/api/feedback/{code}/" name, h_feedback_action, roles, 1, SCOPE_UNIT, act, summary},
    FEEDBACK_ACTIONS(FEEDBACK_ROUTE)
#undef FEEDBACK_ROUTE
        {"GET", "/api/feedback-templates", h_feedback_templates, STAFF, 0, SCOPE_UNIT, 0,
         "reply templates of a unit"},
    {"GET", "/api/feedback-stats", h_feedback_stats, STAFF, 0, SCOPE_UNIT, 0,
     "feedback handled on time, overdue and satisfaction for a unit and period"},
    /* reform management (reform.c): plans, tasks split down the unit tree, their actions */
    {"GET", "/api/reform/plans", h_reform_plans, STAFF, 0, SCOPE_UNIT, 0,
     "CCHC plans of the units in a unit's subtree"},
    {"POST", "/api/reform/plans", h_reform_plan_create, SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0,
     "create a unit's yearly CCHC plan on the PAR set in force"},
    {"GET", "/api/reform/plans/{plan}", h_reform_plan_get, STAFF, 0, SCOPE_UNIT, 0,
     "one CCHC plan: its reform areas and tasks"},
    {"GET", "/api/reform/tasks", h_reform_tasks, STAFF, 0, SCOPE_UNIT, 0,
     "CCHC tasks owned in a unit's subtree: overdue, near due, open"},
    {"POST", "/api/reform/tasks", h_reform_task_create, SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0,
     "add a task to a plan, or split a task to a unit below"},
    {"GET", "/api/reform/tasks/{task}", h_reform_task_get, STAFF, 0, SCOPE_UNIT, 0,
     "one CCHC task with its child tasks, history and evidence"},
/* one route per task action, from the actions' table (reform.h) */
#define TASK_ACTION_ROUTE(act, name, flags, summary)                                               \
    {"POST",                                                                                       \
     "/api/reform/tasks/{task}/" name,                                                             \
     h_reform_task_action,                                                                         \
     SPEC | LEAD | ADMIN,                                                                          \
     1,                                                                                            \
     SCOPE_UNIT,                                                                                   \
     act,                                                                                          \
     "CCHC task: " summary},
    TASK_ACTIONS(TASK_ACTION_ROUTE)
#undef TASK_ACTION_ROUTE
        {"POST", "/api/reform/tasks/{task}/evidence", h_reform_evidence_add, SPEC | LEAD | ADMIN, 1,
         SCOPE_UNIT, 0, "CCHC task: attach an evidence file (base64)"},
    {"GET", "/api/reform/tasks/{task}/evidence/{id}", h_reform_evidence_get, STAFF, 0, SCOPE_UNIT,
     0, "CCHC task: download an evidence file"},
    {"GET", "/api/reform/rate", h_reform_rate, STAFF, 0, SCOPE_UNIT, 0,
     "plan completion rate of a unit, with the tasks it counts"},
    /* the action tracker (action.c): tasks made from weak figures, the leaders' page */
    {"POST", "/api/reform/actions", h_action_create, LEAD | ADMIN, 1, SCOPE_UNIT, 0,
     "a task from a weak figure (PAR criterion, 766 indicator group, late dossiers)"},
    {"GET", "/api/reform/actions", h_action_list, STAFF, 0, SCOPE_UNIT, 0,
     "figures with the tasks made from them, and their progress"},
    {"GET", "/api/agenda", h_agenda, STAFF, 0, SCOPE_UNIT, 0,
     "leaders' page: overdue tasks, open remedies, overdue feedback, late dossiers"},
    /* reminders and escalations (remind.c, docs/reminders.md) */
    {"GET", "/api/reminders", h_reminders, STAFF, 0, SCOPE_NONE, 0,
     "the signed-in officer's reminders: due soon, overdue, escalated from units below"},
    {"POST", "/api/reminders/read", h_reminders_read, STAFF, 1, SCOPE_NONE, 0,
     "mark one reminder, or every one, read"},
    {"GET", "/api/session/contact", h_session_contact_get, STAFF, 0, SCOPE_NONE, 0,
     "the officer's own e-mail and mobile phone for reminders"},
    {"PUT", "/api/session/contact", h_session_contact_put, STAFF, 1, SCOPE_NONE, 0,
     "set the officer's own e-mail and mobile phone for reminders"},
    {"PUT", "/api/users/{username}/contact", h_user_contact_put, ADMIN, 1, SCOPE_UNIT, 0,
     "set an account's e-mail and mobile phone for reminders"},
    /* CCHC inspections (inspection.c): the year's plan, checklist, findings, remedies */
    {"GET", "/api/reform/inspections", h_insp_list, STAFF, 0, SCOPE_UNIT, 0,
     "CCHC inspections of a year whose inspected or inspecting unit is in a unit's subtree"},
    {"POST", "/api/reform/inspections", h_insp_create, SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0,
     "plan an inspection of a unit below the inspecting unit: team, dates, checklist"},
    {"GET", "/api/reform/inspections/{inspection}", h_insp_get, STAFF, 0, SCOPE_UNIT, 0,
     "one inspection: checklist, findings and their remedies (tasks)"},
#define INSP_ACTION_ROUTE(act, name, flags, summary)                                               \
    {"POST",                                                                                       \
     "/api/reform/inspections/{inspection}/" name,                                                 \
     h_insp_action,                                                                                \
     SPEC | LEAD | ADMIN,                                                                          \
     1,                                                                                            \
     SCOPE_UNIT,                                                                                   \
     act,                                                                                          \
     "CCHC inspection: " summary},
    INSPECTION_ACTIONS(INSP_ACTION_ROUTE)
#undef INSP_ACTION_ROUTE
        {"PUT", "/api/reform/inspections/{inspection}/checklist/{seq}", h_insp_check,
         SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0, "CCHC inspection: answer a checklist item"},
    {"POST", "/api/reform/inspections/{inspection}/findings", h_insp_finding_add,
     SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0,
     "CCHC inspection: record a strength or a shortcoming, with an evidence file (base64)"},
    {"GET", "/api/reform/inspections/{inspection}/findings/{finding}/evidence", h_insp_finding_file,
     STAFF, 0, SCOPE_UNIT, 0, "CCHC inspection: a finding's evidence file"},
    {"POST", "/api/reform/inspections/{inspection}/findings/{finding}/remedies", h_insp_remedy_add,
     SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0,
     "CCHC inspection: a remedy of a shortcoming, a task of the inspected unit's plan"},
    {"GET", "/api/reform/inspection-share", h_insp_share, STAFF, 0, SCOPE_UNIT, 0,
     "share of the units under a unit inspected in a year, unit by unit"},
    /* the periodic CCHC reports (preport.c): quarter I, 6 months, quarter III, year */
    {"GET", "/api/preports", h_preports, STAFF, 0, SCOPE_UNIT, 0,
     "periodic CCHC reports of the units in a unit's subtree, by period"},
    {"POST", "/api/preports", h_preport_create, SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0,
     "create a unit's periodic CCHC report: its figures assembled and frozen"},
    {"GET", "/api/preports/children", h_preport_children, STAFF, 0, SCOPE_UNIT, 0,
     "the reports of a unit's children for a period: submitted, draft or missing"},
    {"GET", "/api/preports/{id}", h_preport_get, STAFF, 0, SCOPE_UNIT, 0,
     "one periodic report: sections, frozen figures, history"},
    {"PUT", "/api/preports/{id}/sections", h_preport_sections, SPEC | LEAD | ADMIN, 1, SCOPE_UNIT,
     0, "periodic report: write the narrative sections (draft)"},
    {"POST", "/api/preports/{id}/refresh", h_preport_refresh, SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0,
     "periodic report: assemble the figures again (draft)"},
    {"POST", "/api/preports/{id}/consolidate", h_preport_refresh, SPEC | LEAD | ADMIN, 1,
     SCOPE_UNIT, 1, "periodic report: assemble the figures with the children's reports (draft)"},
    {"POST", "/api/preports/{id}/submit", h_preport_action, LEAD | ADMIN, 1, SCOPE_UNIT, PA_SUBMIT,
     "periodic report: submit to the parent unit"},
    {"POST", "/api/preports/{id}/accept", h_preport_action, LEAD | ADMIN, 1, SCOPE_UNIT, PA_ACCEPT,
     "periodic report: the parent unit accepts it"},
    {"POST", "/api/preports/{id}/return", h_preport_action, LEAD | ADMIN, 1, SCOPE_UNIT, PA_RETURN,
     "periodic report: the parent unit returns it with the reason"},
    {"POST", "/api/preports/{id}/reopen", h_preport_action, SPEC | LEAD | ADMIN, 1, SCOPE_UNIT,
     PA_REOPEN, "periodic report: a returned report becomes a draft again"},
    {"GET", "/api/preports/{id}/xlsx", h_preport_file, STAFF, 0, SCOPE_UNIT, 0,
     "periodic report as .xlsx (sections and annex tables)"},
    {"GET", "/api/preports/{id}/pdf", h_preport_file, STAFF, 0, SCOPE_UNIT, 1,
     "periodic report as A4 PDF (sections and annex tables)"},
    /* CCHC initiatives and models (initiative.c, src/core/initiative.c) */
    {"GET", "/api/reform/initiatives", h_initiatives, STAFF, 0, SCOPE_UNIT, 0,
     "CCHC initiatives of a unit's subtree (proposed, evaluated, applied there) and recognised"},
    {"POST", "/api/reform/initiatives", h_initiative_create, SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0,
     "propose a CCHC initiative or model of a unit"},
    {"GET", "/api/reform/initiatives/{initiative}", h_initiative_get, STAFF, 0, SCOPE_UNIT, 0,
     "one initiative with its applying units, evidence and history"},
    {"POST", "/api/reform/initiatives/{initiative}/evaluate", h_initiative_evaluate, LEAD | ADMIN,
     1, SCOPE_UNIT, 0, "the evaluating unit's council: accepted with a score, or rejected"},
    {"POST", "/api/reform/initiatives/{initiative}/recognize", h_initiative_recognize, LEAD | ADMIN,
     1, SCOPE_UNIT, 0, "record the recognition decision: number, day, level"},
    {"POST", "/api/reform/initiatives/{initiative}/withdraw", h_initiative_action,
     SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, INA_WITHDRAW, "the proposing unit withdraws it"},
    {"POST", "/api/reform/initiatives/{initiative}/resubmit", h_initiative_action,
     SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, INA_RESUBMIT, "propose a rejected initiative again"},
    {"POST", "/api/reform/initiatives/{initiative}/units", h_initiative_apply, SPEC | LEAD | ADMIN,
     1, SCOPE_UNIT, 0, "a unit applies the initiative from a day, with its result"},
    {"POST", "/api/reform/initiatives/{initiative}/evidence", h_initiative_evidence_add,
     SPEC | LEAD | ADMIN, 1, SCOPE_UNIT, 0, "initiative: attach an evidence file (base64)"},
    {"GET", "/api/reform/initiatives/{initiative}/evidence/{id}", h_initiative_evidence_get, STAFF,
     0, SCOPE_UNIT, 0, "initiative: download an evidence file"},
    {"GET", "/api/reform/initiative-count", h_initiative_count, STAFF, 0, SCOPE_UNIT, 0,
     "initiatives of a unit recognised in a period (PAR initiatives_count), with the list"},
    /* the desk's queue and appointments (queue.c) */
    {"GET", "/api/public/queue/{unit}", h_queue_board, PUBLIC, 0, SCOPE_NONE, 0,
     "public: a unit's counters, fields, waiting and the numbers called (display, phone)"},
    {"POST", "/api/public/queue/{unit}/tickets", h_queue_take_public, PUBLIC, 0, SCOPE_NONE, 0,
     "public: take a number for a field or counter (limited per phone and address a day)"},
    {"GET", "/api/public/queue/{unit}/tickets/{number}", h_queue_ticket_public, PUBLIC, 0,
     SCOPE_NONE, 0, "public: a number of today: its state and the people ahead"},
    {"GET", "/api/public/queue/{unit}/slots", h_queue_slots, PUBLIC, 0, SCOPE_NONE, 0,
     "public: appointment slots of a counter on a day and the places free"},
    {"POST", "/api/public/queue/{unit}/appointments", h_queue_book, PUBLIC, 0, SCOPE_NONE, 0,
     "public: book an appointment in a slot"},
    {"POST", "/api/public/appointments/{code}/cancel", h_queue_cancel, PUBLIC, 0, SCOPE_NONE, 0,
     "public: the booker cancels an appointment (code and phone)"},
    {"GET", "/api/queue/{unit}/counters", h_queue_counters, STAFF, 0, SCOPE_UNIT, 0,
     "the counters of a unit and the fields they serve"},
    {"PUT", "/api/queue/{unit}/counters/{no}", h_queue_counter_put, ADMIN, 1, SCOPE_UNIT, 0,
     "create or change a counter (name, fields, open)"},
    {"GET", "/api/queue/{unit}/tickets", h_queue_tickets, STAFF, 0, SCOPE_UNIT, 0,
     "today's numbers of a unit, in calling order"},
    {"POST", "/api/queue/{unit}/tickets", h_queue_take, DESK, 1, SCOPE_UNIT, 0,
     "take a number at the desk (priority allowed)"},
    {"POST", "/api/queue/{unit}/counters/{no}/call", h_queue_call, DESK, 1, SCOPE_UNIT, 0,
     "call the counter's next number (the one called before counts as served)"},
    {"POST", "/api/queue/{unit}/tickets/{number}/recall", h_queue_ticket_action, DESK, 1,
     SCOPE_UNIT, QA_RECALL, "call a number again"},
    {"POST", "/api/queue/{unit}/tickets/{number}/serve", h_queue_ticket_action, DESK, 1, SCOPE_UNIT,
     QA_SERVE, "mark a called number served"},
    {"POST", "/api/queue/{unit}/tickets/{number}/no-show", h_queue_ticket_action, DESK, 1,
     SCOPE_UNIT, QA_NO_SHOW, "mark a called number absent"},
    {"POST", "/api/queue/{unit}/tickets/{number}/transfer", h_queue_ticket_action, DESK, 1,
     SCOPE_UNIT, QA_TRANSFER, "send a number to another counter"},
    {"POST", "/api/queue/{unit}/appointments/{code}/check-in", h_queue_checkin, DESK, 1, SCOPE_UNIT,
     0, "check an appointment in: a number with priority"},
    {"GET", "/api/queue/stats", h_queue_stats, STAFF, 0, SCOPE_UNIT, 0,
     "waiting-time figures per counter and unit for a day or period"},
    /* the citizen's identity and notifications (notify.c, issue 16) */
    {"POST", "/api/public/otp", h_otp_request, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: send a one-time code to a mobile phone or e-mail address"},
    {"POST", "/api/public/otp/verify", h_otp_verify, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: confirm the contact with its code (sets the cchc_citizen cookie)"},
    {"GET", "/api/public/citizen", h_citizen_whoami, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: the contact confirmed by the cchc_citizen cookie"},
    {"POST", "/api/public/lost-code", h_lost_code, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: send the codes of the dossiers of a contact to that contact (same answer for "
     "every contact)"},
    {"POST", "/api/public/optout", h_optout, PUBLIC, 0, SCOPE_NONE, 0,
     "citizen: no more notifications, by a message's unsubscribe token or a confirmed contact"},
    {"GET", "/api/notify", h_outbox_list, ADMIN, 0, SCOPE_NONE, 0,
     "the notification outbox: counts per state and the latest messages"},
    {"GET", "/api/notify/dead", h_outbox_dead, ADMIN, 0, SCOPE_NONE, 0,
     "the dead letters: messages whose delivery failed for good"},
    {"POST", "/api/notify/{id}/replay", h_outbox_replay, ADMIN, 1, SCOPE_NONE, 0,
     "send a dead letter again"},
    {"GET", "/api/users", h_users_list, ADMIN, 0, SCOPE_UNIT, 0, "users within the scope"},
    {"POST", "/api/users", h_user_create, ADMIN, 1, SCOPE_UNIT, 0, "create a user in the scope"},
    {"GET", "/", h_static, PUBLIC, 0, SCOPE_NONE, 0, "the web UI (web/index.html)"},
    {"GET", "/assets/{dir}/{file}", h_static, PUBLIC, 0, SCOPE_NONE, 0,
     "the web UI's files and the npm libraries it uses"},
};
const size_t routes_count = sizeof routes / sizeof routes[0];

/* Matches one pattern against path; fills params (pointers into the arena). */
static int match(const char *pattern, const char *path, const char **names, const char **values,
                 int *np, struct arena *a)
{
    const char *p = pattern, *u = path;
    int n = 0;
    while (*p && *u) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            const char *ue = strchr(u, '/');
            if (!ue) ue = u + strlen(u);
            if (ue == u || n >= ROUTE_MAX_PARAMS) return 0;
            if (names) {
                names[n] = arena_strndup(a, p + 1, (size_t)(pe - p - 1));
                values[n] = arena_strndup(a, u, (size_t)(ue - u));
                if (!names[n] || !values[n]) return 0;
            }
            n++;
            p = pe + 1;
            u = ue;
            continue;
        }
        if (*p != *u) return 0;
        p++;
        u++;
    }
    if (*p || *u) return 0;
    if (np) *np = n;
    return 1;
}

const struct route *route_match(const char *method, const char *path, const char **names,
                                const char **values, int *nparams, int *path_known, struct arena *a)
{
    *path_known = 0;
    for (size_t i = 0; i < routes_count; i++) {
        if (!match(routes[i].pattern, path, NULL, NULL, NULL, a)) continue;
        *path_known = 1;
        if (strcmp(routes[i].method, method)) continue;
        if (!match(routes[i].pattern, path, names, values, nparams, a)) return NULL;
        return &routes[i];
    }
    return NULL;
}

char *route_allowed_methods(const char *path, struct arena *a)
{
    char buf[128] = "";
    for (size_t i = 0; i < routes_count; i++) {
        if (!match(routes[i].pattern, path, NULL, NULL, NULL, a)) continue;
        if (buf[0]) strncat(buf, ", ", sizeof buf - strlen(buf) - 1);
        strncat(buf, routes[i].method, sizeof buf - strlen(buf) - 1);
    }
    return arena_strdup(a, buf);
}

char *route_roles_text(const struct route *rt, struct arena *a)
{
    if (!rt->roles) return arena_strdup(a, "public");
    char buf[160] = "";
    for (int i = 0; i < UROLE_COUNT; i++) {
        if (!(rt->roles & RB(i))) continue;
        if (buf[0]) strncat(buf, ",", sizeof buf - strlen(buf) - 1);
        strncat(buf, user_role_name((enum user_role)i), sizeof buf - strlen(buf) - 1);
    }
    return arena_strdup(a, buf);
}
