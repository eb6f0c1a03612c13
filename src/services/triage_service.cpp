// Triage's settings, predictions and what they change; training is in triage_training.cpp.
#include "services/triage_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <set>

#include "models/text_classifier.hpp"
#include "services/job_kinds.hpp"
#include "services/resource_load.hpp"
#include "services/resource_service.hpp"
#include "store/database.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"
#include "store/triage_store.hpp"
#include "util/json_members.hpp"

namespace gongdan::services {

const Resource<TriageSetting>& triage_setting_resource() {
  static const Resource<TriageSetting> r = declare<TriageSetting>(
      resource_info("triage-settings", "triage_setting", {"Triage settings", "智能分派设置"},
                    "triage")
          .table("triage_settings")
          .order_by("id")
          .ops({.list = true, .get = true, .create = false, .update = true, .remove = false})
          .invalidates(Invalidates::kSettings),
      {field_of(&TriageSetting::id, id_field()),
       field_of(&TriageSetting::field,
                text_field("field", {"Field", "字段"},
                           {"What the model predicts: department, type, priority or tags.",
                            "模型预测的字段：部门、类型、优先级或标签。"})
                    .read_only()),
       field_of(
           &TriageSetting::mode,
           choice_field("mode", {"Mode", "模式"}, {"off", "suggest", "apply"},
                        {"Off; suggest to agents; or apply at or above the threshold "
                         "(below it, suggest).",
                         "关闭；向客服建议；或在置信度达到阈值时自动应用（低于阈值时建议）。"})),
       field_of(&TriageSetting::threshold,
                integer_field("threshold", {"Threshold (%)", "阈值（%）"},
                              {"The confidence at which a prediction is applied.",
                               "自动应用预测所需的置信度。"})
                    .range(50, 100)),
       field_of(&TriageSetting::retrain_days,
                integer_field("retrain_days", {"Retrain every (days)", "重新训练间隔（天）"},
                              {"How often the model learns from newly solved tickets.",
                               "模型多久从新解决的工单中重新学习一次。"})
                    .range(1, 90)),
       field_of(&TriageSetting::updated_at, time_field("updated_at"))});
  return r;
}

TriageService::TriageService(store::Database& db, const Clock& clock, Directory& directory,
                             TicketsService& tickets, JobQueue& jobs, ModelFiles& files)
    : db_(db),
      clock_(clock),
      directory_(directory),
      tickets_(tickets),
      jobs_(jobs),
      files_(files) {}

TriageService::~TriageService() = default;

void TriageService::add_to(Resources& resources) {
  Hooks<TriageSetting> hooks;
  hooks.written = [this](store::Connection& c, const TriageSetting& s, Change) -> Result<void> {
    directory_.settings_changed_here();
    c.after_commit([this] { directory_.settings_changed_here(); });
    // A field switched on with no model yet: train now rather than at the next schedule.
    if (s.mode == "off") return {};
    GONGDAN_ASSIGN(auto latest, store::latest_triage_model(c, s.field));
    if (latest) return {};
    return queue_training(c, 0, fmt::format("triage-train-on-{}-{}", s.field, s.updated_at));
  };
  resources.add(triage_setting_resource(), std::move(hooks));
}

Result<std::shared_ptr<const TriageService::State>> TriageService::state(store::Connection& c) {
  return state_.get([&]() -> Result<std::shared_ptr<const State>> {
    auto s = std::make_shared<State>();
    GONGDAN_ASSIGN(auto all, load_all(c, triage_setting_resource()));
    for (auto& setting : all)
      if (auto f = parse_triage_field(setting.field)) s->settings[*f] = std::move(setting);
    GONGDAN_ASSIGN(auto ids, store::latest_triage_model_ids(c));
    for (const auto& [name, id] : ids)
      if (auto f = parse_triage_field(name)) s->model_ids[*f] = id;
    return std::shared_ptr<const State>(std::move(s));
  });
}

Result<std::shared_ptr<const TriageService::State>> TriageService::state() {
  if (auto kept = state_.peek()) return kept;
  std::shared_ptr<const State> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out, state(c));
    return {};
  }));
  return out;
}

Result<void> TriageService::queue_training(store::Connection& c, Millis at, std::string key) {
  NewJob job;
  job.kind = std::string(kTriageTrainJob);
  job.run_at = at;
  job.idempotency_key = std::move(key);
  job.max_attempts = 3;
  GONGDAN_TRY(jobs_.enqueue(c, job));
  return {};
}

Result<void> TriageService::on_change(store::Connection& c, TicketChange& change, const Catalog&,
                                      Millis) {
  if (change.type != "ticket.created" || change.triaged) return {};
  GONGDAN_ASSIGN(auto s, state(c));
  if (!s->applies_any()) return {};
  NewJob job;
  job.kind = std::string(kTriageJob);
  job.payload = boost::json::serialize(boost::json::object{{"ticket", change.ticket.id}});
  job.idempotency_key = fmt::format("triage-t{}", change.ticket.id);
  GONGDAN_TRY(jobs_.enqueue(c, job));
  return {};
}

// The model, loaded from its file on this node (ModelFiles writes it from the database first).
Result<std::shared_ptr<const models::TextClassifier>> TriageService::model(std::int64_t id) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = models_.find(id); it != models_.end()) return it->second;
  }
  std::shared_ptr<const models::TextClassifier> shared;
  GONGDAN_TRY(files_.with_file(id, nullptr, [&](const std::string& path) -> Result<void> {
    {  // loaded by another caller while this one waited for the file
      std::lock_guard lock(mutex_);
      if (auto it = models_.find(id); it != models_.end()) {
        shared = it->second;
        return {};
      }
    }
    GONGDAN_ASSIGN(auto loaded, models::TextClassifier::load(path));
    shared = std::move(loaded);
    std::lock_guard lock(mutex_);
    models_[id] = shared;
    return {};
  }));
  return shared;
}

void TriageService::warm_now() {
  auto s = state();
  if (!s) return;
  std::set<std::int64_t> used;
  for (const auto& [field, id] : (*s)->model_ids)
    if (auto it = (*s)->settings.find(field);
        it != (*s)->settings.end() && it->second.mode != "off")
      used.insert(id);
  {
    std::lock_guard lock(mutex_);
    std::erase_if(models_, [&](const auto& m) { return !used.contains(m.first); });
  }
  for (auto id : used)
    if (auto m = model(id); !m)
      spdlog::warn("triage: cannot load model {}: {}", id, m.error().message);
}

Result<std::vector<TriageService::Predicted>> TriageService::predict(const State& state,
                                                                     std::string_view subject,
                                                                     std::string_view body) {
  const models::ClassifierText words(triage_text(subject, body));
  std::vector<Predicted> out;
  for (const auto& [field, id] : state.model_ids) {
    auto setting = state.settings.find(field);
    if (setting == state.settings.end() || setting->second.mode == "off") continue;
    GONGDAN_ASSIGN(auto m, model(id));
    const int k = field == TriageField::kTags ? 3 : 1;
    for (auto& p : m->predict(words, k)) {
      // Tags beyond the first count only when the model is fairly sure of them too.
      if (!out.empty() && out.back().field == field && p.confidence < 0.3) break;
      out.push_back({field, std::move(p.label), p.confidence});
    }
  }
  return out;
}

namespace {

std::optional<std::int64_t> number_of(std::string_view text) {
  std::int64_t n = 0;
  if (text.empty() || text.size() > 18) return std::nullopt;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    n = n * 10 + (ch - '0');
  }
  return n;
}

// Sets `field` of `t` to `value`; false when the value is not one the ticket can take, or the
// field holds what someone chose (a department, a type or priority other than the default).
bool apply_prediction(const Catalog& catalog, TriageField field, const std::string& value,
                      Ticket& t) {
  switch (field) {
    case TriageField::kDepartment: {
      const auto id = number_of(value);
      if (t.department_id || !id || !catalog.department(*id)) return false;
      t.department_id = id;
      return true;
    }
    case TriageField::kType: {
      const auto type = parse_type(value);
      if (!type || t.type != TicketType::kQuestion) return false;
      t.type = *type;
      return true;
    }
    case TriageField::kPriority: {
      const auto priority = parse_priority(value);
      if (!priority || t.priority != Priority::kNormal) return false;
      t.priority = *priority;
      return true;
    }
    case TriageField::kTags: {
      if (std::find(t.tags.begin(), t.tags.end(), value) != t.tags.end()) return false;
      auto tags = t.tags;
      tags.push_back(value);
      auto normal = normalize_tags(tags);
      if (!normal) return false;
      t.tags = std::move(*normal);
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::vector<TriageSet>> TriageService::triage_new(const Catalog& catalog,
                                                                Ticket& ticket,
                                                                std::string_view body) {
  auto s = state();
  if (!s) return std::nullopt;
  std::vector<TriageSet> out;
  if (!(*s)->applies_any()) return out;
  // Every model first: with one missing the ticket is left as it is, for the job.
  std::vector<std::pair<const TriageSetting*, std::shared_ptr<const models::TextClassifier>>> used;
  for (const auto& [field, id] : (*s)->model_ids) {
    const auto setting = (*s)->settings.find(field);
    if (setting == (*s)->settings.end() || setting->second.mode != "apply") continue;
    // Someone chose it already: no prediction could change it.
    if ((field == TriageField::kDepartment && ticket.department_id) ||
        (field == TriageField::kType && ticket.type != TicketType::kQuestion) ||
        (field == TriageField::kPriority && ticket.priority != Priority::kNormal))
      continue;
    auto m = model(id);
    if (!m) return std::nullopt;  // the job tries again, and reports the error
    used.emplace_back(&setting->second, std::move(*m));
  }
  // Read once for every model (fastText's predictLine would read and hash it for each).
  const models::ClassifierText words(triage_text(ticket.subject, body));
  for (const auto& [setting, m] : used) {
    const auto field = parse_triage_field(setting->field);
    if (!field) continue;
    for (auto& p : m->predict(words, *field == TriageField::kTags ? 3 : 1)) {
      if (p.confidence * 100.0 < static_cast<double>(setting->threshold)) break;
      if (apply_prediction(catalog, *field, p.label, ticket))
        out.push_back({setting->field, std::move(p.label)});
    }
  }
  return out;
}

Result<void> TriageService::apply(std::string_view payload) {
  const auto id = JsonMembers(payload).integer("ticket");
  if (!id) return fail(ErrorCode::kInvalidArgument, "not a triage job");
  const std::int64_t ticket_id = *id;
  GONGDAN_ASSIGN(auto s, state());
  struct Read {
    std::optional<Ticket> ticket;
    std::string body;
  };
  Read read;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(read.ticket, store::find_ticket(c, ticket_id));
    if (!read.ticket) return {};
    GONGDAN_ASSIGN(auto first, store::list_messages(c, ticket_id, true, 0, 1));
    if (!first.empty()) read.body = first.front().body;
    return {};
  }));
  if (!read.ticket || read.ticket->merged_into) return {};
  GONGDAN_ASSIGN(auto predicted, predict(*s, read.ticket->subject, read.body));
  std::erase_if(predicted, [&](const Predicted& p) {
    const auto& setting = s->settings.at(p.field);
    return setting.mode != "apply" || p.confidence * 100.0 < static_cast<double>(setting.threshold);
  });
  if (predicted.empty()) return {};
  return db_.write([&](store::Connection& c) -> Result<void> {
    return tickets_.system_change(
        c, ticket_id, "triage", {}, fmt::format("triage-t{}", ticket_id),
        [&](const Catalog& catalog, const Ticket&, Ticket& after) -> Result<TriggerOutcome> {
          TriggerOutcome out;
          out.via = "triage";
          for (const auto& p : predicted) apply_prediction(catalog, p.field, p.value, after);
          return out;
        });
  });
}

Result<std::vector<TriageSuggestion>> TriageService::suggestions(const Principal& who,
                                                                 std::int64_t number) {
  if (!who.is_agent()) return fail(ErrorCode::kNotFound, "no such ticket");
  GONGDAN_ASSIGN(auto ticket, tickets_.get(who, number));
  GONGDAN_ASSIGN(auto first, tickets_.messages(who, number, 0, 1));
  GONGDAN_ASSIGN(auto s, state());
  GONGDAN_ASSIGN(auto predicted,
                 predict(*s, ticket.subject, first.empty() ? "" : first.front().body));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  std::vector<TriageSuggestion> out;
  for (auto& p : predicted) {
    TriageSuggestion x;
    x.field = std::string(triage_field_name(p.field));
    x.label = p.value;
    x.confidence = p.confidence;
    if (p.field == TriageField::kDepartment) {
      const auto id = number_of(p.value);
      const auto* d = id ? catalog->department(*id) : nullptr;
      if (!d) continue;  // deleted since the model learnt it
      x.label = d->name;
      x.current = ticket.department_id == id;
    } else if (p.field == TriageField::kType) {
      x.current = type_name(ticket.type) == p.value;
    } else if (p.field == TriageField::kPriority) {
      x.current = priority_name(ticket.priority) == p.value;
    } else {
      x.current = std::find(ticket.tags.begin(), ticket.tags.end(), p.value) != ticket.tags.end();
    }
    x.value = std::move(p.value);
    out.push_back(std::move(x));
  }
  return out;
}

Result<void> TriageService::request_training(const Principal& who) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "train triage"));
  const Millis now = clock_.now_ms();
  return db_.write([&](store::Connection& c) {
    return queue_training(c, 0, fmt::format("triage-train-asked-{}", now));
  });
}

}  // namespace gongdan::services
