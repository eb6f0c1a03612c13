// Ticket forms: which custom fields a department's new tickets ask for, and which are required.
#include "services/catalog/catalog_resources.hpp"
#include "services/directory.hpp"
#include "store/database.hpp"

namespace gongdan::services {

const Resource<TicketForm>& form_resource() {
  static const Resource<TicketForm> r = declare<TicketForm>(
      resource_info("forms", "form", {"Ticket forms", "工单表单"}, "settings")
          .table("ticket_forms")
          .read_by(Audience::kSignedIn)
          .invalidates(Invalidates::kSettings),
      {field_of(&TicketForm::id, id_field()), field_of(&TicketForm::name, name_field(100)),
       field_of(&TicketForm::department_id,
                department_field({"None: every department.", "不选：所有部门。"})),
       field_of(&TicketForm::fields,
                json_field("fields", {"Fields", "字段"})
                    .schema(R"({"type": "array", "items": {"type": "object", "properties": {)"
                            R"("key": {"type": "string"}, "required": {"type": "boolean"}}, )"
                            R"("required": ["key"]}})",
                            R"([{"key": "order_number", "required": true}])")),
       field_of(&TicketForm::active, active_field())});
  return r;
}

void add_forms(Resources& resources, Directory& directory) {
  auto check = [&directory](TicketForm& form) -> Result<void> {
    GONGDAN_ASSIGN(auto catalog, directory.catalog());
    for (const auto& item : form.fields.as_array()) {
      const auto* o = item.if_object();
      if (!o || !o->contains("key") || !o->at("key").is_string())
        return fail(ErrorCode::kInvalidArgument, "every entry needs a key", "fields");
      if (o->contains("required") && !o->at("required").is_bool())
        return fail(ErrorCode::kInvalidArgument, "required must be true or false", "fields");
      bool known = false;
      for (const auto& f : catalog->fields) known = known || f.key == o->at("key").as_string();
      if (!known)
        return fail(ErrorCode::kInvalidArgument,
                    "no such field: " + std::string(o->at("key").as_string()), "fields");
    }
    return {};
  };
  resources.add(form_resource(), {.check = item_check<TicketForm>(check)});
}

}  // namespace gongdan::services
