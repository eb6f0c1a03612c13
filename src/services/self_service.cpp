#include "services/self_service.hpp"

#include "util/text.hpp"

namespace gongdan::services {
namespace {

Error self_service_limited(Millis window_ms) {
  Error error{ErrorCode::kRateLimited, "too many requests from this address; try again later", {}};
  error.retry_after_seconds = static_cast<int>(window_ms / 1000);
  return error;
}

Principal acting_for_visitor(const std::string& ip) {
  auto p = Principal::system();
  p.ip = ip;
  return p;
}

}  // namespace

bool AddressThrottle::allow(const std::string& address) {
  const Millis now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  // Forget addresses whose window has passed, so the map cannot grow without bound.
  if (seen_.size() > 10000)
    std::erase_if(seen_, [&](const auto& e) { return e.second.back() <= now - window_ms_; });
  auto& times = seen_[address];
  while (!times.empty() && times.front() <= now - window_ms_) times.pop_front();
  if (static_cast<int>(times.size()) >= max_) return false;
  times.push_back(now);
  return true;
}

Result<std::optional<std::int64_t>> SelfService::submit_form(WebFormSubmission form,
                                                             const std::string& ip) {
  if (!forms_.allow(ip)) return fail(self_service_limited(forms_.window_ms()));
  if (!form.honeypot.empty()) return std::optional<std::int64_t>{};
  if (text::trim(form.email).empty())
    return fail(ErrorCode::kInvalidArgument, "email is required", "email");
  if (text::trim(form.body).empty())
    return fail(ErrorCode::kInvalidArgument, "describe the problem", "body");
  NewTicket ticket;
  ticket.subject = text::trim(form.subject);
  ticket.body = form.body;
  ticket.requester = Requester{text::trim(form.email), text::trim(form.name)};
  ticket.department_id = form.department_id;
  ticket.channel = "web";
  ticket.self_filed = true;
  auto created = tickets_.create(acting_for_visitor(ip), std::move(ticket));
  if (!created && created.error().field == "requester.email") created.error().field = "email";
  if (!created) return fail(std::move(created).error());
  return std::optional<std::int64_t>{created->ticket.number};
}

}  // namespace gongdan::services
