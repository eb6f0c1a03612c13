// Custom ticket fields: a key and a type fixed when made, labels in both languages, and the
// options of a dropdown or multi-select.
#include "services/catalog/catalog_resources.hpp"
#include "store/database.hpp"

namespace gongdan::services {
namespace {

Bound<FieldDefinition> key_field() {
  return field_of(&FieldDefinition::key,
                  text_field("key", {"Key", "键"},
                             {"Lower-case letters, digits and _, starting with a letter; used in "
                              "the API and in rules.",
                              "小写字母、数字和下划线，以字母开头；用于接口和规则。"})
                      .required()
                      .create_only()
                      .range(1, 64)
                      .unique(),
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
  return {json_field("options", {"Options", "选项"},
                     {"Dropdowns and multi-selects only.", "仅用于下拉和多选。"})
              .schema(R"({"type": "array", "items": {"type": "object", "properties": {)"
                      R"("value": {"type": "string"}, "label": {"type": "string"}, )"
                      R"("label_zh": {"type": "string"}}, "required": ["value"]}})",
                      R"([{"value": "a", "label": "A", "label_zh": "甲"}])"),
          std::move(a)};
}

}  // namespace

const Resource<FieldDefinition>& field_resource() {
  static const Resource<FieldDefinition> r = declare<FieldDefinition>(
      resource_info("fields", "field", {"Custom fields", "自定义字段"}, "settings")
          .path("/api/v1/custom-fields")
          .table("custom_fields")
          .order_by("position, id")
          .read_by(Audience::kSignedIn)
          .invalidates(Invalidates::kSettings),
      {field_of(&FieldDefinition::id, id_field()), key_field(),
       field_of(&FieldDefinition::type,
                choice_field("type", {"Type", "类型"},
                             {"text", "long_text", "number", "decimal", "date", "checkbox",
                              "dropdown", "multi_select"})
                    .required()
                    .create_only(),
                field_type_name, parse_field_type),
       field_of(&FieldDefinition::label, text_field("label", {"Label", "标签"}).required().min(1)),
       field_of(&FieldDefinition::label_zh, text_field("label_zh", {"Chinese label", "中文标签"})),
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
