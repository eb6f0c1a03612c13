// What anyone may do without an account: sign up as a customer, and send a ticket through the
// embeddable web form. Both are limited per client address (a sliding window kept in memory),
// and the form has a honeypot field that people never fill in and spam bots do.
//
// Sign-up proves the address before anything exists: the request is kept (the password only as
// its hash) and a one-time link is mailed to the address; redeeming it creates the customer, or,
// when a contact already holds the address (as its email or one of its other emails), gives
// that contact the password, and signs in. Staff addresses never become customers.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "services/auth_service.hpp"
#include "services/tickets_service.hpp"
#include "services/users_service.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class AddressThrottle {
 public:
  AddressThrottle(const Clock& clock, int max_per_window, Millis window_ms)
      : clock_(clock), max_(max_per_window), window_ms_(window_ms) {}
  // Counts this attempt; false when the address has used up its window.
  bool allow(const std::string& address);
  Millis window_ms() const { return window_ms_; }

 private:
  const Clock& clock_;
  int max_;
  Millis window_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Millis>> seen_;  // guarded by mutex_
};

struct SignUp {
  std::string name;
  std::string email;
  std::string password;
  std::string locale = "en";
  std::string time_zone = "UTC";
};

// A sign-up waiting for its address to be proved: what the mail needs.
struct SignUpLink {
  std::string token;  // goes into the mailed URL only; the database keeps its digest
  std::string email;
  std::string name;
  std::string locale;
  std::int64_t mailbox_id = 0;  // the mailbox that sends it
};

// How long a mailed sign-up link stays valid.
inline constexpr Millis kSignUpLinkLifetimeMs = 60 * 60 * 1000;

struct WebFormSubmission {
  std::string name;
  std::string email;
  std::string subject;
  std::string body;
  std::optional<std::int64_t> department_id;
  std::string honeypot;  // the hidden "website" field
};

class SelfService {
 public:
  SelfService(store::Database& db, AuthService& auth, UsersService& users, TicketsService& tickets,
              const Clock& clock)
      : db_(db),
        clock_(clock),
        auth_(auth),
        users_(users),
        tickets_(tickets),
        signups_(clock, 10, 3600 * 1000),
        forms_(clock, 20, 3600 * 1000) {}

  // Checks the request and keeps it (sign_up.cpp); the link to mail, or nullopt with nothing
  // to send (a staff or deactivated address, or too many asked for it already), so the answer
  // reveals nothing. 503 when no mailbox can send, 429 when this address asks too often.
  Result<std::optional<SignUpLink>> sign_up(SignUp request, const std::string& ip);
  // Redeems a mailed link once: creates or claims the customer and signs them in; 401 for a
  // link that is unknown, used or expired.
  Result<SignedIn> verify_sign_up(std::string_view token, const std::string& ip);
  // The new ticket's number; nullopt when the honeypot was filled (nothing is created).
  Result<std::optional<std::int64_t>> submit_form(WebFormSubmission form, const std::string& ip);

 private:
  store::Database& db_;
  const Clock& clock_;
  AuthService& auth_;
  UsersService& users_;
  TicketsService& tickets_;
  AddressThrottle signups_;
  AddressThrottle forms_;
};

}  // namespace gongdan::services
