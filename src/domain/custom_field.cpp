#include "domain/custom_field.hpp"

#include <array>
#include <chrono>

#include "util/text.hpp"

namespace gongdan {
namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 8> kFieldTypeNames{{
    {FieldType::kText, "text"},
    {FieldType::kLongText, "long_text"},
    {FieldType::kNumber, "number"},
    {FieldType::kDecimal, "decimal"},
    {FieldType::kDate, "date"},
    {FieldType::kCheckbox, "checkbox"},
    {FieldType::kDropdown, "dropdown"},
    {FieldType::kMultiSelect, "multi_select"},
}};

bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const unsigned month = static_cast<unsigned>((s[5] - '0') * 10 + (s[6] - '0'));
  const unsigned day = static_cast<unsigned>((s[8] - '0') * 10 + (s[9] - '0'));
  // A real calendar day: 2026-02-31 and 2026-02-29 are refused, 2028-02-29 is not.
  return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month},
                                     std::chrono::day{day}}
      .ok();
}

bool has_option(const FieldDefinition& f, std::string_view value) {
  for (const auto& o : f.options)
    if (o.value == value) return true;
  return false;
}

}  // namespace

std::string_view field_type_name(FieldType t) {
  for (const auto& [type, name] : kFieldTypeNames)
    if (type == t) return name;
  return "text";
}

std::optional<FieldType> parse_field_type(std::string_view name) {
  for (const auto& [type, n] : kFieldTypeNames)
    if (n == name) return type;
  return std::nullopt;
}

Result<void> validate_field_key(std::string_view key) {
  bool ok = !key.empty() && key.size() <= 64 && key[0] >= 'a' && key[0] <= 'z';
  for (char c : key) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    return fail(ErrorCode::kInvalidArgument,
                "keys use lower-case letters, digits and '_', starting with a letter", "key");
  return {};
}

Result<std::vector<FieldOption>> parse_field_options(const boost::json::value& options) {
  std::vector<FieldOption> out;
  if (options.is_null()) return out;
  if (!options.is_array())
    return fail(ErrorCode::kInvalidArgument, "must be a list of {value, label, label_zh}",
                "options");
  for (const auto& item : options.as_array()) {
    const auto* o = item.if_object();
    const auto* value = o ? o->if_contains("value") : nullptr;
    if (!value || !value->is_string() || value->as_string().empty() ||
        value->as_string().size() > 200)
      return fail(ErrorCode::kInvalidArgument, "every option needs a value (1-200 characters)",
                  "options");
    FieldOption option;
    option.value = std::string(value->as_string());
    for (auto [key, target] : {std::pair{"label", &option.label}, {"label_zh", &option.label_zh}}) {
      if (const auto* v = o->if_contains(key)) {
        if (!v->is_string())
          return fail(ErrorCode::kInvalidArgument, "option labels must be strings", "options");
        *target = std::string(v->as_string());
      }
    }
    if (option.label.empty()) option.label = option.value;
    for (const auto& existing : out)
      if (existing.value == option.value)
        return fail(ErrorCode::kInvalidArgument, "option values must be unique", "options");
    out.push_back(std::move(option));
  }
  if (out.size() > 500) return fail(ErrorCode::kInvalidArgument, "at most 500 options", "options");
  return out;
}

boost::json::array field_options_json(const std::vector<FieldOption>& options) {
  boost::json::array out;
  for (const auto& o : options)
    out.push_back(
        boost::json::object{{"value", o.value}, {"label", o.label}, {"label_zh", o.label_zh}});
  return out;
}

Result<void> validate_field_value(const FieldDefinition& f, const boost::json::value& v) {
  const std::string field = "custom_fields." + f.key;
  auto bad = [&](std::string message) {
    return fail(ErrorCode::kInvalidArgument, std::move(message), field);
  };
  if (v.is_null()) return {};
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText: {
      const std::size_t limit = f.type == FieldType::kText ? 1000 : 64 * 1024;
      if (!v.is_string()) return bad("must be text");
      if (v.as_string().size() > limit) return bad("is too long");
      return {};
    }
    case FieldType::kNumber:
      if (!v.is_int64() && !v.is_uint64()) return bad("must be a whole number");
      return {};
    case FieldType::kDecimal:
      if (!v.is_number()) return bad("must be a number");
      return {};
    case FieldType::kDate:
      if (!v.is_string() || !is_date(v.as_string())) return bad("must be a date YYYY-MM-DD");
      return {};
    case FieldType::kCheckbox:
      if (!v.is_bool()) return bad("must be true or false");
      return {};
    case FieldType::kDropdown:
      if (!v.is_string() || !has_option(f, v.as_string())) return bad("is not one of the options");
      return {};
    case FieldType::kMultiSelect:
      if (!v.is_array()) return bad("must be a list of options");
      for (const auto& item : v.as_array())
        if (!item.is_string() || !has_option(f, item.as_string()))
          return bad("holds a value that is not one of the options");
      return {};
  }
  return {};
}

Result<boost::json::object> merge_field_values(const std::vector<FieldDefinition>& fields,
                                               const boost::json::object& current,
                                               const boost::json::object& changes) {
  boost::json::object merged = current;
  for (const auto& entry : changes) {
    const FieldDefinition* def = nullptr;
    for (const auto& f : fields)
      if (f.key == entry.key() && f.active) def = &f;
    if (!def)
      return fail(ErrorCode::kInvalidArgument, "no such custom field",
                  "custom_fields." + std::string(entry.key()));
    GONGDAN_TRY(validate_field_value(*def, entry.value()));
    if (entry.value().is_null())
      merged.erase(entry.key());
    else
      merged[entry.key()] = entry.value();
  }
  return merged;
}

}  // namespace gongdan
