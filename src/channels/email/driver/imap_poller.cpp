#include "channels/email/driver/imap_poller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "channels/email/driver/imap_session.hpp"

namespace gongdan::email {
namespace {

ImapAccount imap_account(const services::MailboxAccount& a, std::function<bool()> cancelled) {
  ImapAccount out;
  out.host = a.mailbox.imap_host;
  out.port = a.mailbox.imap_port;
  out.tls = a.mailbox.imap_tls;
  out.user = a.mailbox.imap_user;
  out.password = a.password;
  out.folder = a.mailbox.imap_folder;
  out.cancelled = std::move(cancelled);
  return out;
}

}  // namespace

void ImapPoller::start() {
  std::lock_guard lock(mutex_);
  if (loop_.joinable()) return;
  stopping_ = false;
  loop_ = std::thread([this] { run(); });
}

void ImapPoller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (loop_.joinable()) loop_.join();
  std::map<std::int64_t, std::shared_ptr<Worker>> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& [id, worker] : workers)
    if (worker->thread.joinable()) worker->thread.join();
}

std::shared_ptr<std::mutex> ImapPoller::lock_for(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto& slot = locks_[id];
  if (!slot) slot = std::make_shared<std::mutex>();
  return slot;
}

void ImapPoller::run() {
  using namespace std::chrono;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Join workers that have finished.
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (it->second->done) {
        it->second->thread.join();
        it = workers_.erase(it);
      } else {
        ++it;
      }
    }
    lock.unlock();
    auto accounts = mailboxes_.accounts();
    lock.lock();
    if (!accounts) {
      spdlog::warn("mailboxes: cannot read the mailbox list: {}", accounts.error().message);
    } else {
      const auto now = steady_clock::now();
      for (auto& account : *accounts) {
        const auto id = account.mailbox.id;
        if (workers_.contains(id)) continue;
        auto due = due_.find(id);
        if (due != due_.end() && now < due->second) continue;
        auto worker = std::make_shared<Worker>();
        workers_[id] = worker;
        worker->thread = std::thread([this, worker, account = std::move(account)] {
          const auto report = poll(account);
          const bool more =
              report.error.empty() && report.fetched >= static_cast<std::int64_t>(batch_);
          std::lock_guard done_lock(mutex_);
          due_[account.mailbox.id] =
              steady_clock::now() + (more ? seconds(0) : seconds(account.mailbox.poll_seconds));
          worker->done = true;
        });
      }
    }
    wake_.wait_for(lock, milliseconds(500), [this] { return stopping_; });
  }
}

Result<PollReport> ImapPoller::poll_now(std::int64_t mailbox_id) {
  GONGDAN_ASSIGN(auto account, mailboxes_.account(mailbox_id));
  if (!account) return fail(ErrorCode::kNotFound, "no such mailbox");
  if (account->mailbox.imap_host.empty())
    return fail(ErrorCode::kInvalidArgument, "the mailbox has no IMAP host", "imap_host");
  return poll(*account);
}

PollReport ImapPoller::poll(const services::MailboxAccount& account) {
  auto guard = lock_for(account.mailbox.id);
  std::lock_guard one_poll_at_a_time(*guard);
  PollReport report;
  ImapSession imap(imap_account(account, [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  }));
  auto finish = [&](std::string error) {
    report.error = std::move(error);
    if (!report.error.empty())
      spdlog::warn("mailbox {}: {}", account.mailbox.address, report.error);
    if (auto recorded = mailboxes_.record_poll(account.mailbox.id, report.error, report.fetched);
        !recorded)
      spdlog::warn("mailbox {}: {}", account.mailbox.address, recorded.error().message);
    return report;
  };
  // Pending first: messages a previous run fetched but did not finish.
  std::vector<std::uint64_t> uids;
  if (auto pending = imap.search("KEYWORD " + std::string(kPendingKeyword)); pending)
    uids = std::move(*pending);
  auto unseen = imap.search("UNSEEN");
  if (!unseen) return finish(unseen.error().message);
  for (auto uid : *unseen)
    if (std::find(uids.begin(), uids.end(), uid) == uids.end()) uids.push_back(uid);
  if (uids.size() > batch_) uids.resize(batch_);
  bool deleted_any = false;
  for (auto uid : uids) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    // Servers without keywords refuse the mark; the fetch below still works.
    (void)imap.add_flags(uid, kPendingKeyword);
    auto raw = imap.fetch(uid);
    if (!raw) return finish(raw.error().message);
    auto outcome = intake_.ingest(*raw, account.mailbox.department_id, account.mailbox.trusted);
    if (!outcome) {
      // Not even the quarantine could take it: leave it unseen for the next poll.
      (void)imap.remove_flags(uid, "\\Seen");
      return finish(outcome.error().message);
    }
    ++report.fetched;
    Result<void> done;
    if (account.mailbox.after_fetch == "move") {
      done = imap.move(uid, account.mailbox.move_to);
    } else if (account.mailbox.after_fetch == "delete") {
      done = imap.add_flags(uid, "\\Deleted \\Seen");
      deleted_any = deleted_any || done.has_value();
    } else {
      done = imap.add_flags(uid, "\\Seen");
      if (done) done = imap.remove_flags(uid, kPendingKeyword);
    }
    if (!done) return finish(done.error().message);
  }
  if (deleted_any)
    if (auto expunged = imap.expunge(); !expunged) return finish(expunged.error().message);
  return finish("");
}

}  // namespace gongdan::email
