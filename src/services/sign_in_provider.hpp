// What the sign-in providers of every kind (OpenID Connect, SAML) share: their button on the
// sign-in pages, the check that one may be used, the fields they declare alike, and the end of
// every sign-in through one (the account signed in, or the failure audited). Kept apart from each
// provider's service so that a change here rebuilds only those two (and LDAP's, for its
// resource's declaration).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/ldap_directory.hpp"
#include "domain/resource.hpp"
#include "services/auth_service.hpp"
#include "services/credential_cache.hpp"
#include "services/external_accounts.hpp"
#include "services/resource_load.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan::services {

class Directory;

// A button on the sign-in pages.
struct SignInButton {
  std::int64_t id = 0;
  std::string label_en;
  std::string label_zh;
};

// The buttons of the active providers of one kind (OpenID Connect, SAML): each labelled in both
// languages, by its name where a label is empty.
template <class Provider>
std::vector<SignInButton> buttons_of(const std::vector<Provider>& providers) {
  std::vector<SignInButton> out;
  for (const auto& p : providers)
    if (p.active)
      out.push_back({p.id, p.button_en.empty() ? p.name : p.button_en,
                     p.button_zh.empty() ? p.name : p.button_zh});
  return out;
}

template <class Provider>
Result<std::vector<SignInButton>> buttons_of(store::Database& db, const Resource<Provider>& r) {
  GONGDAN_ASSIGN(auto providers, load_all(db, r));
  return buttons_of(providers);
}

// A provider a sign-in may start or finish with: one that exists and is switched on.
template <class Provider>
Result<Provider> active_provider(store::Database& db, const Resource<Provider>& r,
                                 std::int64_t id) {
  GONGDAN_ASSIGN(auto p, load_one(db, r, id));
  if (!p || !p->active) return fail(ErrorCode::kNotFound, "no such sign-in provider");
  return std::move(*p);
}

// The declaration every kind of sign-in provider shares: admins read them, remove them, and see
// them in the order they were added.
InfoBuilder sign_in_resource_info(std::string_view name, std::string_view noun, Words title,
                                  std::string_view table);

// What came of a return from a provider: a session, or the error (never both), and where the
// browser goes next (the page the sign-in started from).
struct SignInFinish {
  std::optional<SignedIn> signed_in;
  std::optional<Error> error;
  std::string return_to = "/desk";
};

// The end of a sign-in through a provider of one kind (`kind`: "oidc", "saml").
class ProviderSignIn {
 public:
  ProviderSignIn(store::Database& db, const Clock& clock, AuthService& auth, CredentialCache& cache,
                 Directory& directory, std::string_view kind);

  // The person's account (provision_external_account), refused when deactivated, signed in.
  Result<SignedIn> sign_in(const ExternalPerson& person, std::string_view ip);
  // Puts the outcome into `out`; a failure is audited as auth.<kind>_failed on the provider
  // (<kind>_provider:<id>; <kind> alone for 0, when none is known yet) with the error's message.
  void settle(SignInFinish& out, Result<SignedIn> signed_in, std::int64_t provider_id,
              std::string_view ip);

 private:
  store::Database& db_;
  const Clock& clock_;
  AuthService& auth_;
  CredentialCache& cache_;
  Directory& directory_;
  std::string kind_;
};

// The JSON Schema of a provider's `mappings` and an example, for its field's declaration: each
// item matches on `keys` (strings, all required: "group"; "claim" or "attribute" and "value")
// and gives a role and departments; `example_match` is an example item's matching members. A
// FieldSpec keeps views of both texts, so the caller keeps them for the program's life.
struct MappingsSchema {
  std::string schema;
  std::string example;
};
MappingsSchema mappings_schema(std::initializer_list<std::string_view> keys,
                               std::string_view example_match);

// A provider's `mappings` (see mappings_schema), checked by `check`. Its schema's texts are made
// once per provider type, on the resource's declaration, and kept: the FieldSpec holds views.
template <class P, class Check>
Bound<P> mappings_field(Words label, Words help, std::initializer_list<std::string_view> keys,
                        std::string_view example_match, Check check) {
  static const MappingsSchema made = mappings_schema(keys, example_match);
  return field_of(&P::mappings,
                  json_field("mappings", label, help).schema(made.schema, made.example), check);
}

// What becomes of someone no mapping matches (`label` names what the mappings match).
template <class P>
Bound<P> unmapped_field(Words label) {
  return field_of(
      &P::unmapped,
      choice_field("unmapped", label, {"refuse", "customer"},
                   {"refuse: such people cannot sign in; customer: they sign in to the portal.",
                    "refuse：不能登录；customer：作为客户登录门户。"}),
      unmapped_policy_name, parse_unmapped_policy);
}

// The fields of an OpenID Connect or a SAML provider: those every sign-in provider starts with
// (its id, name and switch), `own` (what its kind needs), then those they end with alike: what
// becomes of someone no mapping matches (`unmapped` names what the mappings match: a claim, an
// attribute), accounts made just in time, the sign-in button's labels and the times.
template <class P>
std::vector<Bound<P>> sign_in_fields(std::vector<Bound<P>> own, Words unmapped) {
  std::vector<Bound<P>> fields{
      field_of(&P::id, id_field()),
      field_of(&P::name, unique_name_field(100)),
      field_of(&P::active, active_field()),
  };
  fields.insert(fields.end(), std::make_move_iterator(own.begin()),
                std::make_move_iterator(own.end()));
  fields.push_back(unmapped_field<P>(unmapped));
  fields.push_back(field_of(
      &P::create_accounts, switch_field("create_accounts", {"Create accounts", "自动创建账号"},
                                        {"On a first sign-in; off: only existing accounts sign in.",
                                         "首次登录时创建；关闭：只有已有账号能登录。"})
                               .default_json("true")));
  const Words empty_is_name{"Empty: the name.", "留空：使用名称。"};
  fields.push_back(field_of(
      &P::button_en,
      text_field("button_en", {"Button (English)", "按钮（英文）"}, empty_is_name).max(100)));
  fields.push_back(field_of(
      &P::button_zh,
      text_field("button_zh", {"Button (Chinese)", "按钮（中文）"}, empty_is_name).max(100)));
  fields.push_back(field_of(&P::created_at, time_field("created_at")));
  fields.push_back(field_of(&P::updated_at, time_field("updated_at")));
  return fields;
}

}  // namespace gongdan::services
