// Errors are values. Every operation that can fail for reasons outside the program (bad input,
// a missing row, a full disk) returns Result<T>; exceptions are kept for start-up and for bugs.
// The set of codes is small and fixed so that one place (api/error_response) can map them to
// HTTP statuses and services never mention HTTP.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

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

// The failure half of a Result; what fail() returns. Converts to any Result<T>.
class Failure {
 public:
  explicit Failure(Error error) : error_(std::move(error)) {}
  Error& error() & { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
};

// A value or an Error: the subset of std::expected that gongdan uses. Our own type because
// clang 14 (our fuzzing compiler) cannot compile libstdc++ 12's <expected>.
template <class T = void>
class [[nodiscard]] Result {
 public:
  Result() requires std::is_default_constructible_v<T> : storage_(std::in_place_index<0>) {}
  template <class U = T>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, Result> &&
           !std::is_same_v<std::remove_cvref_t<U>, Failure> &&
           !std::is_same_v<std::remove_cvref_t<U>, std::in_place_t>) Result(U&& value)
      : storage_(std::in_place_index<0>, std::forward<U>(value)) {}
  template <class... Args>
  explicit Result(std::in_place_t, Args&&... args)
      : storage_(std::in_place_index<0>, std::forward<Args>(args)...) {}
  Result(Failure failure) : storage_(std::in_place_index<1>, std::move(failure).error()) {}

  bool has_value() const { return storage_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& operator*() & { return std::get<0>(storage_); }
  const T& operator*() const& { return std::get<0>(storage_); }
  T&& operator*() && { return std::get<0>(std::move(storage_)); }
  T* operator->() { return &std::get<0>(storage_); }
  const T* operator->() const { return &std::get<0>(storage_); }
  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
  }
  template <class U>
  T value_or(U&& fallback) && {
    return has_value() ? std::move(**this) : static_cast<T>(std::forward<U>(fallback));
  }

  Error& error() & { return std::get<1>(storage_); }
  const Error& error() const& { return std::get<1>(storage_); }
  Error&& error() && { return std::get<1>(std::move(storage_)); }

 private:
  std::variant<T, Error> storage_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Failure failure) : error_(std::move(failure).error()) {}

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  Error& error() & { return *error_; }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

inline Failure fail(ErrorCode code, std::string message, std::string field = {}) {
  return Failure(Error{code, std::move(message), std::move(field)});
}

inline Failure fail(Error error) { return Failure(std::move(error)); }

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
