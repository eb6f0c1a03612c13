#include "domain/mail_template.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "domain/template.hpp"
#include "util/text.hpp"

namespace gongdan {
namespace {

Failure variant_error(std::string message, std::string field) {
  return fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

// "en", "zh", "zh-CN", "pt-BR": a primary tag of 2-3 letters and an optional region or script.
bool looks_like_language(std::string_view l) {
  const auto dash = l.find('-');
  const auto primary = l.substr(0, dash);
  if (primary.size() < 2 || primary.size() > 3) return false;
  for (char ch : primary)
    if (ch < 'a' || ch > 'z') return false;
  if (dash == std::string_view::npos) return true;
  const auto rest = l.substr(dash + 1);
  if (rest.size() < 2 || rest.size() > 8) return false;
  for (char ch : rest)
    if (!std::isalnum(static_cast<unsigned char>(ch))) return false;
  return true;
}

Result<std::string> read_variant_text(const boost::json::object& o, std::string_view key,
                                      const std::string& path, std::size_t max) {
  const auto* v = o.if_contains(key);
  if (!v) return variant_error("is required", fmt::format("{}.{}", path, key));
  if (!v->is_string() || v->as_string().empty() || v->as_string().size() > max ||
      !text::is_valid_utf8(v->as_string()))
    return variant_error(fmt::format("must be 1 to {} bytes of text", max),
                         fmt::format("{}.{}", path, key));
  std::string s(v->as_string());
  auto issues = validate_template(s);
  if (!issues.empty())
    return variant_error(issues.front().message, fmt::format("{}.{}", path, key));
  return s;
}

Result<boost::json::object> read_variant(const boost::json::value& item, const std::string& path,
                                         std::vector<std::string>& seen) {
  const auto* o = item.if_object();
  if (!o) return variant_error("expected an object", path);
  for (const auto& kv : *o)
    if (kv.key() != "language" && kv.key() != "subject" && kv.key() != "body")
      return variant_error(
          fmt::format("unknown key \"{}\" (allowed: \"language\", \"subject\", \"body\")",
                      std::string_view(kv.key())),
          fmt::format("{}.{}", path, std::string_view(kv.key())));
  const auto* lang = o->if_contains("language");
  if (!lang || !lang->is_string() || !looks_like_language(lang->as_string()))
    return variant_error("a language tag such as \"en\" or \"zh-CN\"", path + ".language");
  const std::string language(lang->as_string());
  if (std::ranges::find(seen, language) != seen.end())
    return variant_error("this language has a variant already", path + ".language");
  seen.push_back(language);
  GONGDAN_ASSIGN(auto subject, read_variant_text(*o, "subject", path, 300));
  if (subject.find_first_of("\r\n") != std::string::npos)
    return variant_error("a subject is one line", path + ".subject");
  GONGDAN_ASSIGN(auto body, read_variant_text(*o, "body", path, 64 * 1024));
  return boost::json::object{{"language", language}, {"subject", subject}, {"body", body}};
}

}  // namespace

Result<boost::json::array> read_mail_variants(const boost::json::value& variants) {
  const auto* list = variants.if_array();
  if (!list || list->empty() || list->size() > 50)
    return variant_error(
        "a list of 1 to 50 {\"language\": \"en\", \"subject\": ..., \"body\": ...}", "variants");
  boost::json::array out;
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    GONGDAN_ASSIGN(auto variant, read_variant((*list)[i], fmt::format("variants[{}]", i), seen));
    out.push_back(std::move(variant));
  }
  return out;
}

std::optional<MailVariant> pick_variant(const MailTemplate& mail, std::string_view language) {
  const auto* list = mail.variants.if_array();
  if (!list || list->empty()) return std::nullopt;
  const auto primary = [](std::string_view l) { return l.substr(0, l.find('-')); };
  const boost::json::object* exact = nullptr;
  const boost::json::object* near = nullptr;
  for (const auto& v : *list) {
    const auto* o = v.if_object();
    if (!o || !o->contains("language") || !o->at("language").is_string()) continue;
    const std::string_view l = o->at("language").as_string();
    if (l == language && !exact) exact = o;
    if (primary(l) == primary(language) && !near) near = o;
  }
  const auto* chosen = exact ? exact : near ? near : list->front().if_object();
  if (!chosen) return std::nullopt;
  auto text = [&](std::string_view key) {
    const auto* v = chosen->if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  return MailVariant{text("subject"), text("body")};
}

}  // namespace gongdan
