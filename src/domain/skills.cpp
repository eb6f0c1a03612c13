#include "domain/skills.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "domain/custom_field.hpp"
#include "util/text.hpp"

namespace gongdan {
namespace {

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

void add_field_facts(std::vector<std::string>& out, std::string_view key,
                     const boost::json::value& v) {
  if (v.is_string()) {
    if (!v.as_string().empty()) out.push_back(fmt::format("field:{}={}", key, v.as_string()));
  } else if (v.is_int64()) {
    out.push_back(fmt::format("field:{}={}", key, v.as_int64()));
  } else if (v.is_uint64()) {
    out.push_back(fmt::format("field:{}={}", key, v.as_uint64()));
  } else if (v.is_bool()) {
    out.push_back(fmt::format("field:{}={}", key, v.as_bool() ? "true" : "false"));
  } else if (v.is_array()) {
    for (const auto& item : v.as_array())
      if (!item.is_array()) add_field_facts(out, key, item);
  }
}

}  // namespace

Result<std::string> normalize_skill(std::string_view text, std::string_view field) {
  const std::string f(field);
  const std::string trimmed = text::trim(text);
  const std::string_view t = trimmed;
  if (t.empty()) return fail(ErrorCode::kInvalidArgument, "a skill cannot be empty", f);
  if (t.size() > kMaxSkillLength || has_control(t) || !text::is_valid_utf8(t))
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("a skill is at most {} characters of text", kMaxSkillLength), f);
  const auto colon = t.find(':');
  const std::string kind =
      colon == std::string_view::npos ? std::string() : text::to_lower_ascii(t.substr(0, colon));
  const std::string_view value = colon == std::string_view::npos ? "" : t.substr(colon + 1);
  if (kind == "language") {
    const std::string lower = text::to_lower_ascii(value);
    if (lower == "en") return std::string("language:en");
    if (lower == "zh-cn") return std::string("language:zh-CN");
    return fail(ErrorCode::kInvalidArgument, "the language must be en or zh-CN", f);
  }
  if (kind == "type") {
    auto type = parse_type(text::to_lower_ascii(value));
    if (!type)
      return fail(ErrorCode::kInvalidArgument,
                  "the type must be question, incident, problem or task", f);
    return "type:" + std::string(type_name(*type));
  }
  if (kind == "tag") {
    auto tag = normalize_tag(value);
    if (!tag)
      return fail(ErrorCode::kInvalidArgument, "not a valid tag: " + tag.error().message, f);
    return "tag:" + *tag;
  }
  if (kind == "field") {
    const auto eq = value.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == value.size())
      return fail(ErrorCode::kInvalidArgument, "a field skill reads field:<key>=<value>", f);
    if (!validate_field_key(value.substr(0, eq)))
      return fail(ErrorCode::kInvalidArgument,
                  "field keys use lower-case letters, digits and '_', starting with a letter", f);
    return fmt::format("field:{}={}", value.substr(0, eq), value.substr(eq + 1));
  }
  return fail(ErrorCode::kInvalidArgument,
              "a skill starts with language:, type:, tag: or field: (e.g. language:zh-CN)", f);
}

Result<std::vector<std::string>> normalize_skills(const std::vector<std::string>& skills) {
  if (skills.size() > kMaxSkillsPerAgent)
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("an agent has at most {} skills", kMaxSkillsPerAgent), "skills");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < skills.size(); ++i) {
    GONGDAN_ASSIGN(auto s, normalize_skill(skills[i], fmt::format("skills[{}]", i)));
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string_view skill_field_key(std::string_view skill) {
  if (!skill.starts_with("field:")) return {};
  skill.remove_prefix(6);
  return skill.substr(0, skill.find('='));
}

std::vector<std::string> ticket_skill_facts(std::string_view language, TicketType type,
                                            const std::vector<std::string>& tags,
                                            std::string_view custom_fields_json) {
  std::vector<std::string> out;
  if (auto lang = normalize_skill(fmt::format("language:{}", language))) out.push_back(*lang);
  out.push_back("type:" + std::string(type_name(type)));
  for (const auto& tag : tags) out.push_back("tag:" + tag);
  boost::system::error_code ec;
  auto fields = boost::json::parse(custom_fields_json, ec);
  if (!ec && fields.is_object())
    for (const auto& [key, value] : fields.as_object()) add_field_facts(out, key, value);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> skill_requirements(const std::vector<std::string>& facts,
                                            const std::vector<std::string>& vocabulary) {
  std::vector<std::string> out;
  std::set_intersection(facts.begin(), facts.end(), vocabulary.begin(), vocabulary.end(),
                        std::back_inserter(out));
  return out;
}

bool covers_skills(const std::vector<std::string>& skills,
                   const std::vector<std::string>& required) {
  return std::includes(skills.begin(), skills.end(), required.begin(), required.end());
}

}  // namespace gongdan
