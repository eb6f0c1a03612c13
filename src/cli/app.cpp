#include "cli/app.hpp"

#include "domain/report_rollup.hpp"

#include "services/attachment_rows.hpp"
#include "services/audit.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>

#include "cli/key_setup.hpp"
#include "cli/logging.hpp"
#include "services/catalog/catalog_resources.hpp"
#include "services/staff_roles.hpp"
#include "store/migrations.hpp"
#include "store/postgres/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "util/clock.hpp"

namespace gongdan::cli {

std::string sqlite_path(const Config& config) {
  if (!config.database.empty()) return {};
  return (std::filesystem::path(config.data) / "gongdan.db").string();
}

// The data directory (made, owner only) and the database in it or at the configured URL.
Result<std::unique_ptr<store::Database>> open_database(const Config& config, Schema schema) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (schema == Schema::kExisting) {
    if (config.database.empty() && !fs::exists(sqlite_path(config), ec))
      return fail(ErrorCode::kNotFound, "no database at " + sqlite_path(config) +
                                            ": run `gongdan migrate` (or serve) first, or point "
                                            "--data or --config at the install");
  } else {
    fs::create_directories(config.data, ec);
    if (ec)
      return fail(ErrorCode::kUnavailable,
                  "cannot create data directory " + config.data + ": " + ec.message());
    ::chmod(config.data.c_str(), 0700);  // tickets and credentials: owner only
  }
  if (config.database.empty()) {
    store::SqliteOptions options;
    options.path = sqlite_path(config);
    GONGDAN_ASSIGN(auto db, store::SqliteDatabase::open(options));
    return std::unique_ptr<store::Database>(std::move(db));
  }
  store::PostgresOptions options;
  options.url = config.database;
  options.replicas = config.database_replicas;
  options.writers = config.database_writers;
  GONGDAN_ASSIGN(auto db, store::PostgresDatabase::open(options));
  return std::unique_ptr<store::Database>(std::move(db));
}

namespace {

// Mail in (intake, the sealed mailbox passwords, the mailboxes) and out (the outbox, whose mail
// goes out as jobs).
Result<void> open_mail(App& app, const Config& config) {
  const Clock& clock = *app.clock;
  app.mail_service = std::make_unique<services::MailIntakeService>(*app.db, clock, *app.directory,
                                                                   *app.events, *app.files);
  email::IntakeOptions intake;
  intake.limits.max_total_bytes = static_cast<std::size_t>(config.mail_limit);
  app.mail = std::make_unique<email::MailIntake>(*app.mail_service, intake);
  app.secrets = std::make_unique<services::SecretBox>(app.keys);
  services::set_audit_signer(*app.secrets);
  app.mail_service->set_signer(app.secrets.get());
  app.mailboxes = std::make_unique<services::MailboxesService>(*app.db, clock, *app.secrets);
  services::OutboxSettings outbox;
  outbox.max_acks_per_hour = config.mail_acks_per_hour;
  app.outbox = std::make_unique<services::OutboxService>(*app.db, clock, *app.files, *app.mailboxes,
                                                         *app.jobs, outbox);
  app.tickets->add_reply_mailer(app.outbox.get());
  app.mail_service->set_outbox(app.outbox.get());
  app.mail_service->set_ticket_hooks(app.tickets->hooks());
  app.mail_service->set_tickets(app.tickets.get());
  return {};
}

// SLA warnings and breaches run the triggers (update_type sla_warning / sla_breach), so rules
// can escalate: reassign, raise the priority, notify, call a webhook.
services::SlaService::Escalation escalate_through_triggers(services::TicketsService& tickets) {
  return [&tickets](store::Connection& c, std::int64_t ticket_id, std::string_view kind,
                    std::string_view metric, std::string_view key) {
    FactMap extra{{"sla.metric", std::string(metric)}, {"sla.breached", kind == "breach"}};
    return tickets.system_change(
        c, ticket_id, kind == "breach" ? "sla_breach" : "sla_warning", extra, key,
        [](const services::Catalog&, const Ticket&, Ticket&) -> Result<services::TriggerOutcome> {
          services::TriggerOutcome out;
          out.via = "sla";
          return out;
        });
  };
}

// The database at the right schema, people, tickets and the services most others take.
Result<void> open_core(App& app, const Config& config, const Clock& clock, Schema schema) {
  GONGDAN_ASSIGN(app.db, open_database(config, schema));
  set_rollups_kept(config.report_rollups);
  if (schema == Schema::kMigrate) {
    GONGDAN_ASSIGN(app.schema_version, store::migrate(*app.db));
  } else {
    GONGDAN_ASSIGN(app.schema_version, store::require_current_schema(*app.db));
  }
  app.health = std::make_unique<services::HealthService>(*app.db);
  services::AuthSettings auth;
  auth.free_failures_per_pair = config.login_failures_before_delay;
  auth.first_delay_ms = static_cast<Millis>(config.login_delay_seconds) * 1000;
  auth.max_failures_per_address = config.login_max_failures_per_address;
  auth.failure_window_ms = static_cast<Millis>(config.login_window_seconds) * 1000;
  app.clock = &clock;
  app.credentials = std::make_unique<services::CredentialCache>();
  app.auth = std::make_unique<services::AuthService>(*app.db, clock, auth, *app.credentials);
  app.users = std::make_unique<services::UsersService>(*app.db, clock, *app.credentials);
  app.audit = std::make_unique<services::AuditService>(*app.db);
  app.directory = std::make_unique<services::Directory>(*app.db, clock);
  app.users->set_directory(app.directory.get());
  app.events = std::make_unique<services::TicketEventBus>();
  app.tickets =
      std::make_unique<services::TicketsService>(*app.db, clock, *app.directory, *app.events);
  app.self =
      std::make_unique<services::SelfService>(*app.db, *app.auth, *app.users, *app.tickets, clock);
  app.catalog = std::make_unique<services::CatalogService>(*app.db, clock, *app.directory);
  app.search = std::make_unique<services::SearchService>(*app.db, *app.directory);
  app.reports = std::make_unique<services::ReportsService>(*app.db, clock, *app.directory);
  // The keys before anything that encrypts: a missing or wrong key stops the command here.
  GONGDAN_ASSIGN(app.keys, open_keys(config, *app.db, clock.now_ms(), schema == Schema::kMigrate));
  std::shared_ptr<services::FileSystem> blobs;  // null: the data directory
  if (config.attachment_storage == "database")
    blobs = std::make_shared<services::DatabaseFileSystem>(*app.db);
  app.files = std::make_unique<services::AttachmentFiles>(config.data, blobs, app.keys);
  app.attachments = std::make_unique<services::AttachmentsService>(
      *app.db, clock, *app.files, *app.tickets, static_cast<std::size_t>(config.attachment_limit));
  app.tickets->set_attachment_linker(app.attachments.get());
  app.jobs = std::make_unique<services::JobQueue>(*app.db, clock);
  app.report_folding = std::make_unique<services::ReportFolding>(*app.db, clock, *app.jobs);
  return {};
}

// Second factors, webhooks, SLAs, assignment, the other channels, triggers and automations,
// and the ticket hooks that tie them in (in the order they run).
void open_ticket_rules(App& app, const Config& config, const Clock& clock) {
  app.second_factor = std::make_unique<services::SecondFactorService>(
      *app.db, clock, *app.auth, *app.secrets, *app.credentials, services::SecondFactorSettings{});
  app.webhooks = std::make_unique<services::WebhooksService>(*app.db, *app.directory, *app.jobs,
                                                             config.webhook_allow_hosts);
  app.sla = std::make_unique<services::SlaService>(*app.db, clock, *app.directory, *app.jobs,
                                                   *app.webhooks);
  app.assignment =
      std::make_unique<services::AssignmentService>(*app.db, clock, *app.directory, *app.jobs);
  app.assignment->set_tickets(app.tickets.get());
  app.tickets->set_assigner(app.assignment.get());
  app.mail_service->set_assigner(app.assignment.get());
  app.inbound = std::make_unique<services::InboundService>(*app.db, clock, *app.directory,
                                                           *app.events, *app.secrets, *app.jobs);
  app.inbound->set_ticket_hooks(app.tickets->hooks());
  app.inbound->set_assigner(app.assignment.get());
  app.inbound->set_tickets(app.tickets.get());
  app.inbound->set_files(app.files.get());
  app.tickets->add_reply_mailer(app.inbound.get());
  app.calls = std::make_unique<services::CallsService>(*app.db, clock, *app.tickets);
  app.chat = std::make_unique<services::ChatService>(*app.db, clock, *app.directory, *app.events,
                                                     *app.secrets, *app.tickets, *app.attachments,
                                                     config.public_url);
  app.chat->set_ticket_hooks(app.tickets->hooks());
  app.triggers = std::make_unique<services::TriggersService>(*app.directory);
  app.tickets->set_triggers(app.triggers.get());
  app.tickets->set_site({config.public_url, config.company_name});
  app.macros = std::make_unique<services::MacrosService>(*app.db, *app.directory, *app.tickets);
  // The SLA hook first: the webhooks it is followed by carry the due times it sets.
  app.tickets->add_hook(app.sla.get());
  app.tickets->add_hook(app.webhooks.get());
  // What triggers and automations do beyond the ticket's fields: mail, notify, webhook, macro.
  app.automation_actions = std::make_unique<services::AutomationActions>(
      *app.outbox, *app.webhooks, services::SiteNames{config.public_url, config.company_name});
  app.triggers->set_actions(app.automation_actions.get());
  app.automation_actions->set_events(app.events.get());
  app.notifications = std::make_unique<services::NotificationsService>(*app.db, clock);
  app.automations = std::make_unique<services::AutomationsService>(
      *app.db, clock, *app.directory, *app.jobs, *app.tickets, *app.sla, *app.automation_actions);
  app.tickets->add_hook(app.automations.get());
}

// The admin resources the services declare.
void open_resources(App& app, const Clock& clock) {
  app.resources = std::make_unique<services::Resources>(
      services::ResourceDeps{app.db.get(), &clock, app.directory.get(), app.secrets.get()});
  app.resources->add_target("agents", "users", "agent");
  services::add_catalog_resources(*app.resources, *app.directory);
  app.macros->add_to(*app.resources);
  services::add_mail_templates(*app.resources);
  app.sla->add_to(*app.resources);
  app.triggers->add_to(*app.resources);
  app.automations->add_to(*app.resources);
  app.mailboxes->add_to(*app.resources);
  app.webhooks->add_to(*app.resources);
  app.inbound->add_to(*app.resources);
  app.chat->add_to(*app.resources);
  services::MailSettingsService::add_to(*app.resources);
  app.assignment->add_to(*app.resources);
  services::add_staff_roles(*app.resources, *app.credentials);
}

// Sign-in through a directory (LDAP) or a provider (OpenID Connect, SAML).
void open_sign_in(App& app, const Clock& clock) {
  app.ldap_client = std::make_unique<channels::LdapClient>();
  app.ldap = std::make_unique<services::LdapService>(*app.db, clock, *app.secrets, *app.ldap_client,
                                                     *app.credentials, *app.directory, *app.jobs);
  app.ldap->add_to(*app.resources);
  app.auth->set_password_directory(app.ldap.get());
  app.oidc_client = std::make_unique<channels::OidcClient>();
  app.oidc = std::make_unique<services::OidcService>(*app.db, clock, *app.secrets, *app.oidc_client,
                                                     *app.auth, *app.credentials, *app.directory);
  app.oidc->add_to(*app.resources);
  app.saml_client = std::make_unique<channels::SamlClient>();
  app.saml = std::make_unique<services::SamlService>(*app.db, clock, *app.saml_client, *app.auth,
                                                     *app.credentials, *app.directory);
  app.saml->add_to(*app.resources);
}

// The knowledge base, triage and satisfaction surveys.
void open_knowledge(App& app, const Config& config, const Clock& clock) {
  app.kb = std::make_unique<services::KbService>(*app.db, clock, *app.jobs, *app.files);
  app.kb->add_to(*app.resources);
  app.model_files = std::make_unique<services::ModelFiles>(*app.db, config.data);
  app.triage = std::make_unique<services::TriageService>(*app.db, clock, *app.directory,
                                                         *app.tickets, *app.jobs, *app.model_files);
  app.triage->add_to(*app.resources);
  app.tickets->add_hook(app.triage.get());
  app.tickets->set_triage(app.triage.get());
  app.ticket_vectors =
      std::make_unique<services::TicketVectors>(*app.db, clock, *app.directory, *app.model_files);
  app.triage->set_vectors(app.ticket_vectors.get());
  app.tickets->add_hook(app.ticket_vectors.get());
  app.similar = std::make_unique<services::SimilarService>(*app.db, *app.directory, *app.tickets,
                                                           *app.kb, *app.ticket_vectors);
  app.assist = std::make_unique<services::AssistService>(
      *app.db, clock, *app.secrets, *app.directory, *app.tickets, *app.kb, *app.jobs);
  app.assist->add_to(*app.resources);
  // After the automations hook: a solve's survey job is queued in the same write.
  app.csat = std::make_unique<services::CsatService>(*app.db, clock, *app.directory, *app.jobs,
                                                     *app.outbox, *app.tickets, *app.secrets,
                                                     config.public_url);
  app.csat->add_to(*app.resources);
  app.tickets->add_hook(app.csat.get());
}

}  // namespace

Result<std::unique_ptr<App>> open_app(Config config, const Clock& clock, Schema schema) {
  auto app = std::make_unique<App>();
  GONGDAN_TRY(open_core(*app, config, clock, schema));
  GONGDAN_TRY(open_mail(*app, config));
  open_ticket_rules(*app, config, clock);
  open_resources(*app, clock);
  open_sign_in(*app, clock);
  open_knowledge(*app, config, clock);
  app->privacy =
      std::make_unique<services::PrivacyService>(*app->db, clock, *app->files, *app->credentials);
  app->retention = std::make_unique<services::RetentionService>(*app->db, clock, *app->directory,
                                                                *app->jobs, *app->privacy);
  app->retention->add_to(*app->resources);
  app->report_mail = std::make_unique<services::ReportMailService>(
      *app->db, clock, *app->reports, *app->mailboxes, *app->jobs, config.public_url);
  app->report_mail->add_to(*app->resources);
  app->jobs->set_retention(config.job_retention_minutes * 60'000);
  app->sla->set_escalation(escalate_through_triggers(*app->tickets));
  app->config = std::move(config);
  return app;
}

Result<std::unique_ptr<App>> open_for_command(const ConfigFlags& flags, Schema schema) {
  GONGDAN_ASSIGN(auto config, load_config(flags));
  configure_command_logging(config.log_level);
  return open_app(std::move(config), SystemClock::instance(), schema);
}

}  // namespace gongdan::cli
