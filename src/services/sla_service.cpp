#include "services/sla_service.hpp"

#include "services/resource_load.hpp"
#include "services/sla_config.hpp"
#include "services/sla_resources.hpp"
#include "store/batch_items.hpp"

namespace gongdan::services {

struct SlaService::Timers {
  explicit Timers(store::BatchItems<SlaTimer>::Flush flush) : batch(std::move(flush)) {}
  store::BatchItems<SlaTimer> batch;
};

SlaService::SlaService(store::Database& db, const Clock& clock, Directory& directory,
                       JobQueue& jobs, WebhooksService& webhooks)
    : db_(db),
      clock_(clock),
      directory_(directory),
      jobs_(jobs),
      webhooks_(webhooks),
      timers_(std::make_unique<Timers>([this](store::Connection& c, std::vector<SlaTimer> timers) {
        return queue_timers(c, std::move(timers));
      })) {}

SlaService::~SlaService() = default;

Result<void> SlaService::add_timer(store::Connection& c, SlaTimer timer) {
  return timers_->batch.add(c, std::move(timer));
}

const std::shared_ptr<const BusinessCalendar>& always_open_calendar() {
  static const std::shared_ptr<const BusinessCalendar> calendar = [] {
    BusinessCalendarSpec spec;
    spec.name = "24/7";
    spec.time_zone = "UTC";
    for (auto& day : spec.weekly_hours) day = {WorkingInterval{0, 1440}};
    auto created = BusinessCalendar::create(spec);
    return std::make_shared<const BusinessCalendar>(std::move(*created));
  }();
  return calendar;
}

Result<std::shared_ptr<const SlaService::Config>> SlaService::config(store::Connection& c) {
  return config_.get([&]() -> Result<std::shared_ptr<const Config>> {
    GONGDAN_ASSIGN(auto calendars, load_all(c, calendar_resource()));
    GONGDAN_ASSIGN(auto policies, load_all(c, sla_policy_resource()));
    std::map<std::int64_t, std::shared_ptr<const BusinessCalendar>> by_id;
    for (const auto& item : calendars) {
      auto parsed = parse_business_calendar(boost::json::serialize(item.spec));
      if (parsed) by_id[item.id] = std::make_shared<const BusinessCalendar>(std::move(*parsed));
    }
    auto cfg = std::make_shared<Config>();
    for (auto& policy : policies) {
      Entry e;
      // Checked when saved; a policy whose conditions the code can no longer read applies to no
      // new ticket (those under it keep it).
      auto conditions = read_sla_conditions(policy.conditions);
      if (conditions)
        e.conditions = std::move(*conditions);
      else
        policy.active = false;
      auto cal = policy.calendar_id ? by_id.find(*policy.calendar_id) : by_id.end();
      e.calendar = cal != by_id.end() ? cal->second : always_open_calendar();
      cfg->any_active = cfg->any_active || policy.active;
      cfg->uses_tier = cfg->uses_tier || (policy.active && !e.conditions.tiers.empty());
      e.policy = std::move(policy);
      cfg->policies.push_back(std::move(e));
    }
    return std::shared_ptr<const Config>{cfg};
  });
}

}  // namespace gongdan::services
