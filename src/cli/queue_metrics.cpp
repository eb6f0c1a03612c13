#include "cli/queue_metrics.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "services/queue_stats.hpp"
#include "util/metrics.hpp"

namespace gongdan::cli {
namespace {

std::string label(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + escape_label(value) + "\"";
}

void append_jobs(std::string& out, const std::vector<JobStat>& jobs, Millis now) {
  std::vector<Sample> counts, due;
  std::map<std::string, double> oldest;  // by kind: seconds the earliest due job is late
  for (const auto& j : jobs) {
    counts.push_back(
        {label("kind", j.kind) + "," + label("state", j.state), static_cast<double>(j.count)});
    if (j.state != "queued") continue;
    due.push_back({label("kind", j.kind), static_cast<double>(j.due)});
    const Millis late = j.earliest ? std::max<Millis>(0, now - *j.earliest) : 0;
    oldest[j.kind] = static_cast<double>(late) / 1000.0;
  }
  std::vector<Sample> ages;
  for (const auto& [kind, seconds] : oldest) ages.push_back({label("kind", kind), seconds});
  append_family(out, "gongdan_jobs", "gauge",
                "Jobs not yet done, by kind and state (queued, running, dead); outgoing mail is "
                "kind mail, SLA timers sla_timer.",
                counts);
  append_family(out, "gongdan_jobs_due", "gauge", "Queued jobs whose time has come.", due);
  append_family(out, "gongdan_jobs_oldest_due_seconds", "gauge",
                "How late the earliest queued job of a kind is (0: none overdue).", ages);
}

void append_mailboxes(std::string& out, const std::vector<MailboxPoll>& polls) {
  std::vector<Sample> last, failing;
  for (const auto& m : polls) {
    const std::string labels =
        label("mailbox", std::to_string(m.id)) + "," + label("address", m.address);
    if (m.last_poll_at) last.push_back({labels, static_cast<double>(*m.last_poll_at) / 1000.0});
    failing.push_back({labels, m.failing ? 1.0 : 0.0});
  }
  append_family(out, "gongdan_mailbox_last_poll_timestamp_seconds", "gauge",
                "When each IMAP mailbox was last polled (Unix time).", last);
  append_family(out, "gongdan_mailbox_poll_failing", "gauge",
                "1 when the mailbox's last IMAP poll failed (its error is on the mailbox page).",
                failing);
}

}  // namespace

void append_queue_metrics(std::string& out, store::Database& db, const Clock& clock) {
  const Millis now = clock.now_ms();
  auto stats = services::read_queue_stats(db, now);
  if (!stats) {
    spdlog::warn("metrics: cannot read the job queue: {}", stats.error().message);
    append_family(out, "gongdan_queue_stats_up", "gauge", "1 when the queue could be read.",
                  {{"", 0}});
    return;
  }
  append_family(out, "gongdan_queue_stats_up", "gauge", "1 when the queue could be read.",
                {{"", 1}});
  append_jobs(out, stats->jobs, now);
  append_mailboxes(out, stats->mailboxes);
}

}  // namespace gongdan::cli
