// Opening an install: the data directory, the database (migrated), and the services on top.
// Shared by `serve` and the admin subcommands so they behave the same on a running install.
#pragma once

#include <memory>

#include "channels/directory/ldap_client.hpp"
#include "channels/email/mail_intake.hpp"
#include "channels/identity/oidc_client.hpp"
#include "channels/identity/saml_client.hpp"
#include "cli/config.hpp"
#include "services/assignment_service.hpp"
#include "services/assist_service.hpp"
#include "services/attachment_files.hpp"
#include "services/attachments_service.hpp"
#include "services/audit.hpp"
#include "services/auth_service.hpp"
#include "services/automation_actions.hpp"
#include "services/automations_service.hpp"
#include "services/calls_service.hpp"
#include "services/catalog_service.hpp"
#include "services/chat_service.hpp"
#include "services/csat_service.hpp"
#include "services/directory.hpp"
#include "services/health.hpp"
#include "services/inbound_service.hpp"
#include "services/job_queue.hpp"
#include "services/kb_service.hpp"
#include "services/key_ring.hpp"
#include "services/ldap_service.hpp"
#include "services/macros_service.hpp"
#include "services/mail_intake_service.hpp"
#include "services/mail_templates_service.hpp"
#include "services/mailboxes_service.hpp"
#include "services/notifications_service.hpp"
#include "services/oidc_service.hpp"
#include "services/outbox_service.hpp"
#include "services/privacy_service.hpp"
#include "services/report_folding.hpp"
#include "services/report_mail_service.hpp"
#include "services/reports_service.hpp"
#include "services/resource_service.hpp"
#include "services/retention_service.hpp"
#include "services/saml_service.hpp"
#include "services/search_service.hpp"
#include "services/second_factor.hpp"
#include "services/secret_box.hpp"
#include "services/self_service.hpp"
#include "services/similar_service.hpp"
#include "services/sla_service.hpp"
#include "services/ticket_events_bus.hpp"
#include "services/ticket_vectors.hpp"
#include "services/tickets_service.hpp"
#include "services/triage_service.hpp"
#include "services/triggers_service.hpp"
#include "services/users_service.hpp"
#include "services/webhooks_service.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::cli {

struct App {
  Config config;
  const Clock* clock = nullptr;  // what every service reads the time from
  std::unique_ptr<store::Database> db;
  std::unique_ptr<services::HealthService> health;
  std::unique_ptr<services::CredentialCache> credentials;
  std::unique_ptr<services::AuthService> auth;
  std::unique_ptr<services::UsersService> users;
  std::unique_ptr<services::SelfService> self;
  std::unique_ptr<services::AuditService> audit;
  std::unique_ptr<services::Directory> directory;
  std::unique_ptr<services::TicketEventBus> events;
  std::unique_ptr<services::TicketsService> tickets;
  std::unique_ptr<services::CatalogService> catalog;
  std::unique_ptr<services::SearchService> search;
  std::unique_ptr<services::ReportsService> reports;
  std::unique_ptr<services::ReportFolding> report_folding;
  std::unique_ptr<services::ReportMailService> report_mail;
  std::shared_ptr<services::Keys> keys;  // the encryption keys (docs/encryption.md)
  std::unique_ptr<services::AttachmentFiles> files;
  std::unique_ptr<services::AttachmentsService> attachments;
  std::unique_ptr<services::MailIntakeService> mail_service;
  std::unique_ptr<email::MailIntake> mail;
  std::unique_ptr<services::SecretBox> secrets;
  std::unique_ptr<services::SecondFactorService> second_factor;
  std::unique_ptr<services::MailboxesService> mailboxes;
  std::unique_ptr<services::OutboxService> outbox;
  std::unique_ptr<services::JobQueue> jobs;
  std::unique_ptr<services::WebhooksService> webhooks;
  std::unique_ptr<services::InboundService> inbound;
  std::unique_ptr<services::CallsService> calls;
  std::unique_ptr<services::ChatService> chat;
  std::unique_ptr<services::SlaService> sla;
  std::unique_ptr<services::AssignmentService> assignment;
  std::unique_ptr<services::TriggersService> triggers;
  std::unique_ptr<services::MacrosService> macros;
  std::unique_ptr<services::AutomationActions> automation_actions;
  std::unique_ptr<services::NotificationsService> notifications;
  std::unique_ptr<services::AutomationsService> automations;
  std::unique_ptr<services::Resources> resources;
  std::unique_ptr<services::KbService> kb;
  std::unique_ptr<services::ModelFiles> model_files;
  std::unique_ptr<services::TicketVectors> ticket_vectors;
  std::unique_ptr<services::TriageService> triage;
  std::unique_ptr<services::SimilarService> similar;
  std::unique_ptr<services::AssistService> assist;
  std::unique_ptr<channels::LdapClient> ldap_client;
  std::unique_ptr<services::LdapService> ldap;
  std::unique_ptr<channels::OidcClient> oidc_client;
  std::unique_ptr<services::OidcService> oidc;
  std::unique_ptr<channels::SamlClient> saml_client;
  std::unique_ptr<services::SamlService> saml;
  std::unique_ptr<services::CsatService> csat;
  std::unique_ptr<services::PrivacyService> privacy;
  std::unique_ptr<services::RetentionService> retention;
  int schema_version = 0;
};

// How a command treats the schema: serve and the commands that write bring it up to date;
// the commands that only read (user list, doctor) want it exactly at this binary's version and
// never create or migrate a database.
enum class Schema { kMigrate, kExisting };

// The database of an install, without the services: its data directory made (kMigrate) and
// the SQLite file or the PostgreSQL URL opened. kExisting fails when the SQLite file is missing.
Result<std::unique_ptr<store::Database>> open_database(const Config& config, Schema schema);
// `clock`: the system's, except for `serve` on a test clock.
Result<std::unique_ptr<App>> open_app(Config config, const Clock& clock = SystemClock::instance(),
                                      Schema schema = Schema::kMigrate);
// The services of an install for an operator's command: the configuration `flags` name, and
// the command's logging (configure_command_logging).
Result<std::unique_ptr<App>> open_for_command(const ConfigFlags& flags,
                                              Schema schema = Schema::kMigrate);
// Where the SQLite database of a configuration lives (empty on PostgreSQL).
std::string sqlite_path(const Config& config);

}  // namespace gongdan::cli
