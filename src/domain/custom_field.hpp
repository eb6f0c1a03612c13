// Custom ticket fields: their definitions and the validation of values against them.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace gongdan {

enum class FieldType {
  kText,
  kLongText,
  kNumber,
  kDecimal,
  kDate,
  kCheckbox,
  kDropdown,
  kMultiSelect
};

std::string_view field_type_name(FieldType t);
std::optional<FieldType> parse_field_type(std::string_view name);

struct FieldOption {
  std::string value;
  std::string label;
  std::string label_zh;
};

struct FieldDefinition {
  std::int64_t id = 0;
  std::string key;
  FieldType type = FieldType::kText;
  std::string label;
  std::string label_zh;
  std::vector<FieldOption> options;  // dropdown and multi-select only
  bool active = true;
  int position = 0;
};

// Keys are lower-case ASCII letters, digits and '_', starting with a letter, at most 64 long.
Result<void> validate_field_key(std::string_view key);
Result<std::vector<FieldOption>> parse_field_options(const boost::json::value& options);
boost::json::array field_options_json(const std::vector<FieldOption>& options);

// Checks `value` against the definition: JSON null clears a field; otherwise text up to 1,000
// (long text 64 KiB) characters, whole numbers, decimals, YYYY-MM-DD dates, booleans, one
// option value or a list of them. The error names the field as custom_fields.<key>.
Result<void> validate_field_value(const FieldDefinition& field, const boost::json::value& value);

// Merges `changes` into the stored object `current` (both JSON objects), validating every key
// against `fields` (unknown or inactive keys are errors). Null values remove the key.
Result<boost::json::object> merge_field_values(const std::vector<FieldDefinition>& fields,
                                               const boost::json::object& current,
                                               const boost::json::object& changes);

}  // namespace gongdan
