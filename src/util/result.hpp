// Errors are values. Every operation that can fail for reasons outside the program (bad input,
// a missing row, a full disk) returns Result<T>; exceptions are kept for start-up and for bugs.
// The set of codes is small and fixed so that one place (api/error_response) can map them to
// HTTP statuses and services never mention HTTP.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace gongdan {

enum class ErrorCode {
  kInvalidArgument,     // the caller sent something malformed or out of range
  kNotFound,            // no such thing, or the caller may not know it exists
  kConflict,            // a uniqueness rule or the current state forbids it
  kUnauthenticated,     // no valid credentials
  kPermissionDenied,    // credentials are valid but the role may not do this
  kPreconditionFailed,  // a stale version (If-Match)
  kRateLimited,         // too many attempts; try later
  kPayloadTooLarge,     // a body or file above the configured limit
  kUnavailable,         // the database or a peer is temporarily unreachable
  kInternal,            // a bug or an I/O failure we cannot explain to the caller
};

std::string_view error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;            // which input field caused it, when there is one
  int retry_after_seconds = 0;  // for kRateLimited and kUnavailable: when to try again
};

template <class T = void>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message, std::string field = {}) {
  return std::unexpected<Error>(Error{code, std::move(message), std::move(field)});
}

inline std::unexpected<Error> fail(Error error) { return std::unexpected<Error>(std::move(error)); }

}  // namespace gongdan

#define GONGDAN_CONCAT_INNER(a, b) a##b
#define GONGDAN_CONCAT(a, b) GONGDAN_CONCAT_INNER(a, b)

// Propagates the error of a Result-returning expression, like Rust's `?`.
#define GONGDAN_TRY(expr) GONGDAN_TRY_IMPL(GONGDAN_CONCAT(gongdan_try_, __COUNTER__), expr)
#define GONGDAN_TRY_IMPL(tmp, expr)                                              \
  do {                                                                           \
    if (auto tmp = (expr); !tmp) return ::gongdan::fail(std::move(tmp).error()); \
  } while (false)

// Binds the value of a Result-returning expression to `lhs`, or returns its error.
#define GONGDAN_ASSIGN(lhs, expr) \
  GONGDAN_ASSIGN_IMPL(GONGDAN_CONCAT(gongdan_r_, __COUNTER__), lhs, expr)
#define GONGDAN_ASSIGN_IMPL(tmp, lhs, expr)                 \
  auto tmp = (expr);                                        \
  if (!tmp) return ::gongdan::fail(std::move(tmp).error()); \
  lhs = std::move(*tmp)
