#include "services/mailboxes_service.hpp"

#include "util/text.hpp"

namespace gongdan::services {
namespace {

// Host names and IMAP folder names go into URLs and IMAP commands: a small safe alphabet only.
bool is_plain_name(std::string_view s, std::string_view extra) {
  if (s.empty() || s.size() > 255) return false;
  for (unsigned char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' || extra.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

store::MailboxRow without_password(store::MailboxRow row) {
  row.imap_password = row.imap_password.empty() ? "" : "set";
  row.smtp_password = row.smtp_password.empty() ? "" : "set";
  return row;
}

}  // namespace

Result<void> MailboxesService::apply(const MailboxInput& in, store::MailboxRow& row) {
  if (in.address) {
    const auto address = text::trim(*in.address);
    if (!text::looks_like_email(address) || address.size() > 254)
      return fail(ErrorCode::kInvalidArgument, "not a valid email address", "address");
    row.address = text::to_lower_ascii(address);
  }
  if (in.department_id) {
    if (*in.department_id) {
      GONGDAN_ASSIGN(auto catalog, directory_.catalog());
      if (!catalog->department(**in.department_id))
        return fail(ErrorCode::kInvalidArgument, "no such department", "department");
    }
    row.department_id = *in.department_id;
  }
  if (in.imap_host) {
    if (!in.imap_host->empty() && !is_plain_name(*in.imap_host, ":[]"))
      return fail(ErrorCode::kInvalidArgument, "not a host name", "imap_host");
    row.imap_host = *in.imap_host;
  }
  if (in.imap_port) {
    if (*in.imap_port < 1 || *in.imap_port > 65535)
      return fail(ErrorCode::kInvalidArgument, "must be 1 to 65535", "imap_port");
    row.imap_port = *in.imap_port;
  }
  if (in.imap_tls) {
    if (*in.imap_tls != "tls" && *in.imap_tls != "starttls" && *in.imap_tls != "none")
      return fail(ErrorCode::kInvalidArgument, "use tls, starttls or none", "imap_tls");
    row.imap_tls = *in.imap_tls;
  }
  if (in.imap_user) {
    if (in.imap_user->size() > 255 || text::strip_controls(*in.imap_user) != *in.imap_user)
      return fail(ErrorCode::kInvalidArgument, "not a valid user name", "imap_user");
    row.imap_user = *in.imap_user;
  }
  if (in.imap_password) {
    if (in.imap_password->size() > 1024)
      return fail(ErrorCode::kInvalidArgument, "is too long", "imap_password");
    row.imap_password = in.imap_password->empty() ? "" : secrets_.seal(*in.imap_password);
  }
  if (in.imap_folder) {
    if (!is_plain_name(*in.imap_folder, " /"))
      return fail(ErrorCode::kInvalidArgument, "use letters, digits, space . - _ /", "imap_folder");
    row.imap_folder = *in.imap_folder;
  }
  if (in.poll_seconds) {
    if (*in.poll_seconds < 1 || *in.poll_seconds > 86400)
      return fail(ErrorCode::kInvalidArgument, "must be 1 to 86400", "poll_seconds");
    row.poll_seconds = *in.poll_seconds;
  }
  if (in.after_fetch) {
    if (*in.after_fetch != "seen" && *in.after_fetch != "move" && *in.after_fetch != "delete")
      return fail(ErrorCode::kInvalidArgument, "use seen, move or delete", "after_fetch");
    row.after_fetch = *in.after_fetch;
  }
  if (in.move_to) {
    if (!in.move_to->empty() && !is_plain_name(*in.move_to, " /"))
      return fail(ErrorCode::kInvalidArgument, "use letters, digits, space . - _ /", "move_to");
    row.move_to = *in.move_to;
  }
  if (row.after_fetch == "move" && row.move_to.empty())
    return fail(ErrorCode::kInvalidArgument, "is required when after_fetch is move", "move_to");
  if (in.smtp_host) {
    if (!in.smtp_host->empty() && !is_plain_name(*in.smtp_host, ":[]"))
      return fail(ErrorCode::kInvalidArgument, "not a host name", "smtp_host");
    row.smtp_host = *in.smtp_host;
  }
  if (in.smtp_port) {
    if (*in.smtp_port < 1 || *in.smtp_port > 65535)
      return fail(ErrorCode::kInvalidArgument, "must be 1 to 65535", "smtp_port");
    row.smtp_port = *in.smtp_port;
  }
  if (in.smtp_tls) {
    if (*in.smtp_tls != "tls" && *in.smtp_tls != "starttls" && *in.smtp_tls != "none")
      return fail(ErrorCode::kInvalidArgument, "use tls, starttls or none", "smtp_tls");
    row.smtp_tls = *in.smtp_tls;
  }
  if (in.smtp_user) {
    if (in.smtp_user->size() > 255 || text::strip_controls(*in.smtp_user) != *in.smtp_user)
      return fail(ErrorCode::kInvalidArgument, "not a valid user name", "smtp_user");
    row.smtp_user = *in.smtp_user;
  }
  if (in.smtp_password) {
    if (in.smtp_password->size() > 1024)
      return fail(ErrorCode::kInvalidArgument, "is too long", "smtp_password");
    row.smtp_password = in.smtp_password->empty() ? "" : secrets_.seal(*in.smtp_password);
  }
  if (in.acknowledge) row.acknowledge = *in.acknowledge;
  if (in.trusted) row.trusted = *in.trusted;
  if (in.active) row.active = *in.active;
  return {};
}

Result<store::MailboxRow> MailboxesService::create(const Principal& who, const MailboxInput& in) {
  GONGDAN_TRY(require_admin(who, "manage mailboxes"));
  if (!in.address) return fail(ErrorCode::kInvalidArgument, "is required", "address");
  store::MailboxRow row;
  GONGDAN_TRY(apply(in, row));
  row.created_at = row.updated_at = clock_.now_ms();
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto taken, store::find_mailbox_by_address(c, row.address));
    if (taken) return fail(ErrorCode::kConflict, "a mailbox has this address", "address");
    GONGDAN_ASSIGN(row.id, store::insert_mailbox(c, row));
    return {};
  }));
  return without_password(row);
}

Result<store::MailboxRow> MailboxesService::update(const Principal& who, std::int64_t id,
                                                   const MailboxInput& in) {
  GONGDAN_TRY(require_admin(who, "manage mailboxes"));
  store::MailboxRow row;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto found, store::find_mailbox(c, id));
    if (!found) return fail(ErrorCode::kNotFound, "no such mailbox");
    row = *found;
    GONGDAN_TRY(apply(in, row));
    if (row.address != found->address) {
      GONGDAN_ASSIGN(auto taken, store::find_mailbox_by_address(c, row.address));
      if (taken) return fail(ErrorCode::kConflict, "a mailbox has this address", "address");
    }
    row.updated_at = clock_.now_ms();
    return store::update_mailbox(c, row);
  }));
  return without_password(row);
}

Result<void> MailboxesService::remove(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require_admin(who, "manage mailboxes"));
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(bool removed, store::delete_mailbox(c, id));
    if (!removed) return fail(ErrorCode::kNotFound, "no such mailbox");
    return {};
  });
}

Result<std::vector<store::MailboxRow>> MailboxesService::list(const Principal& who) {
  GONGDAN_TRY(require_admin(who, "manage mailboxes"));
  GONGDAN_ASSIGN(auto rows, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_mailboxes(c);
                 }));
  for (auto& r : rows) r = without_password(std::move(r));
  return rows;
}

Result<store::MailboxRow> MailboxesService::get(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require_admin(who, "manage mailboxes"));
  GONGDAN_ASSIGN(auto row, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_mailbox(c, id);
                 }));
  if (!row) return fail(ErrorCode::kNotFound, "no such mailbox");
  return without_password(std::move(*row));
}

Result<std::vector<MailboxAccount>> MailboxesService::accounts() {
  GONGDAN_ASSIGN(auto rows, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_mailboxes(c);
                 }));
  std::vector<MailboxAccount> out;
  for (auto& row : rows) {
    if (!row.active || row.imap_host.empty()) continue;
    MailboxAccount a{std::move(row), {}};
    if (!a.row.imap_password.empty()) {
      auto opened = secrets_.open(a.row.imap_password);
      if (!opened) continue;  // sealed with another key: the poll reports it, see account()
      a.password = std::move(*opened);
    }
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<MailboxAccount>> MailboxesService::account(std::int64_t id) {
  GONGDAN_ASSIGN(auto row, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_mailbox(c, id);
                 }));
  if (!row) return std::optional<MailboxAccount>{};
  MailboxAccount a{std::move(*row), {}};
  if (!a.row.imap_password.empty()) {
    GONGDAN_ASSIGN(a.password, secrets_.open(a.row.imap_password));
  }
  if (!a.row.smtp_password.empty()) {
    GONGDAN_ASSIGN(a.smtp_password, secrets_.open(a.row.smtp_password));
  }
  return std::optional<MailboxAccount>(std::move(a));
}

Result<void> MailboxesService::record_poll(std::int64_t id, std::string_view error,
                                           std::int64_t fetched) {
  const Millis now = clock_.now_ms();
  const std::string message = text::strip_controls(error).substr(0, 1000);
  return db_.write([&](store::Connection& c) -> Result<void> {
    return store::record_mailbox_poll(c, id, now, message, fetched);
  });
}

}  // namespace gongdan::services
