#include "api/request.hpp"

#include "util/text.hpp"

namespace gongdan::api {

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return value;
  return std::nullopt;
}

std::optional<std::string_view> Request::query_value(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (key == name) return value;
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [key, value] : params)
    if (key == name) return value;
  return {};
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  auto header_value = header("cookie");
  if (!header_value) return std::nullopt;
  for (auto part : text::split(*header_value, ';')) {
    auto trimmed = text::trim(part);
    auto eq = trimmed.find('=');
    if (eq == std::string::npos) continue;
    if (std::string_view(trimmed).substr(0, eq) == name) return trimmed.substr(eq + 1);
  }
  return std::nullopt;
}

}  // namespace gongdan::api
