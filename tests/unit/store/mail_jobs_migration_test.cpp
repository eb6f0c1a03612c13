// Migration 14 moves the outbox's waiting mail onto the job queue: tested from the schema before
// it (13) with mail in every state, on SQLite and (PgLive, in the PostgreSQL step) on PostgreSQL.
#include <gtest/gtest.h>

#include "pg_live.hpp"
#include "scratch_sqlite.hpp"
#include "store/jobs_store.hpp"
#include "store/migrations.hpp"

namespace gongdan::store {
namespace {

constexpr int kBefore = 13;

// A requester, a ticket and three mails: one waiting for its second try, one sent, one failed.
Result<void> add_outbox(Database& db) {
  return db.write([](Connection& c) -> Result<void> {
    GONGDAN_TRY(
        c.exec("INSERT INTO users (role, email, email_norm, created_at, updated_at) VALUES "
               "('customer', 'li@example.cn', 'li@example.cn', 1, 1)"));
    GONGDAN_TRY(c.exec(
        "INSERT INTO tickets (number, subject, status_id, category, priority, type, "
        "requester_id, channel, created_at, updated_at) SELECT 1, 's', MIN(id), '', 1, "
        "'question', (SELECT id FROM users WHERE email_norm = 'li@example.cn'), 'email', 1, 1 "
        "FROM statuses"));
    for (const char* state : {"queued", "sent", "failed"}) {
      GONGDAN_ASSIGN(auto q, query(c,
                                   "INSERT INTO outbound_mail (ticket_id, mailbox_id, kind, "
                                   "message_id, from_address, to_address, subject, body, status, "
                                   "attempts, next_attempt_at, last_error, created_at) SELECT "
                                   "id, 1, 'reply', ?, 'support@desk.example', 'li@example.cn', "
                                   "'Re: s', 'b', ?, 1, 5000, 'SMTP: timeout', 1000 FROM tickets"));
      GONGDAN_TRY(q.bind(std::string(state) + "@desk.example", std::string(state)).run());
    }
    return {};
  });
}

void expect_one_mail_job(Database& db) {
  std::vector<JobRecord> jobs;
  std::int64_t queued_id = 0;
  ASSERT_TRUE(db.read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(jobs, list_jobs(c, "", 0, 100));
    GONGDAN_ASSIGN(auto q, query(c, "SELECT id FROM outbound_mail WHERE status = 'queued'"));
    GONGDAN_ASSIGN(bool row, q.next());
    if (row) queued_id = q.integer(0);
    return {};
  }));
  ASSERT_EQ(jobs.size(), 1u);
  const auto& job = jobs.front();
  EXPECT_EQ(job.kind, "mail");
  EXPECT_EQ(job.payload, "{\"outbound_id\":" + std::to_string(queued_id) + "}");
  EXPECT_EQ(job.idempotency_key, "mail:" + std::to_string(queued_id));
  EXPECT_EQ(job.state, "queued");
  EXPECT_EQ(job.run_at, 5000);  // when the outbox would have tried next
  EXPECT_EQ(job.attempts, 1);   // the try it has had still counts
  EXPECT_EQ(job.last_error, "SMTP: timeout");
}

void migrate_with_waiting_mail(Database& db) {
  auto before = migrate(db, kBefore);
  ASSERT_TRUE(before) << before.error().message;
  ASSERT_EQ(*before, kBefore);
  auto added = add_outbox(db);
  ASSERT_TRUE(added) << added.error().message;
  auto after = migrate(db);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(*after, latest_schema_version());
  expect_one_mail_job(db);
}

TEST(MailJobsMigration, QueuedMailGetsItsJobOnSqlite) {
  ScratchSqlite db;
  ASSERT_TRUE(db);
  migrate_with_waiting_mail(*db);
}

TEST_F(PgLive, MailJobsMigrationGivesQueuedMailItsJob) { migrate_with_waiting_mail(*db_); }

}  // namespace
}  // namespace gongdan::store
