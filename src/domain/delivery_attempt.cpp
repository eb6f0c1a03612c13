#include "domain/delivery_attempt.hpp"

#include "util/text.hpp"

namespace gongdan {

std::string attempt_error(std::string_view error) {
  return text::cut_utf8(text::strip_controls(error), kMaxAttemptErrorBytes);
}

}  // namespace gongdan
