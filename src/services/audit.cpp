#include "services/audit.hpp"

#include <memory>
#include <mutex>

#include "services/secret_box.hpp"
#include "store/audit_store.hpp"
#include "store/database.hpp"
#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

std::mutex signer_mutex;
std::shared_ptr<const SecretBox> signer;  // guarded by signer_mutex

std::string chain_mac(std::string_view text) {
  std::shared_ptr<const SecretBox> box;
  {
    std::lock_guard lock(signer_mutex);
    box = signer;
  }
  if (box) return box->mac(text);
  return crypto::sha256_hex(text);
}

std::string head_mac(const store::AuditHead& h) {
  return chain_mac("gongdan audit head v1\n" + std::to_string(h.first_id) + "\n" +
                   std::to_string(h.last_id) + "\n" + h.hash);
}

constexpr int kVerifyPage = 2000;

}  // namespace

void set_audit_signer(const SecretBox& secrets) {
  auto copy = std::make_shared<const SecretBox>(secrets);
  std::lock_guard lock(signer_mutex);
  signer = std::move(copy);
}

Result<void> record_audit(store::Connection& c, Millis at, std::optional<std::int64_t> actor,
                          std::string_view action, std::string_view target, std::string_view ip,
                          std::string_view detail_json) {
  AuditEntry e;
  e.at = at;
  e.actor_id = actor;
  e.action = std::string(action);
  e.target = std::string(target);
  e.ip = std::string(ip);
  e.detail = std::string(detail_json);
  GONGDAN_ASSIGN(auto head, store::lock_audit_head(c));
  e.hash = chain_mac(audit_link_text(e, head.hash));
  GONGDAN_ASSIGN(auto id, store::append_audit(c, e));
  if (head.first_id == 0) head.first_id = id;
  head.last_id = id;
  head.hash = e.hash;
  head.mac = head_mac(head);
  return store::set_audit_head(c, head);
}

Result<std::vector<AuditEntry>> AuditService::list(const Principal& who, std::int64_t before_id,
                                                   int limit, const AuditFilter& filter) {
  GONGDAN_TRY(require(who, Permission::kViewAudit, "read the audit log"));
  GONGDAN_ASSIGN(auto entries, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_audit(c, before_id, limit, filter);
                 }));
  return entries;
}

Result<AuditCheck> AuditService::verify(const Principal& who) {
  GONGDAN_TRY(require(who, Permission::kViewAudit, "verify the audit log"));
  AuditCheck check;
  auto problem = [&check](std::int64_t row, std::string text) {
    if (!check.first_bad) check.first_bad = row;
    check.problems.push_back(std::move(text));
  };
  // One read: the rows and the head as of one moment.
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto head, store::read_audit_head(c));
    if (!crypto::equal_constant_time(head.mac, head_mac(head)))
      problem(head.last_id, "the chain's head (audit_head) was changed: it names row " +
                                std::to_string(head.last_id) + " under a MAC that does not match");
    std::string previous_hash;
    std::int64_t previous_id = 0;
    std::int64_t after = 0;
    for (;;) {
      GONGDAN_ASSIGN(auto rows, store::audit_rows_after(c, after, kVerifyPage));
      for (const auto& row : rows) {
        after = row.id;
        if (head.first_id == 0 || row.id < head.first_id) {
          ++check.older_rows;
          if (!row.hash.empty())
            problem(row.id, "audit row " + std::to_string(row.id) +
                                " carries a hash but the chain begins after it");
          continue;
        }
        ++check.chained_rows;
        const std::string expected = chain_mac(audit_link_text(row, previous_hash));
        if (!crypto::equal_constant_time(row.hash, expected)) {
          const bool first = previous_id == 0;
          const bool gap = !first && row.id != previous_id + 1;
          std::string text = "audit row " + std::to_string(row.id) + " does not match the chain: ";
          if (first && row.id != head.first_id)
            text += "the chain began at row " + std::to_string(head.first_id) +
                    ", which was removed, or row " + std::to_string(row.id) + " was changed";
          else if (gap)
            text += "row " + std::to_string(row.id) + " was changed, or rows " +
                    std::to_string(previous_id + 1) + " to " + std::to_string(row.id - 1) +
                    " before it were removed";
          else
            text += "row " + std::to_string(row.id) + " was changed";
          problem(row.id, std::move(text));
        }
        previous_hash = row.hash;  // go on from what is stored, so one change is one problem
        previous_id = row.id;
      }
      if (rows.size() < static_cast<std::size_t>(kVerifyPage)) break;
    }
    check.last_id = previous_id;
    check.head_hash = previous_hash;
    if (head.first_id != 0 && (previous_id != head.last_id || previous_hash != head.hash))
      problem(previous_id, "the chain's head names row " + std::to_string(head.last_id) +
                               " as the newest, but the newest row is " +
                               std::to_string(previous_id) + ": rows at the end were removed");
    return {};
  }));
  return check;
}

}  // namespace gongdan::services
