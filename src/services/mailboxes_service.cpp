#include "services/mailboxes_service.hpp"

#include "domain/delivery_attempt.hpp"
#include "services/resource_load.hpp"
#include "store/mailboxes_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

using Fields = std::vector<Bound<Mailbox>>;

// IMAP's and SMTP's alike.
FieldBuilder port_field(std::string_view key) {
  return integer_field(key, {"Port", "端口"}).range(1, 65535);
}

FieldBuilder tls_field(std::string_view key) {
  return choice_field(key, {"Encryption", "加密方式"}, {"tls", "starttls", "none"},
                      {"tls: encrypted from the start; starttls: upgraded after connecting.",
                       "tls：连接即加密；starttls：连接后升级加密。"});
}

FieldBuilder password_field(std::string_view key, std::string_view shown_as) {
  return secret_field(key, {"Password", "密码"},
                      {"Stored encrypted; never shown again.", "加密保存，之后不再显示。"})
      .shown_as(shown_as)
      .sealed();
}

Fields imap_fields() {
  return {
      field_of(&Mailbox::imap_host,
               text_field("imap_host", {"IMAP server", "IMAP 服务器"}).max(255)),
      field_of(&Mailbox::imap_port, port_field("imap_port")),
      field_of(&Mailbox::imap_tls, tls_field("imap_tls")),
      field_of(&Mailbox::imap_user, text_field("imap_user", {"User", "用户名"}).max(255)),
      field_of(&Mailbox::imap_password, password_field("imap_password", "has_password")),
      field_of(&Mailbox::imap_folder, text_field("imap_folder", {"Folder", "文件夹"}).max(255)),
      field_of(&Mailbox::poll_seconds,
               integer_field("poll_seconds", {"Poll every (seconds)", "轮询间隔（秒）"})
                   .range(1, 86400)),
      field_of(
          &Mailbox::after_fetch,
          choice_field("after_fetch", {"After fetching", "收取之后"}, {"seen", "move", "delete"},
                       {"Mark the message seen, move it to a folder, or delete it.",
                        "将邮件标为已读、移到文件夹或删除。"})),
      field_of(&Mailbox::move_to, text_field("move_to", {"Move to folder", "移到文件夹"}).max(255)),
  };
}

Fields smtp_fields() {
  return {
      field_of(&Mailbox::smtp_host,
               text_field("smtp_host", {"SMTP server", "SMTP 服务器"}).max(255)),
      field_of(&Mailbox::smtp_port, port_field("smtp_port")),
      field_of(&Mailbox::smtp_tls, tls_field("smtp_tls")),
      field_of(&Mailbox::smtp_user, text_field("smtp_user", {"User", "用户名"}).max(255)),
      field_of(&Mailbox::smtp_password, password_field("smtp_password", "has_smtp_password")),
  };
}

// How the mailbox signs in to both servers: passwords, or an OAuth2 client (XOAUTH2).
Fields oauth_fields() {
  return {
      field_of(&Mailbox::auth,
               choice_field("auth", {"Sign-in", "登录方式"}, {"password", "oauth2"},
                            {"password: the passwords above (for QQ, 163 and Tencent Exmail an "
                             "app password or authorization code); oauth2: XOAUTH2 with tokens "
                             "from the OAuth2 client below (Microsoft 365, Gmail).",
                             "password：使用上面的密码（QQ、163、腾讯企业邮箱请填授权码或客户端专用"
                             "密码）；oauth2：用下面的 OAuth2 客户端取得令牌，以 XOAUTH2 登录"
                             "（Microsoft 365、Gmail）。"})),
      field_of(&Mailbox::oauth_token_url,
               text_field("oauth_token_url", {"OAuth2 token endpoint", "OAuth2 令牌端点"},
                          {"https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token or "
                           "https://oauth2.googleapis.com/token",
                           "https://login.microsoftonline.com/<租户>/oauth2/v2.0/token 或 "
                           "https://oauth2.googleapis.com/token"})
                   .max(1000)),
      field_of(&Mailbox::oauth_client_id,
               text_field("oauth_client_id", {"OAuth2 client ID", "OAuth2 客户端 ID"}).max(255)),
      field_of(&Mailbox::oauth_client_secret,
               secret_field("oauth_client_secret", {"OAuth2 client secret", "OAuth2 客户端密钥"},
                            {"Stored encrypted; never shown again.", "加密保存，之后不再显示。"})
                   .shown_as("has_oauth_client_secret")
                   .sealed()),
      field_of(
          &Mailbox::oauth_refresh_token,
          secret_field("oauth_refresh_token", {"OAuth2 refresh token", "OAuth2 刷新令牌"},
                       {"From the mailbox's consent (offline access). Stored encrypted; a "
                        "new one the endpoint hands out replaces it.",
                        "来自邮箱账号的授权（离线访问）。加密保存；令牌端点发放新令牌时自动替换。"})
              .shown_as("has_oauth_refresh_token")
              .sealed()),
      field_of(&Mailbox::oauth_scope,
               text_field("oauth_scope", {"OAuth2 scope", "OAuth2 权限范围"},
                          {"Empty: what the refresh token was granted. Microsoft 365: "
                           "https://outlook.office.com/IMAP.AccessAsUser.All "
                           "https://outlook.office.com/SMTP.Send offline_access",
                           "为空：刷新令牌已授予的范围。Microsoft 365："
                           "https://outlook.office.com/IMAP.AccessAsUser.All "
                           "https://outlook.office.com/SMTP.Send offline_access"})
                   .max(1000)),
  };
}

// What the poller writes after each poll: shown, never set through the API.
Fields poll_fields() {
  return {
      field_of(&Mailbox::last_poll_at,
               time_field("last_poll_at", {"Last polled", "上次轮询"}).read_only().nullable()),
      field_of(&Mailbox::last_error,
               text_field("last_error", {"Last error", "上次错误"}).read_only()),
      field_of(&Mailbox::fetched,
               integer_field("fetched", {"Messages fetched", "已收取邮件"}).read_only()),
      field_of(&Mailbox::idle_since,
               time_field("idle_since", {"Push (IMAP IDLE) since", "推送（IMAP IDLE）开始于"})
                   .help({"Empty: the server has no IDLE, or it is not reached; mail is polled.",
                          "为空：服务器不支持 IDLE 或暂时连不上，改为轮询收信。"})
                   .read_only()
                   .nullable()),
  };
}

Fields mailbox_fields() {
  Fields out{
      field_of(&Mailbox::id, id_field()),
      field_of(&Mailbox::address,
               text_field("address", {"Address", "邮箱地址"}).required().range(1, 254).unique()),
      field_of(&Mailbox::department_id,
               department_field({"None: mail for every department.", "不选：用于所有部门。"})),
  };
  for (auto* group : {imap_fields, smtp_fields, oauth_fields, poll_fields})
    for (auto& f : group()) out.push_back(std::move(f));
  out.push_back(field_of(&Mailbox::acknowledge,
                         switch_field("acknowledge", {"Acknowledge new tickets", "自动回执新工单"},
                                      {"Unless the department's mail settings say otherwise.",
                                       "除非部门的邮件设置另有规定。"})));
  out.push_back(field_of(&Mailbox::trusted,
                         switch_field("trusted", {"Trusted", "受信任"},
                                      {"Its mail's X-Gongdan-Priority/Type/Tags headers apply.",
                                       "其邮件的 X-Gongdan-Priority/Type/Tags 头生效。"})));
  out.push_back(field_of(&Mailbox::active, active_field()));
  out.push_back(field_of(&Mailbox::created_at, time_field("created_at")));
  out.push_back(field_of(&Mailbox::updated_at, time_field("updated_at")));
  return out;
}

Result<void> check_host(const std::string& host, std::string_view field) {
  if (host.empty() || is_plain_name(host, ":[]")) return {};
  return fail(ErrorCode::kInvalidArgument, "not a host name", std::string(field));
}

Result<void> check_folder(const std::string& folder, std::string_view field) {
  if (is_plain_name(folder, " /")) return {};
  return fail(ErrorCode::kInvalidArgument, "use letters, digits, space . - _ /",
              std::string(field));
}

// What the declaration cannot say: the syntax of addresses, hosts and folders, and move_to with
// after_fetch move.
Result<void> check(Mailbox& m) {
  if (!text::looks_like_email(m.address))
    return fail(ErrorCode::kInvalidArgument, "not a valid email address", "address");
  // Mail names us in any case; one spelling keeps the address unique.
  m.address = text::to_lower_ascii(m.address);
  GONGDAN_TRY(check_host(m.imap_host, "imap_host"));
  GONGDAN_TRY(check_host(m.smtp_host, "smtp_host"));
  GONGDAN_TRY(check_folder(m.imap_folder, "imap_folder"));
  if (!m.move_to.empty()) GONGDAN_TRY(check_folder(m.move_to, "move_to"));
  if (m.after_fetch == "move" && m.move_to.empty())
    return fail(ErrorCode::kInvalidArgument, "is required when after_fetch is move", "move_to");
  if (!m.oauth_token_url.empty() && !m.oauth_token_url.starts_with("https://") &&
      !m.oauth_token_url.starts_with("http://"))
    return fail(ErrorCode::kInvalidArgument, "an http:// or https:// URL", "oauth_token_url");
  if (m.oauth_token_url.find_first_of(" \t\r\n") != std::string::npos)
    return fail(ErrorCode::kInvalidArgument, "an http:// or https:// URL", "oauth_token_url");
  if (m.auth != "oauth2") return {};
  const std::pair<const std::string*, std::string_view> oauth_needs[] = {
      {&m.oauth_token_url, "oauth_token_url"},
      {&m.oauth_client_id, "oauth_client_id"},
      {&m.oauth_refresh_token, "oauth_refresh_token"}};
  for (const auto& [value, field] : oauth_needs)
    if (value->empty())
      return fail(ErrorCode::kInvalidArgument, "is required when auth is oauth2",
                  std::string(field));
  return {};
}

}  // namespace

const Resource<Mailbox>& mailbox_resource() {
  static const Resource<Mailbox> r =
      declare<Mailbox>(resource_info("mailboxes", "mailbox", {"Mailboxes", "邮箱"}, "mail")
                           .read_by(Audience::kAdmins)
                           .ops({.remove = true}),
                       mailbox_fields());
  return r;
}

Result<std::optional<Mailbox>> sending_mailbox(store::Connection& c,
                                               std::optional<std::int64_t> department_id) {
  GONGDAN_ASSIGN(auto all, load_all(c, mailbox_resource()));
  const auto* found = gongdan::sending_mailbox(all, department_id);
  return found ? std::optional<Mailbox>(*found) : std::nullopt;
}

Result<bool> is_own_address(store::Connection& c, std::string_view address) {
  GONGDAN_ASSIGN(auto all, load_all(c, mailbox_resource()));
  for (const auto& m : all)
    if (m.address == address) return true;
  return false;
}

void MailboxesService::add_to(Resources& resources) {
  items_ = &resources.add(mailbox_resource(),
                          {.check = item_check<Mailbox>([](Mailbox& m) { return check(m); })});
}

Result<Mailbox> MailboxesService::find(const Principal& who, std::int64_t id) {
  GONGDAN_ASSIGN(auto values, items_->find(who, id));
  return mailbox_resource().make(values);
}

Result<void> MailboxesService::open_secrets(MailboxAccount& a) const {
  const auto& m = a.mailbox;
  if (!m.imap_password.empty()) {
    GONGDAN_ASSIGN(a.password, secrets_.open(m.imap_password));
  }
  if (!m.smtp_password.empty()) {
    GONGDAN_ASSIGN(a.smtp_password, secrets_.open(m.smtp_password));
  }
  if (m.auth != "oauth2") return {};
  a.oauth = {m.oauth_token_url, m.oauth_client_id, {}, {}, m.oauth_scope};
  if (!m.oauth_client_secret.empty()) {
    GONGDAN_ASSIGN(a.oauth.client_secret, secrets_.open(m.oauth_client_secret));
  }
  if (!m.oauth_refresh_token.empty()) {
    GONGDAN_ASSIGN(a.oauth.refresh_token, secrets_.open(m.oauth_refresh_token));
  }
  return {};
}

Result<void> MailboxesService::save_refresh_token(std::int64_t id, std::string_view token) {
  const std::string sealed = secrets_.seal(token);
  return db_.write([&](store::Connection& c) -> Result<void> {
    return store::save_mailbox_refresh_token(c, id, sealed);
  });
}

Result<std::vector<MailboxAccount>> MailboxesService::accounts() {
  GONGDAN_ASSIGN(auto all, load_all(db_, mailbox_resource()));
  std::vector<MailboxAccount> out;
  for (auto& m : all) {
    if (!m.active || m.imap_host.empty()) continue;
    MailboxAccount a{std::move(m), {}, {}, {}};
    if (!open_secrets(a)) continue;
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<MailboxAccount>> MailboxesService::account(std::int64_t id) {
  GONGDAN_ASSIGN(auto found, load_one(db_, mailbox_resource(), id));
  if (!found) return std::optional<MailboxAccount>{};
  MailboxAccount a{std::move(*found), {}, {}, {}};
  GONGDAN_TRY(open_secrets(a));
  return std::optional<MailboxAccount>(std::move(a));
}

Result<void> MailboxesService::record_idle(std::int64_t id, bool idling) {
  const std::optional<Millis> since =
      idling ? std::optional<Millis>(clock_.now_ms()) : std::nullopt;
  return db_.write([&](store::Connection& c) -> Result<void> {
    return store::record_mailbox_idle(c, id, since);
  });
}

Result<void> MailboxesService::record_poll(std::int64_t id, std::string_view error,
                                           std::int64_t fetched) {
  const Millis now = clock_.now_ms();
  const std::string message = attempt_error(error);
  return db_.write([&](store::Connection& c) -> Result<void> {
    return store::record_mailbox_poll(c, id, now, message, fetched);
  });
}

}  // namespace gongdan::services
