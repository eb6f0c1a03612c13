#include "services/assist_service.hpp"

#include <fmt/format.h>

#include <chrono>

#include "domain/kb.hpp"
#include "models/chat_completions.hpp"
#include "models/chat_endpoint.hpp"
#include "services/assist_prompt.hpp"
#include "services/directory.hpp"
#include "services/job_kinds.hpp"
#include "services/job_queue.hpp"
#include "services/kb_service.hpp"
#include "services/resource_load.hpp"
#include "services/resource_service.hpp"
#include "services/tickets_service.hpp"
#include "store/assist_store.hpp"
#include "store/database.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr int kThreadMessages = 200;  // a summary reads at most this many messages
constexpr int kDraftArticles = 3;
constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kThirtyDays = 30 * kDay;

Result<void> check_base_url(AssistSetting& s) {
  const std::string_view url = s.base_url;
  if (url.empty()) return {};
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    return fail(ErrorCode::kInvalidArgument, "use an http:// or https:// address", "base_url");
  if (url.find_first_of(" \t\r\n") != std::string_view::npos)
    return fail(ErrorCode::kInvalidArgument, "a URL has no spaces", "base_url");
  while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();
  return {};
}

std::vector<Bound<AssistSetting>> setting_fields() {
  using S = AssistSetting;
  return {
      field_of(&S::id, id_field()),
      field_of(&S::enabled,
               switch_field("enabled", {"On", "启用"},
                            {"Off: nothing about a ticket leaves the server. On: agents' Draft "
                             "reply and Summarize send the ticket's thread (and, for a draft, the "
                             "matching articles) to this endpoint.",
                             "关闭：工单内容不会离开服务器。启用：客服点击“起草回复”和“总结”时，"
                             "工单的对话（起草时还有匹配的知识库文章）会发送到此接口。"})),
      field_of(&S::base_url,
               text_field("base_url", {"Endpoint URL", "接口地址"},
                          {"An OpenAI-compatible API's base: http://127.0.0.1:8080/v1 "
                           "(llama.cpp), http://127.0.0.1:11434/v1 (Ollama) or a cloud "
                           "provider's; /chat/completions is added.",
                           "兼容 OpenAI 的接口地址前缀：http://127.0.0.1:8080/v1（llama.cpp）、"
                           "http://127.0.0.1:11434/v1（Ollama）或云服务商的地址；会在后面加上 "
                           "/chat/completions。"})
                   .max(500),
               check_base_url),
      field_of(&S::model,
               text_field("model", {"Model", "模型"},
                          {"The model's name as the endpoint knows it.", "接口所认识的模型名称。"})
                   .max(200)),
      field_of(&S::api_key, secret_field("api_key", {"API key", "API 密钥"},
                                         {"Sent as a Bearer token; stored encrypted. Empty for a "
                                          "local server that needs none.",
                                          "以 Bearer 令牌发送，加密保存。本地服务无需密钥时留空。"})
                                .sealed()
                                .max(1000)),
      field_of(&S::max_tokens,
               integer_field("max_tokens", {"Longest answer (tokens)", "回答最大长度（token）"})
                   .range(16, 32000)),
      field_of(&S::timeout_seconds,
               integer_field("timeout_seconds", {"Timeout (seconds)", "超时（秒）"},
                             {"An endpoint that has not answered by then is given up on (504).",
                              "超过此时间未回答即放弃（504）。"})
                   .range(1, 300)),
      field_of(&S::max_concurrent,
               integer_field("max_concurrent", {"Requests at once", "同时请求数"},
                             {"How many requests each server sends the endpoint at the same "
                              "time; one more is refused with \"busy, try again\" (503). A "
                              "llama.cpp server answers as many at once as its --parallel slots.",
                              "每台服务器同时向接口发送的请求数上限；超出的请求会被拒绝并提示"
                              "“繁忙，请稍后再试”（503）。llama.cpp 服务器能同时回答的请求数"
                              "等于其 --parallel 槽位数。"})
                   .range(1, 64)),
      field_of(&S::log_days,
               integer_field("log_days", {"Keep the request log (days)", "请求日志保留天数"},
                             {"Older requests are deleted from the log once a day.",
                              "更早的请求记录每天删除一次。"})
                   .range(1, 3650)),
      field_of(&S::updated_at, time_field("updated_at")),
  };
}

// Drafts and summaries are for staff who may reply publicly.
bool may_use(const Principal& who) { return who.can(Permission::kReply); }

std::string_view task_name(AssistTask task) {
  return task == AssistTask::kDraft ? "draft" : "summary";
}

// One of the node's max_concurrent places for a request to the endpoint, while it is held.
class Slot {
 public:
  Slot(std::atomic<std::int64_t>& in_flight, std::int64_t most) : in_flight_(in_flight) {
    held_ = in_flight_.fetch_add(1) < most;
    if (!held_) in_flight_.fetch_sub(1);
  }
  ~Slot() {
    if (held_) in_flight_.fetch_sub(1);
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  bool held() const { return held_; }

 private:
  std::atomic<std::int64_t>& in_flight_;
  bool held_ = false;
};

Error busy(std::int64_t most) {
  return {ErrorCode::kUnavailable,
          fmt::format("the model endpoint is busy: {} request{} from this server already wait "
                      "for it; try again in a moment",
                      most, most == 1 ? "" : "s"),
          {},
          5};
}

// The pruning job for the day after `now`'s (UTC), keyed by that day: one a day however many
// requests queue it.
NewJob prune_job(Millis now) {
  NewJob job;
  job.kind = std::string(kAssistLogJob);
  job.run_at = (now / kDay + 1) * kDay;
  job.idempotency_key = fmt::format("assist-log-{}", now / kDay + 1);
  job.max_attempts = 3;
  return job;
}

}  // namespace

// One request to the endpoint and what the log keeps of it.
struct AssistService::Call {
  AssistRequest row;
  std::vector<models::ChatMessage> messages;
  models::ChatAnswer answer;
  AssistFailure failure = AssistFailure::kNone;
  std::string message;  // what went wrong, for the person who asked
};

const Resource<AssistSetting>& assist_setting_resource() {
  static const Resource<AssistSetting> r = declare<AssistSetting>(
      resource_info("assist-settings", "assist_setting", {"Drafts and summaries", "草稿与摘要"},
                    "assist")
          .table("assist_settings")
          .order_by("id")
          .read_by(Audience::kAdmins)
          .ops({.list = true, .get = true, .create = false, .update = true, .remove = false}),
      setting_fields());
  return r;
}

void AssistService::add_to(Resources& resources) {
  Hooks<AssistSetting> hooks;
  hooks.check = [](store::Connection&, const Principal&, AssistSetting& s,
                   const AssistSetting*) -> Result<void> {
    if (s.enabled && s.base_url.empty())
      return fail(ErrorCode::kInvalidArgument, "is required to turn drafts on", "base_url");
    if (s.enabled && s.model.empty())
      return fail(ErrorCode::kInvalidArgument, "is required to turn drafts on", "model");
    return {};
  };
  resources.add(assist_setting_resource(), std::move(hooks));
}

Result<AssistSetting> AssistService::setting() {
  std::vector<AssistSetting> all;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(all, load_all(c, assist_setting_resource()));
    return {};
  }));
  if (all.empty()) return AssistSetting{};
  return all.front();
}

Result<void> AssistService::call(const AssistSetting& s, Call& call) {
  Slot slot(in_flight_, s.max_concurrent);
  if (!slot.held()) return fail(busy(s.max_concurrent));
  call.row.at = clock_.now_ms();
  call.row.model = s.model;
  models::ChatPost post;
  post.url = s.base_url + "/chat/completions";
  if (!s.api_key.empty()) {
    GONGDAN_ASSIGN(post.api_key, secrets_.open(s.api_key));
  }
  post.body = models::chat_request_body(s.model, call.messages, s.max_tokens);
  post.timeout_ms = s.timeout_seconds * 1000;
  const auto started = std::chrono::steady_clock::now();
  const models::ChatHttp http = models::post_chat(post);
  call.row.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count();
  call.failure = AssistFailure::kBadAnswer;
  if (http.failure == models::ChatFailure::kTimeout) {
    call.failure = AssistFailure::kTimeout;
    call.row.outcome = "timeout";
    call.message =
        "the model endpoint did not answer within " + std::to_string(s.timeout_seconds) + " s";
  } else if (http.failure == models::ChatFailure::kUnreachable) {
    call.row.outcome = "unreachable";
    call.message = "the model endpoint cannot be reached";
  } else if (http.status < 200 || http.status > 299) {
    call.row.outcome = "refused";
    call.row.http_status = http.status;
    call.message = "the model endpoint answered HTTP " + std::to_string(http.status);
  } else if (auto answer = models::read_chat_answer(http.body)) {
    call.failure = AssistFailure::kNone;
    call.row.outcome = "ok";
    call.row.http_status = http.status;
    call.row.prompt_tokens = answer->prompt_tokens;
    call.row.completion_tokens = answer->completion_tokens;
    call.answer = std::move(*answer);
  } else {
    call.row.outcome = "garbage";
    call.row.http_status = http.status;
    call.message = "the model endpoint's answer is not a chat completion";
  }
  if (call.failure != AssistFailure::kNone)
    call.row.error = http.error.empty() ? call.message : http.error;
  return record(call);
}

Result<void> AssistService::record(const Call& call) {
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::insert_assist_request(c, call.row));
    GONGDAN_TRY(jobs_.enqueue(c, prune_job(call.row.at)));
    return {};
  });
}

Result<void> AssistService::prune_log() {
  GONGDAN_ASSIGN(auto s, setting());
  return db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    GONGDAN_TRY(store::delete_assist_requests_before(c, now - s.log_days * kDay));
    GONGDAN_ASSIGN(bool left, store::any_assist_requests(c));
    if (left) GONGDAN_TRY(jobs_.enqueue(c, prune_job(now)));
    return {};
  });
}

Result<AssistText> AssistService::ask(const Principal& who, std::int64_t number, AssistTask task) {
  if (!may_use(who))
    return fail(ErrorCode::kPermissionDenied,
                "only agents, supervisors and admins may ask for drafts and summaries");
  GONGDAN_ASSIGN(auto s, setting());
  if (!s.enabled)
    return fail(ErrorCode::kConflict,
                "drafts and summaries are off; an admin turns them on in the settings");
  GONGDAN_ASSIGN(auto ticket, tickets_.get(who, number));
  GONGDAN_ASSIGN(auto thread, tickets_.messages(who, number, 0, kThreadMessages));
  Call c;
  c.row.user_id = who.user.id;
  c.row.ticket_number = ticket.number;
  c.row.kind = std::string(task_name(task));
  AssistText out;
  AssistPrompt prompt;
  if (task == AssistTask::kDraft) {
    std::erase_if(thread, [](const Message& m) { return m.internal; });
    const std::string lang = ticket.language.starts_with("zh") ? "zh-CN" : "en";
    // The articles the agent is offered beside the ticket (their departments' and global ones):
    // another department's internal knowledge never reaches the prompt.
    GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
    GONGDAN_ASSIGN(auto articles, kb_.search(KbReader::kAgent, ticket.subject, lang, kDraftArticles,
                                             KbService::Match::kAny, kb_departments(viewer)));
    for (const auto& a : articles) out.article_ids.push_back(a.article_id);
    prompt = draft_prompt(ticket, thread, articles, ticket.language);
  } else {
    prompt = summary_prompt(ticket, thread, who.user.locale);
  }
  c.messages = {{"system", std::move(prompt.system)}, {"user", std::move(prompt.user)}};
  GONGDAN_TRY(call(s, c));
  out.failure = c.failure;
  out.text = c.failure == AssistFailure::kNone ? c.answer.content : c.message;
  out.prompt_tokens = c.answer.prompt_tokens;
  out.completion_tokens = c.answer.completion_tokens;
  return out;
}

Result<AssistTest> AssistService::test(const Principal& who) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "test the model endpoint"));
  GONGDAN_ASSIGN(auto s, setting());
  if (s.base_url.empty() || s.model.empty())
    return fail(ErrorCode::kConflict, "set the endpoint URL and the model first");
  Call c;
  c.row.user_id = who.user.id;
  c.row.kind = "test";
  c.messages = {{"user", "Answer with the single word OK."}};
  AssistTest out;
  GONGDAN_TRY(call(s, c));
  out.duration_ms = c.row.duration_ms;
  out.ok = c.failure == AssistFailure::kNone;
  // The admin sees the details (curl's reason) that agents are not shown.
  out.message = text::cut_utf8(out.ok ? c.answer.content : c.row.error, 300);
  return out;
}

Result<AssistLog> AssistService::log(const Principal& who, std::int64_t before, int limit) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "read the model endpoint's log"));
  AssistLog out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out.requests, store::list_assist_requests(c, before, limit + 1));
    GONGDAN_ASSIGN(auto use, store::assist_use_since(c, clock_.now_ms() - kThirtyDays));
    out.requests_30_days = use.requests;
    out.prompt_tokens_30_days = use.prompt_tokens;
    out.completion_tokens_30_days = use.completion_tokens;
    return {};
  }));
  if (static_cast<int>(out.requests.size()) > limit) {
    out.requests.resize(static_cast<std::size_t>(limit));
    out.next_before = out.requests.back().id;
  }
  return out;
}

}  // namespace gongdan::services
