// Drafts and summaries from a chat-completions endpoint an admin chooses (issue 22): a
// self-hosted llama.cpp, vLLM or Ollama server, or a cloud one. Off until an admin turns it on
// (the resource `assist-settings`): until then nothing about a ticket leaves the server.
//
// A draft is the ticket's public thread and the knowledge-base articles that match it, sent
// with an instruction to answer the customer's latest message; the text comes back to the agent's
// editor and is never sent by itself. A summary is the whole thread the agent may see (notes
// too), for the agent. Every request is logged with the tokens the answer says it used, for the
// admins. Agents, supervisors and admins may ask (light agents and customers: 403), only of a
// ticket they may see. The endpoint is called synchronously, cut off at the setting's timeout;
// its failures are values (AssistFailure), which the API answers with 504 (no answer in time)
// or 502 (unreachable, an HTTP error, an answer that is not the wire format). A node sends at
// most the setting's max_concurrent requests at once: one more is refused at once (kUnavailable,
// 503) rather than queued, since every request holds an agent waiting and a server thread.
//
// The log keeps the setting's log_days days: recording a request queues the next day's pruning
// job (jobs/assist_log_job), which queues the one after while requests remain.
//
// Threads: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/assist.hpp"
#include "domain/resource.hpp"
#include "services/principal.hpp"
#include "services/secret_box.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class Directory;
class JobQueue;
class KbService;
class Resources;
class TicketsService;

const Resource<AssistSetting>& assist_setting_resource();

enum class AssistTask { kDraft, kSummary };

enum class AssistFailure { kNone, kTimeout, kBadAnswer };

struct AssistText {
  AssistFailure failure = AssistFailure::kNone;
  std::string text;  // the answer, or what went wrong when it failed
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::vector<std::int64_t> article_ids;  // a draft's context from the knowledge base
};

// The admin's "test connection": whether the endpoint answered a one-line question.
struct AssistTest {
  bool ok = false;
  std::string message;  // the answer's first words, or why it failed
  std::int64_t duration_ms = 0;
};

struct AssistLog {
  std::vector<AssistRequest> requests;
  std::optional<std::int64_t> next_before;  // the next page's `before`
  std::int64_t requests_30_days = 0;
  std::int64_t prompt_tokens_30_days = 0;
  std::int64_t completion_tokens_30_days = 0;
};

class AssistService {
 public:
  AssistService(store::Database& db, const Clock& clock, const SecretBox& secrets,
                Directory& directory, TicketsService& tickets, KbService& kb, JobQueue& jobs)
      : db_(db),
        clock_(clock),
        secrets_(secrets),
        directory_(directory),
        tickets_(tickets),
        kb_(kb),
        jobs_(jobs) {}

  void add_to(Resources& resources);

  Result<AssistText> ask(const Principal& who, std::int64_t number, AssistTask task);
  // Admins; works while off (it sends no customer data), so a setting can be tried first.
  Result<AssistTest> test(const Principal& who);
  // Admins: up to `limit` requests older than `before` (0: the newest), newest first.
  Result<AssistLog> log(const Principal& who, std::int64_t before, int limit);
  // The pruning job: deletes the requests older than the setting's log_days, and queues the
  // next day's run while any remain.
  Result<void> prune_log();

 private:
  struct Call;
  Result<AssistSetting> setting();
  Result<void> call(const AssistSetting& s, Call& call);
  Result<void> record(const Call& call);

  store::Database& db_;
  const Clock& clock_;
  const SecretBox& secrets_;
  Directory& directory_;
  TicketsService& tickets_;
  KbService& kb_;
  JobQueue& jobs_;
  std::atomic<std::int64_t> in_flight_{0};  // requests this node is waiting on now
};

}  // namespace gongdan::services
