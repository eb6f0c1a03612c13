// Typed members of a JSON object that arrives as text (a job's payload): each reader answers
// nullopt when the text is not a JSON object, lacks the member, or holds another type there, so
// a caller checks one optional per member rather than the parse, the object and the type.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gongdan {

class JsonMembers {
 public:
  explicit JsonMembers(std::string_view text);

  bool is_object() const { return parsed_.is_object(); }
  std::optional<std::int64_t> integer(std::string_view key) const;
  std::optional<std::string> text(std::string_view key) const;

 private:
  const boost::json::value* member(std::string_view key) const;

  boost::json::value parsed_;  // null when the text is not JSON
};

}  // namespace gongdan
