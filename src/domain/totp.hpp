// Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1 over the
// 30-second step count, six digits. Pure: the time is passed in. Codes are computed by liboath.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace gongdan::totp {

inline constexpr int kStepSeconds = 30;
inline constexpr int kDigits = 6;
// Bytes of a new secret: 160 bits, the size RFC 4226 recommends for HMAC-SHA1.
inline constexpr std::size_t kSecretBytes = 20;

std::int64_t step_at(Millis now);
// RFC 4648 base32 without padding: what authenticator apps are given.
std::string base32(std::string_view bytes);
// The code of one time step (tests and tools; sign-in uses matching_step).
std::string code_at(std::string_view secret, std::int64_t step);
// The step whose code `code` is, trying now's step and one either side (a phone's clock may be
// some seconds off); nullopt when none matches or `code` is not six digits.
std::optional<std::int64_t> matching_step(std::string_view secret, Millis now,
                                          std::string_view code);
// otpauth://totp/<issuer>:<account>?secret=…&issuer=…: what the QR code holds.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

// Recovery codes are shown as "abcde-fghij"; typed with or without the dash, in any case.
std::string normalize_recovery_code(std::string_view typed);

}  // namespace gongdan::totp
