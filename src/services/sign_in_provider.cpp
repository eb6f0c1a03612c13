#include "services/sign_in_provider.hpp"

#include <boost/json.hpp>

#include "services/audit.hpp"
#include "store/database.hpp"

namespace gongdan::services {

InfoBuilder sign_in_resource_info(std::string_view name, std::string_view noun, Words title,
                                  std::string_view table) {
  return resource_info(name, noun, title, "sign-in")
      .table(table)
      .order_by("id")
      .read_by(Audience::kAdmins)
      .ops({.remove = true});
}

MappingsSchema mappings_schema(std::initializer_list<std::string_view> keys,
                               std::string_view example_match) {
  std::string properties;
  std::string required;
  for (const auto key : keys) {
    properties += "\"" + std::string(key) + R"(": {"type": "string"}, )";
    required += "\"" + std::string(key) + "\", ";
  }
  return {R"({"type": "array", "items": {"type": "object", "properties": {)" + properties +
              R"("role": {"type": "string", "enum": )"
              R"(["admin", "supervisor", "agent", "light_agent", "customer"]}, )"
              R"("departments": {"type": "array", "items": {"type": "integer"}}}, )"
              R"("required": [)" +
              required + R"("role"]}})",
          "[{" + std::string(example_match) + R"(, "role": "agent", "departments": [1]}])"};
}

ProviderSignIn::ProviderSignIn(store::Database& db, const Clock& clock, AuthService& auth,
                               CredentialCache& cache, Directory& directory, std::string_view kind)
    : db_(db), clock_(clock), auth_(auth), cache_(cache), directory_(directory), kind_(kind) {}

Result<SignedIn> ProviderSignIn::sign_in(const ExternalPerson& person, std::string_view ip) {
  GONGDAN_ASSIGN(auto user,
                 provision_external_account(db_, clock_, cache_, directory_, person, ip));
  if (!user.active) return fail(ErrorCode::kPermissionDenied, "this account is deactivated");
  SignedIn signed_in;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(signed_in, auth_.sign_in_within(c, user, ip, person.provider));
    return {};
  }));
  return signed_in;
}

void ProviderSignIn::settle(SignInFinish& out, Result<SignedIn> signed_in, std::int64_t provider_id,
                            std::string_view ip) {
  if (signed_in) {
    out.signed_in = std::move(*signed_in);
    return;
  }
  out.error = signed_in.error();
  const std::string target =
      provider_id ? kind_ + "_provider:" + std::to_string(provider_id) : kind_;
  (void)db_.write([&](store::Connection& c) {
    return record_audit(
        c, clock_.now_ms(), std::nullopt, "auth." + kind_ + "_failed", target, ip,
        boost::json::serialize(boost::json::object{{"reason", out.error->message}}));
  });
}

}  // namespace gongdan::services
