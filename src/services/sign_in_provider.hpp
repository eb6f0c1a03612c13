// What the sign-in providers of every kind (OpenID Connect, SAML) share: their button on the
// sign-in pages, the check that one may be used, and the fields they declare alike. Kept apart
// from each provider's service so that a change here rebuilds only those two.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/ldap_directory.hpp"
#include "domain/resource.hpp"
#include "util/result.hpp"

namespace gongdan::services {

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

// A provider a sign-in may start or finish with: one that exists and is switched on.
template <class Provider>
Result<Provider> active_or_not_found(std::optional<Provider> p) {
  if (!p || !p->active) return fail(ErrorCode::kNotFound, "no such sign-in provider");
  return std::move(*p);
}

// The fields an OpenID Connect or a SAML provider declares alike, after its own: what becomes of
// someone no mapping matches (`unmapped` names what the mappings match: a claim, an attribute),
// accounts made just in time, the sign-in button's labels and the times.
template <class P>
void add_sign_in_fields(std::vector<Bound<P>>& fields, Words unmapped) {
  fields.push_back(field_of(
      &P::unmapped,
      choice_field("unmapped", unmapped, {"refuse", "customer"},
                   {"refuse: such people cannot sign in; customer: they sign in to the portal.",
                    "refuse：不能登录；customer：作为客户登录门户。"}),
      unmapped_policy_name, parse_unmapped_policy));
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
}

}  // namespace gongdan::services
