// Custom ticket fields: a key and a type fixed when made, labels in both languages, and the
// options of a dropdown or multi-select.
#include "services/catalog/catalog_resources.hpp"
#include "store/database.hpp"

namespace gongdan::services {
namespace {

Bound<FieldDefinition> key_field() {
  return field_of(&FieldDefinition::key,
                  {.key = "key",
                   .label = {"Key", "键"},
                   .help = {"Lower-case letters, digits and _, starting with a letter; used in the "
                            "API and in rules.",
                            "小写字母、数字和下划线，以字母开头；用于接口和规则。"},
                   .required = true,
                   .create_only = true,
                   .min = 1,
                   .max = 64,
                   .unique = true},
                  [](FieldDefinition& f) { return validate_field_key(f.key); });
}

Bound<FieldDefinition> options_field() {
  Accessor<FieldDefinition> a;
  a.get = [](const FieldDefinition& f) {
    return boost::json::value(field_options_json(f.options));
  };
  a.set = [](FieldDefinition& f, const boost::json::value& v) -> Result<void> {
    GONGDAN_ASSIGN(f.options, parse_field_options(v));
    return {};
  };
  return {{.key = "options",
           .kind = FieldKind::kJson,
           .label = {"Options", "选项"},
           .help = {"Dropdowns and multi-selects only.", "仅用于下拉和多选。"},
           .schema = R"({"type": "array", "items": {"type": "object", "properties": {)"
                     R"("value": {"type": "string"}, "label": {"type": "string"}, )"
                     R"("label_zh": {"type": "string"}}, "required": ["value"]}})",
           .example = R"([{"value": "a", "label": "A", "label_zh": "甲"}])"},
          std::move(a)};
}

}  // namespace

const Resource<FieldDefinition>& field_resource() {
  static const Resource<FieldDefinition> r = declare<FieldDefinition>(
      {.name = "fields",
       .noun = "field",
       .title = {"Custom fields", "自定义字段"},
       .path = "/api/v1/custom-fields",
       .tag = "settings",
       .table = "custom_fields",
       .order_by = "position, id",
       .read = Audience::kSignedIn,
       .invalidates = Invalidates::kSettings},
      {field_of(&FieldDefinition::id, id_field()), key_field(),
       field_of(&FieldDefinition::type,
                {.key = "type",
                 .label = {"Type", "类型"},
                 .required = true,
                 .create_only = true,
                 .choices = {"text", "long_text", "number", "decimal", "date", "checkbox",
                             "dropdown", "multi_select"}},
                field_type_name, parse_field_type),
       field_of(&FieldDefinition::label,
                {.key = "label", .label = {"Label", "标签"}, .required = true, .min = 1}),
       field_of(&FieldDefinition::label_zh,
                {.key = "label_zh", .label = {"Chinese label", "中文标签"}}),
       options_field(), field_of(&FieldDefinition::active, active_field()),
       field_of(&FieldDefinition::position, position_field())});
  return r;
}

void add_custom_fields(Resources& resources) {
  auto check = [](FieldDefinition& f) -> Result<void> {
    const bool has_options = f.type == FieldType::kDropdown || f.type == FieldType::kMultiSelect;
    if (has_options && f.options.empty())
      return fail(ErrorCode::kInvalidArgument, "a dropdown needs options", "options");
    if (!has_options && !f.options.empty())
      return fail(ErrorCode::kInvalidArgument, "only dropdowns have options", "options");
    return {};
  };
  resources.add(field_resource(), {.check = item_check<FieldDefinition>(check)});
}

}  // namespace gongdan::services
