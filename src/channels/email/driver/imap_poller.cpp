#include "channels/email/driver/imap_poller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "channels/email/driver/imap_idle.hpp"
#include "channels/email/driver/imap_session.hpp"
#include "channels/email/driver/oauth_access.hpp"

namespace gongdan::email {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::steady_clock;

// A watcher that failed tries again after this; one whose server has no IDLE asks again after
// the longer wait (the server may be upgraded).
constexpr seconds kIdleRetry{60};
constexpr minutes kIdleRecheck{60};

std::string login_of(const services::MailboxAccount& a) {
  const auto& m = a.mailbox;
  return m.imap_host + "\n" + std::to_string(m.imap_port) + "\n" + m.imap_tls + "\n" + m.imap_user +
         "\n" + a.password + "\n" + m.imap_folder + "\n" + a.oauth.token_url + "\n" +
         a.oauth.client_id + "\n" + a.oauth.refresh_token;
}

ImapAccount imap_account(const services::MailboxAccount& a, std::function<bool()> cancelled) {
  ImapAccount out;
  out.host = a.mailbox.imap_host;
  out.port = a.mailbox.imap_port;
  out.tls = a.mailbox.imap_tls;
  out.user = a.mailbox.imap_user;
  out.password = a.password;
  out.folder = a.mailbox.imap_folder;
  out.cancelled = std::move(cancelled);
  out.oauth = a.oauth;
  return out;
}

// Joins the threads of `running` (workers or watchers, by mailbox) that have finished, and
// forgets them.
template <class Running>
void join_finished(Running& running) {
  for (auto it = running.begin(); it != running.end();) {
    if (it->second->done) {
      it->second->thread.join();
      it = running.erase(it);
    } else {
      ++it;
    }
  }
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
  std::map<std::int64_t, std::shared_ptr<Watcher>> watchers;
  {
    std::lock_guard lock(mutex_);
    watchers.swap(watchers_);
  }
  for (auto& [id, watcher] : watchers)
    if (watcher->thread.joinable()) watcher->thread.join();
}

std::shared_ptr<std::mutex> ImapPoller::lock_for(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto& slot = locks_[id];
  if (!slot) slot = std::make_shared<std::mutex>();
  return slot;
}

void ImapPoller::nudge(std::int64_t mailbox_id) {
  {
    std::lock_guard lock(mutex_);
    // A running poll may have passed the new mail already: it polls again when it ends. One
    // that has ended (done, not yet joined) set its next time already: it is due now.
    const auto running = workers_.find(mailbox_id);
    if (running != workers_.end() && !running->second->done)
      nudged_.insert(mailbox_id);
    else
      due_[mailbox_id] = steady_clock::now();
    poked_ = true;
  }
  wake_.notify_all();
}

void ImapPoller::update_watchers(const std::vector<services::MailboxAccount>& accounts) {
  join_finished(watchers_);
  std::map<std::int64_t, const services::MailboxAccount*> wanted;
  for (const auto& account : accounts) wanted[account.mailbox.id] = &account;
  bool stopped_any = false;
  for (auto& [id, watcher] : watchers_) {
    auto found = wanted.find(id);
    if (found == wanted.end() || login_of(*found->second) != watcher->login) {
      stopped_any = stopped_any || !watcher->stop.exchange(true);
      wanted.erase(id);  // started again once this one has ended
    } else {
      wanted.erase(found);
    }
  }
  if (stopped_any) wake_.notify_all();
  for (const auto& [id, account] : wanted) {
    auto watcher = std::make_shared<Watcher>();
    watcher->login = login_of(*account);
    watchers_[id] = watcher;
    watcher->thread = std::thread([this, watcher, account = *account] {
      watch(watcher, account);
      std::lock_guard lock(mutex_);
      watcher->done = true;
    });
  }
}

void ImapPoller::watch(const std::shared_ptr<Watcher>& watcher,
                       const services::MailboxAccount& account) {
  const auto id = account.mailbox.id;
  auto ended = [this, &watcher] {
    std::lock_guard lock(mutex_);
    return stopping_ || watcher->stop.load();
  };
  auto record = [&](bool idling) {
    if (auto recorded = mailboxes_.record_idle(id, idling); !recorded)
      spdlog::warn("mailbox {}: {}", account.mailbox.address, recorded.error().message);
  };
  auto rest = [&](seconds wait) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, wait, [&] { return stopping_ || watcher->stop.load(); });
  };
  while (!ended()) {
    ImapIdle idle(imap_account(account, ended));
    auto opened = idle.open();
    if (!opened) {
      spdlog::info("mailbox {}: {}; polling every {} s", account.mailbox.address,
                   opened.error().message, account.mailbox.poll_seconds);
      rest(kIdleRetry);
      continue;
    }
    if (!*opened) {
      spdlog::info("mailbox {}: the server has no IMAP IDLE; polling every {} s",
                   account.mailbox.address, account.mailbox.poll_seconds);
      rest(kIdleRecheck);
      continue;
    }
    bool recorded = false;
    auto watched = idle.watch(
        [&] {
          // Mail that came between the last poll and this IDLE is fetched now.
          if (!recorded) record(true);
          recorded = true;
          nudge(id);
        },
        [&] { nudge(id); });
    if (recorded) record(false);
    if (!watched) {
      spdlog::info("mailbox {}: {}; polling every {} s until IDLE is back", account.mailbox.address,
                   watched.error().message, account.mailbox.poll_seconds);
      rest(kIdleRetry);
    }
  }
}

void ImapPoller::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    join_finished(workers_);
    lock.unlock();
    auto accounts = mailboxes_.accounts();
    lock.lock();
    if (!accounts) {
      spdlog::warn("mailboxes: cannot read the mailbox list: {}", accounts.error().message);
    } else {
      update_watchers(*accounts);
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
          const bool full =
              report.error.empty() && report.fetched >= static_cast<std::int64_t>(batch_);
          {
            std::lock_guard done_lock(mutex_);
            const bool more = nudged_.erase(account.mailbox.id) > 0 || full;
            due_[account.mailbox.id] =
                steady_clock::now() + (more ? seconds(0) : seconds(account.mailbox.poll_seconds));
            worker->done = true;
            poked_ = poked_ || more;
          }
          wake_.notify_all();
        });
      }
    }
    wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_ || poked_; });
    poked_ = false;
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
    // Microsoft's endpoint hands a new refresh token with each access token: keep the newest.
    if (auto rotated = rotated_refresh_token(account.oauth))
      if (auto saved = mailboxes_.save_refresh_token(account.mailbox.id, *rotated); !saved)
        spdlog::warn("mailbox {}: {}", account.mailbox.address, saved.error().message);
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
