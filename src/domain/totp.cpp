#include "domain/totp.hpp"

#include <liboath/oath.h>

#include <cctype>
#include <cstdlib>
#include <mutex>

#include "util/encoding.hpp"

namespace gongdan::totp {
namespace {

void ensure_oath() {
  static std::once_flag once;
  std::call_once(once, [] { oath_init(); });
}

std::string percent_encode(std::string_view s) {
  return encoding::percent_encode(s, [](unsigned char ch) {
    return std::isalnum(ch) != 0 || ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '@';
  });
}

bool is_six_digits(std::string_view code) {
  if (code.size() != static_cast<std::size_t>(kDigits)) return false;
  for (char ch : code)
    if (ch < '0' || ch > '9') return false;
  return true;
}

}  // namespace

std::int64_t step_at(Millis now) { return now / 1000 / kStepSeconds; }

std::string base32(std::string_view bytes) {
  ensure_oath();
  char* out = nullptr;
  std::size_t length = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &out, &length) != OATH_OK) return {};
  std::string encoded(out, length);
  std::free(out);
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  return encoded;
}

std::string code_at(std::string_view secret, std::int64_t step) {
  ensure_oath();
  char code[kDigits + 1] = {};
  if (oath_hotp_generate(secret.data(), secret.size(), static_cast<std::uint64_t>(step), kDigits,
                         false, OATH_HOTP_DYNAMIC_TRUNCATION, code) != OATH_OK)
    return {};
  return code;
}

std::optional<std::int64_t> matching_step(std::string_view secret, Millis now,
                                          std::string_view code) {
  if (!is_six_digits(code)) return std::nullopt;
  ensure_oath();
  const std::string otp(code);
  int position = 0;
  std::uint64_t counter = 0;
  const int found =
      oath_totp_validate3(secret.data(), secret.size(), static_cast<time_t>(now / 1000),
                          kStepSeconds, 0, 1, &position, &counter, otp.c_str());
  if (found < 0) return std::nullopt;
  return static_cast<std::int64_t>(counter);
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret) {
  const std::string i = percent_encode(issuer);
  return "otpauth://totp/" + i + ":" + percent_encode(account) + "?secret=" + std::string(secret) +
         "&issuer=" + i + "&algorithm=SHA1&digits=6&period=30";
}

std::string normalize_recovery_code(std::string_view typed) {
  std::string out;
  for (unsigned char ch : typed) {
    if (ch == '-' || ch == ' ') continue;
    out += static_cast<char>(std::tolower(ch));
  }
  return out;
}

}  // namespace gongdan::totp
