// Polls every active mailbox over IMAP and feeds what it fetches into the same intake as the
// mailgate. Mailboxes run side by side: each poll runs on its own thread, so a slow or broken
// server never delays another mailbox, and a broken message is quarantined by the intake while
// the poll goes on.
//
// Nothing is lost: a message is marked $GongdanPending before it is fetched, and only after the
// intake has committed it (as a ticket message, a duplicate, or a quarantine entry) is the
// after-fetch action applied (seen: the mark is cleared and \Seen stays; move; delete). Each poll
// looks for UNSEEN messages and for pending ones a previous run did not finish. At most
// `batch` messages are taken per poll; a full batch schedules the next poll at once, so a
// mailbox with thousands of old messages is worked through without long-running requests.
//
// Where the server advertises IDLE (RFC 2177), each mailbox also has a watcher: a thread holding
// one more connection in IDLE (imap_idle.hpp) that asks for a poll as soon as the server says
// new mail exists, so mail becomes a ticket in seconds. The mailbox's idle_since says so. Polls
// every poll_seconds go on beside it, and are all a server without IDLE gets.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "channels/email/mail_intake.hpp"
#include "services/mailboxes_service.hpp"

namespace gongdan::email {

struct PollReport {
  std::int64_t fetched = 0;  // messages committed (tickets, replies, duplicates, quarantine)
  std::string error;         // "" when the poll went through
};

class ImapPoller {
 public:
  ImapPoller(services::MailboxesService& mailboxes, MailIntake& intake, std::size_t batch = 200)
      : mailboxes_(mailboxes), intake_(intake), batch_(batch) {}
  ~ImapPoller() { stop(); }

  void start();
  // Waits for running polls to finish their current message.
  void stop();
  // Polls one mailbox now, on the caller's thread (waits for a running poll of it first).
  Result<PollReport> poll_now(std::int64_t mailbox_id);

 private:
  struct Worker {
    std::thread thread;
    bool done = false;
  };
  struct Watcher {
    std::thread thread;
    std::string login;  // what it logged in with: a change of the mailbox restarts it
    std::atomic<bool> stop{false};
    bool done = false;
  };
  void run();
  // Starts, restarts and stops watchers to match the active mailboxes. Under mutex_.
  void update_watchers(const std::vector<services::MailboxAccount>& accounts);
  void watch(const std::shared_ptr<Watcher>& watcher, const services::MailboxAccount& account);
  // Polls the mailbox as soon as it is free (at once, or right after its running poll).
  void nudge(std::int64_t mailbox_id);
  PollReport poll(const services::MailboxAccount& account);
  std::shared_ptr<std::mutex> lock_for(std::int64_t id);

  services::MailboxesService& mailboxes_;
  MailIntake& intake_;
  std::size_t batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool poked_ = false;  // a poll became due before the loop's next round
  std::thread loop_;
  std::map<std::int64_t, std::shared_ptr<Worker>> workers_;
  std::map<std::int64_t, std::shared_ptr<std::mutex>> locks_;
  std::map<std::int64_t, std::chrono::steady_clock::time_point> due_;
  std::map<std::int64_t, std::shared_ptr<Watcher>> watchers_;
  std::set<std::int64_t> nudged_;  // asked for while a poll of it ran
};

}  // namespace gongdan::email
