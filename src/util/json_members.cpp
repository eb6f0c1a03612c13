#include "util/json_members.hpp"

namespace gongdan {

JsonMembers::JsonMembers(std::string_view text) {
  boost::system::error_code ec;
  parsed_ = boost::json::parse(text, ec);
  if (ec) parsed_ = nullptr;
}

const boost::json::value* JsonMembers::member(std::string_view key) const {
  const auto* o = parsed_.if_object();
  return o ? o->if_contains(key) : nullptr;
}

std::optional<std::int64_t> JsonMembers::integer(std::string_view key) const {
  const auto* v = member(key);
  if (!v || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

std::optional<std::string> JsonMembers::text(std::string_view key) const {
  const auto* v = member(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

}  // namespace gongdan
