// Customer satisfaction: when a ticket is solved, the survey of its department (a declared
// resource, `csat-surveys`) is mailed to the requester after the survey's delay, as a job; the
// mail's links carry a signed token (domain/csat.hpp) that lets whoever holds it rate that one
// solve once, without signing in, until it expires. A rating is recorded in the ticket's
// history and the report rollups (metrics `csat` and `csat_response_rate`) and runs the
// triggers with update_type "csat" (a bad rating may reopen the ticket or notify someone).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/csat.hpp"
#include "services/directory.hpp"
#include "services/job_queue.hpp"
#include "services/outbox_service.hpp"
#include "services/principal.hpp"
#include "services/resource_service.hpp"
#include "services/secret_box.hpp"
#include "services/shared_cache.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_hooks.hpp"
#include "services/tickets_service.hpp"

namespace gongdan::services {

const Resource<CsatSurvey>& csat_survey_resource();

// What the rating page shows for a token.
struct CsatPage {
  std::string state;  // "open", "rated" or "expired"
  std::int64_t ticket_number = 0;
  std::string subject;
  CsatRequest request;
};

class CsatService final : public TicketHook {
 public:
  // How long a survey's link works.
  static constexpr Millis kLinkLifetime = 14LL * 24 * 3600 * 1000;

  CsatService(store::Database& db, const Clock& clock, Directory& directory, JobQueue& jobs,
              OutboxService& outbox, TicketsService& tickets, const SecretBox& secrets,
              std::string public_url)
      : db_(db),
        clock_(clock),
        directory_(directory),
        jobs_(jobs),
        outbox_(outbox),
        tickets_(tickets),
        secrets_(secrets),
        public_url_(std::move(public_url)) {}

  void add_to(Resources& resources);

  // Inside a ticket's write: a solve queues the survey's job, due after the survey's delay.
  Result<void> on_change(store::Connection& c, TicketChange& change, const Catalog& catalog,
                         Millis now) override;
  // The job: mails the survey, unless the ticket was reopened (or solved again) meanwhile.
  Result<void> send(std::string_view payload);

  // The page of a token (kNotFound for anything that is not a valid token of ours).
  Result<CsatPage> page(std::string_view token);
  // The rating (and an optional comment) for the token's solve: once, before it expires.
  Result<CsatPage> rate(std::string_view token, std::string_view rating, std::string_view comment);
  // The surveys of a ticket `who` sees, newest first; its requester gets the open ones' tokens.
  Result<std::vector<CsatRequest>> of_ticket(const Principal& who, std::int64_t number);

 private:
  using Surveys = std::shared_ptr<const std::vector<CsatSurvey>>;
  Result<Surveys> surveys(store::Connection& c);
  // The request a token names, its MAC checked; kNotFound otherwise.
  Result<CsatRequest> verified(store::Connection& c, std::string_view token);
  Result<CsatPage> page_of(store::Connection& c, CsatRequest request);
  // The token of a rating link (domain/csat.hpp).
  std::string token_of(const CsatRequest& request) const;

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  JobQueue& jobs_;
  OutboxService& outbox_;
  TicketsService& tickets_;
  const SecretBox& secrets_;
  std::string public_url_;
  SharedCache<std::vector<CsatSurvey>> surveys_{directory_.settings_version()};
};

}  // namespace gongdan::services
