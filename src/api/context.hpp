// What handlers need from the layers below. Owned by the server; handlers keep references.
#pragma once

#include <functional>
#include <string>

#include "services/assignment_service.hpp"
#include "services/attachments_service.hpp"
#include "services/audit.hpp"
#include "services/auth_service.hpp"
#include "services/calls_service.hpp"
#include "services/catalog_service.hpp"
#include "services/chat_service.hpp"
#include "services/csat_service.hpp"
#include "services/directory.hpp"
#include "services/health.hpp"
#include "services/inbound_service.hpp"
#include "services/job_queue.hpp"
#include "services/kb_service.hpp"
#include "services/ldap_service.hpp"
#include "services/macros_service.hpp"
#include "services/mailboxes_service.hpp"
#include "services/notifications_service.hpp"
#include "services/outbox_service.hpp"
#include "services/privacy_service.hpp"
#include "services/reports_service.hpp"
#include "services/resource_service.hpp"
#include "services/search_service.hpp"
#include "services/second_factor.hpp"
#include "services/self_service.hpp"
#include "services/test_clock.hpp"
#include "services/tickets_service.hpp"
#include "services/users_service.hpp"
#include "services/webhooks_service.hpp"

// Only named here: http includes this file and may not see channels/ (src/layers.txt).
namespace gongdan::email {
class MailIntake;
struct PollReport;
}  // namespace gongdan::email

// Held by pointer only; the sign-in handlers include their services' headers.
namespace gongdan::services {
class OidcService;
class SamlService;
}  // namespace gongdan::services

namespace gongdan::api {

struct ApiContext {
  services::HealthService& health;
  services::AuthService& auth;
  services::UsersService& users;
  services::AuditService& audit;
  services::Directory& directory;
  services::TicketsService& tickets;
  services::CatalogService& catalog;
  services::SearchService& search;
  services::AttachmentsService& attachments;
  email::MailIntake& mail;
  services::MailboxesService& mailboxes;
  services::OutboxService& outbox;
  // Polls one mailbox now (the server's poller; a stub in tests without one).
  std::function<Result<email::PollReport>(std::int64_t)> poll_mailbox;
  // Prometheus text for /metrics, supplied by the HTTP layer that keeps the counters.
  std::function<std::string()> metrics_text;
  services::JobQueue& jobs;
  services::WebhooksService& webhooks;
  services::AssignmentService& assignment;
  services::MacrosService& macros;
  services::NotificationsService& notifications;
  // The declared resources (departments, macros, triggers …) behind the generic routes.
  services::Resources& resources;
  // Sign-up by a mailed link and the anonymous web form.
  services::SelfService& self;
  // The address people reach this server at (config public_url), for links in mail; empty
  // when not configured.
  std::string public_url;
  // The services' clock (a test clock when `serve` runs on one).
  const Clock* clock = &SystemClock::instance();
  // The test clock's controls; null (and its routes absent) on a real clock.
  services::TestClockService* test_clock = nullptr;
  // Config metrics_token: what GET /metrics wants as its Bearer token; empty, it answers only
  // loopback clients that did not come through a proxy.
  std::string metrics_token = {};
  // Report metrics from the rollups; null answers 503.
  services::ReportsService* reports = nullptr;
  // Inbound sources' webhooks and calls logged on tickets; their routes are absent without them.
  services::InboundService* inbound = nullptr;
  services::CallsService* calls = nullptr;
  // Live chat; its routes are absent without it.
  services::ChatService* chat = nullptr;
  // Two-factor sign-in; null in tests that build a context without it (its routes are absent
  // and sign-in asks for a password alone).
  services::SecondFactorService* second_factor = nullptr;
  // The knowledge base and help centre (null in tests that build a context without one: their
  // routes are then absent).
  services::KbService* kb = nullptr;
  // LDAP sign-in: the directories' test and sync routes (absent without it).
  services::LdapService* ldap = nullptr;
  // OpenID Connect sign-in: the buttons and the redirects (absent without it).
  services::OidcService* oidc = nullptr;
  // SAML sign-in: SP metadata, the buttons, the redirect and the ACS (absent without it).
  services::SamlService* saml = nullptr;
  // Satisfaction surveys: the rating links' routes (absent when null).
  services::CsatService* csat = nullptr;
  // A contact's export and erasure (absent when null).
  services::PrivacyService* privacy = nullptr;
  // Config company_name: the help centre's title; empty, a generic one.
  std::string company_name = {};
};

class Router;
void add_health_routes(Router& router, ApiContext& context);
void add_auth_routes(Router& router, ApiContext& context);
void add_login_link_routes(Router& router, ApiContext& context);
void add_user_routes(Router& router, ApiContext& context);
void add_token_routes(Router& router, ApiContext& context);
void add_audit_routes(Router& router, ApiContext& context);
void add_ticket_routes(Router& router, ApiContext& context);
void add_ticket_detail_routes(Router& router, ApiContext& context);
void add_inbound_routes(Router& router, ApiContext& context);
void add_chat_routes(Router& router, ApiContext& context);
void add_catalog_routes(Router& router, ApiContext& context);
void add_search_routes(Router& router, ApiContext& context);
void add_attachment_routes(Router& router, ApiContext& context);
void add_mail_routes(Router& router, ApiContext& context);
void add_mailbox_routes(Router& router, ApiContext& context);
void add_job_routes(Router& router, ApiContext& context);
void add_webhook_routes(Router& router, ApiContext& context);
void add_assignment_routes(Router& router, ApiContext& context);
void add_macro_routes(Router& router, ApiContext& context);
void add_notification_routes(Router& router, ApiContext& context);
void add_report_routes(Router& router, ApiContext& context);
void add_second_factor_routes(Router& router, ApiContext& context);
void add_kb_routes(Router& router, ApiContext& context);
void add_kb_file_routes(Router& router, ApiContext& context);
void add_ldap_routes(Router& router, ApiContext& context);
void add_oidc_routes(Router& router, ApiContext& context);
void add_saml_routes(Router& router, ApiContext& context);
void add_csat_routes(Router& router, ApiContext& context);
void add_privacy_routes(Router& router, ApiContext& context);
void add_help_routes(Router& router, ApiContext& context);
void add_openapi_route(Router& router);
// Only on a test clock (context.test_clock set); see docs/testing.md.
void add_test_clock_routes(Router& router, ApiContext& context);

// Every route of the API, in one call.
void add_all_routes(Router& router, ApiContext& context);

}  // namespace gongdan::api
