#include "domain/oauth_token.hpp"

#include <boost/json.hpp>

namespace gongdan {
namespace {

namespace json = boost::json;

constexpr std::size_t kLongestToken = 16 * 1024;

std::string text_member(const json::object& o, std::string_view key, std::size_t longest) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return std::string(std::string_view(v->as_string()).substr(0, longest));
}

// Tokens go into SASL and form bodies: printable ASCII only (RFC 6750's b64token and more).
bool printable(std::string_view token) {
  for (unsigned char c : token)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

// What an error answer says, made safe to show: printable, cut to 300 bytes.
std::string shown(std::string text) {
  for (auto& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  if (text.size() > 300) text.resize(300);
  return text;
}

}  // namespace

Result<OAuthTokens> read_oauth_token_answer(long http_status, std::string_view body) {
  boost::system::error_code ec;
  auto value = json::parse(body, ec);
  const auto* o = ec ? nullptr : value.if_object();
  if (!o)
    return fail(ErrorCode::kUnavailable, "the token endpoint answered HTTP " +
                                             std::to_string(http_status) +
                                             " without a JSON object");
  if (http_status < 200 || http_status >= 300 || o->contains("error")) {
    std::string error = shown(text_member(*o, "error", 100));
    const std::string description = shown(text_member(*o, "error_description", 300));
    if (error.empty()) error = "HTTP " + std::to_string(http_status);
    return fail(ErrorCode::kUnauthenticated, "the token endpoint refused: " + error +
                                                 (description.empty() ? "" : ": " + description));
  }
  OAuthTokens out;
  const auto* access = o->if_contains("access_token");
  if (!access || !access->is_string() || access->as_string().empty() ||
      access->as_string().size() > kLongestToken || !printable(access->as_string()))
    return fail(ErrorCode::kUnavailable, "the token endpoint's answer has no usable access_token");
  out.access_token = std::string(access->as_string());
  if (const auto* expires = o->if_contains("expires_in")) {
    // A number, or (some endpoints) a string of digits.
    if (expires->is_int64() && expires->as_int64() > 0) {
      out.expires_in_seconds = expires->as_int64();
    } else if (expires->is_uint64()) {
      out.expires_in_seconds = 86400;
    } else if (expires->is_string()) {
      const auto& s = expires->as_string();
      std::int64_t n = 0;
      bool digits = !s.empty() && s.size() < 10;
      for (char c : s) {
        if (c < '0' || c > '9')
          digits = false;
        else
          n = n * 10 + (c - '0');
      }
      if (digits && n > 0) out.expires_in_seconds = n;
    }
  }
  if (out.expires_in_seconds > 86400) out.expires_in_seconds = 86400;
  const std::string rotated = text_member(*o, "refresh_token", kLongestToken + 1);
  if (!rotated.empty() && rotated.size() <= kLongestToken && printable(rotated))
    out.refresh_token = rotated;
  return out;
}

}  // namespace gongdan
