// What anyone may do without an account: sign up as a customer, and send a ticket through the
// embeddable web form. Both are limited per client address (a sliding window kept in memory),
// and the form has a honeypot field that people never fill in and spam bots do.
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
  SelfService(AuthService& auth, UsersService& users, TicketsService& tickets, const Clock& clock)
      : auth_(auth),
        users_(users),
        tickets_(tickets),
        signups_(clock, 10, 3600 * 1000),
        forms_(clock, 20, 3600 * 1000) {}

  // Creates the customer (audited as user.create with the client's address) and signs them in.
  Result<SignedIn> sign_up(SignUp request, const std::string& ip);
  // The new ticket's number; nullopt when the honeypot was filled (nothing is created).
  Result<std::optional<std::int64_t>> submit_form(WebFormSubmission form, const std::string& ip);

 private:
  AuthService& auth_;
  UsersService& users_;
  TicketsService& tickets_;
  AddressThrottle signups_;
  AddressThrottle forms_;
};

}  // namespace gongdan::services
