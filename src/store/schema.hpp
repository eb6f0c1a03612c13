// The schema, as a list of migrations. Add a new entry at the end; never edit a released one.
#pragma once

#include <string_view>
#include <vector>

#include "store/migrations.hpp"

namespace gongdan::store {

const std::vector<Migration>& schema_migrations();
// Migration 3: jobs, webhooks, webhook deliveries (schema_jobs.cpp).
std::string_view jobs_schema();

// Migration 4: Message-IDs of mail in and out, and the quarantine (schema_mail.cpp).
std::string_view mail_schema_sql();

// Migration 5: mail templates, notifications, time-based automations (schema_automation.cpp).
std::string_view automation_schema();

// Migration 6: agent skills and availability, skill-based assignment (schema_skills.cpp).
std::string_view skills_schema_sql();

// Migration 7: the node that claimed each running job (schema_job_claims.cpp).
std::string_view job_claims_schema();

// Migration 8: mail settings per department and per ticket (schema_mail_settings.cpp).
std::string_view mail_settings_schema_sql();

// Migration 9: one-time sign-in links for customers (schema_login_links.cpp).
std::string_view login_links_schema_sql();

// Migration 10: ticket numbers from a sequence on PostgreSQL (schema_ticket_numbers.cpp).
std::string_view ticket_number_sequence_schema();
std::string_view count_shards_schema();
std::string_view search_buckets_schema();
std::string_view search_blocks_schema();
// Migration 14: outgoing mail waiting in the outbox becomes mail jobs (schema_mail_jobs.cpp).
std::string_view mail_jobs_schema();
// Migration 15: revokes tokens issue 16's holes issued; pending sign-ups (schema_security.cpp).
std::string_view security_schema_sql();
// Migration 50: custom roles and the role a staff member holds (schema_roles.cpp).
std::string_view roles_schema_sql();
// Migration 16: the knowledge base (schema_kb.cpp).
std::string_view kb_schema_sql();
std::string_view kb_schedule_schema_sql();
std::string_view kb_files_schema_sql();
// Migration 21: the ids imported records had in their source, and each source's checkpoint
// (schema_import.cpp).
std::string_view import_schema_sql();
// Migration 18: second factors, recovery codes, the audit chain (schema_identity.cpp).
std::string_view identity_schema_sql();
// Migration 26: LDAP directories and linked identities (schema_sign_in.cpp).
std::string_view sign_in_schema_sql();
// Migration 29: OpenID Connect providers and sign-ins under way (schema_sign_in.cpp).
std::string_view oidc_schema_sql();
std::string_view saml_schema_sql();
// Migration 19: Cc/Bcc of outgoing mail, inbound sources, their events and outbox, calls
// (schema_inbound.cpp).
std::string_view inbound_schema_sql();
// Migration 25: live chat's widgets and sessions (schema_chat.cpp).
std::string_view chat_schema_sql();
// Migration 34: erased contacts, files waiting for removal, retention policies
// (schema_privacy.cpp).
std::string_view privacy_schema_sql();
// The statement that starts the sequence after the counter row (migrate-data copies that row).
constexpr std::string_view kSyncTicketNumberSequence =
    "SELECT setval('ticket_number_seq', (SELECT next_number FROM ticket_numbers WHERE id = 1), "
    "false)";

// Migration 24: triage settings and trained models (schema_triage.cpp).
std::string_view triage_schema_sql();
std::string_view ticket_vectors_schema_sql();

// Migration 17: report rollups, and the origin of history a merge moved (schema_reports.cpp).
std::string_view reports_schema_sql();
// Migration 33: rollups by tag, organization and select-type custom field (schema_reports.cpp).
std::string_view report_dimensions_schema_sql();
std::string_view csat_schema_sql();
// Migration 38: mailboxes signing in with OAuth2 (schema_mail.cpp).
std::string_view mailbox_oauth_schema_sql();
// Migration 42: scheduled report mails (schema_reports.cpp).
std::string_view report_schedules_schema_sql();
// Migration 43: the daily tier of report rollups (schema_reports.cpp).
std::string_view report_daily_schema_sql();
std::string_view report_folds_schema_sql();
std::string_view report_hourly_keys_schema_sql();
std::string_view ticket_work_schema_sql();

}  // namespace gongdan::store
