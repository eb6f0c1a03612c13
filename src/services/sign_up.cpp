// SelfService: customer sign-up, proved by a link mailed to the address (see self_service.hpp).
#include "domain/search_text.hpp"
#include "services/audit.hpp"
#include "services/link_mailbox.hpp"
#include "services/self_service.hpp"
#include "store/catalog_store.hpp"
#include "store/login_links_store.hpp"
#include "store/search_index.hpp"
#include "store/sign_up_store.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

// At most this many links for one address within a link's lifetime; more are quietly not sent.
constexpr int kMaxSignUpsPerEmail = 3;

constexpr std::string_view kInvalidLink =
    "this sign-up link is not valid: it was used already, has expired or never existed; sign up "
    "again";

// Who holds an address now: the user whose email it is, else the contact that has it as one
// of its other emails; nullopt when nobody does.
Result<std::optional<User>> holder_of(store::Connection& c, std::string_view email_norm) {
  GONGDAN_ASSIGN(auto by_email, store::find_user_by_email(c, email_norm));
  if (by_email) return std::optional<User>(by_email->user);
  GONGDAN_ASSIGN(auto by_identity, store::find_user_by_identity(c, "email", email_norm));
  if (!by_identity) return std::optional<User>{};
  return store::find_user(c, *by_identity);
}

bool may_sign_up_as(const std::optional<User>& holder) {
  return !holder || (holder->role == Role::kCustomer && holder->active);
}

}  // namespace

Result<std::optional<SignUpLink>> SelfService::sign_up(SignUp request, const std::string& ip) {
  if (!signups_.allow(ip)) {
    Error error{
        ErrorCode::kRateLimited, "too many requests from this address; try again later", {}};
    error.retry_after_seconds = static_cast<int>(signups_.window_ms() / 1000);
    return fail(std::move(error));
  }
  GONGDAN_ASSIGN(const auto fields, UsersService::new_customer({.email = request.email,
                                                                .name = request.name,
                                                                .locale = request.locale,
                                                                .time_zone = request.time_zone,
                                                                .password = request.password}));
  GONGDAN_ASSIGN(auto password_hash, crypto::hash_password(request.password));
  const Millis now = clock_.now_ms();
  std::optional<SignUpLink> link;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    link.reset();
    GONGDAN_ASSIGN(auto mailbox, link_mailbox(c, "sign-up needs mail out to prove the address"));
    store::SignUpRow row;
    row.email = fields.email;
    row.email_norm = text::normalize_email(fields.email);
    GONGDAN_ASSIGN(auto holder, holder_of(c, row.email_norm));
    if (!may_sign_up_as(holder)) return {};
    GONGDAN_ASSIGN(auto asked,
                   store::count_sign_ups_for_email(c, row.email_norm, now - kSignUpLinkLifetimeMs));
    if (asked >= kMaxSignUpsPerEmail) return {};
    SignUpLink made{crypto::random_token(), fields.email, fields.name, fields.locale, mailbox};
    row.name = fields.name;
    row.locale = fields.locale;
    row.time_zone = fields.time_zone;
    row.password_hash = password_hash;
    row.token_hash = crypto::sha256_hex(made.token);
    row.ip = ip;
    row.created_at = now;
    row.expires_at = now + kSignUpLinkLifetimeMs;
    GONGDAN_TRY(store::insert_sign_up(c, row));
    if (now % 20 == 0)  // prune now and then, not on every request
      GONGDAN_TRY(store::prune_sign_ups(c, now - 24 * 3600 * 1000));
    GONGDAN_TRY(record_audit(c, now, holder ? std::optional(holder->id) : std::nullopt,
                             "auth.signup_link_sent", row.email_norm, ip));
    link = std::move(made);
    return {};
  }));
  return link;
}

Result<SignedIn> SelfService::verify_sign_up(std::string_view token, const std::string& ip) {
  const Millis now = clock_.now_ms();
  SignedIn signed_in;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto request, store::consume_sign_up(c, crypto::sha256_hex(token), now));
    if (!request) return fail(ErrorCode::kUnauthenticated, std::string(kInvalidLink));
    GONGDAN_ASSIGN(auto holder, holder_of(c, request->email_norm));
    // The address may have gone to staff, or its contact been deactivated, since the mail.
    if (!may_sign_up_as(holder))
      return fail(ErrorCode::kUnauthenticated, std::string(kInvalidLink));
    User user;
    if (holder) {
      // The address is proved: its contact is this person's, and gets the chosen password.
      user = *holder;
      GONGDAN_TRY(store::set_password_hash(c, user.id, request->password_hash, now));
      GONGDAN_TRY(auth_.end_sessions_within(c, user.id));
      GONGDAN_TRY(record_audit(c, now, user.id, "user.claim", "user:" + std::to_string(user.id), ip,
                               R"({"via":"sign-up"})"));
    } else {
      user.role = Role::kCustomer;
      user.email = request->email;
      user.name = request->name;
      user.locale = request->locale;
      user.time_zone = request->time_zone;
      user.created_at = user.updated_at = now;
      GONGDAN_ASSIGN(user.id, store::insert_user(c, user, request->password_hash));
      GONGDAN_TRY(db_.search_index().index_contact(c, user.id,
                                                   search::contact_text(user.name, user.email)));
      const auto domain = request->email_norm.substr(request->email_norm.find('@') + 1);
      GONGDAN_ASSIGN(auto org, store::find_organization_by_domain(c, domain));
      if (org) {
        GONGDAN_TRY(store::set_organization_of_user(c, user.id, *org));
        user.organization_id = *org;
      }
      GONGDAN_TRY(record_audit(c, now, std::nullopt, "user.create",
                               "user:" + std::to_string(user.id), ip,
                               R"({"role":"customer","active":true,"via":"sign-up"})"));
    }
    GONGDAN_ASSIGN(signed_in, auth_.sign_in_within(c, user, ip, "sign-up"));
    return {};
  }));
  return signed_in;
}

}  // namespace gongdan::services
