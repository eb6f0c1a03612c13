#include "api/browser_post.hpp"

#include "api/dispatcher.hpp"
#include "api/json.hpp"
#include "api/user_json.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

// The origin of a URL ("https://desk.example.com" of "https://desk.example.com/x/").
std::string origin_of(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const auto path = url.find('/', scheme + 3);
  return text::to_lower_ascii(url.substr(0, path));
}

}  // namespace

std::string session_cookie(const Request& request, std::string_view token, bool clear) {
  std::string cookie =
      std::string(kSessionCookie) + "=" + std::string(token) + "; Path=/; HttpOnly; SameSite=Lax";
  cookie += clear ? "; Max-Age=0" : "; Max-Age=1209600";
  if (request.secure) cookie += "; Secure";
  return cookie;
}

Response signed_in_response(const Request& request, const services::SignedIn& s, bool with_user) {
  json::object body{{"csrf_token", s.csrf_token}};
  if (with_user) body["user"] = me_json(s.user, s.permissions);
  auto r = json_response(200, body);
  r.set_header("Set-Cookie", session_cookie(request, s.session_token, false));
  r.set_header("Cache-Control", "no-store");
  return r;
}

std::optional<Response> refuse_cross_site(const ApiContext& ctx, const Request& request) {
  const auto type = request.header("content-type");
  const auto media =
      type ? text::to_lower_ascii(text::trim(type->substr(0, type->find(';')))) : std::string();
  if (media != "application/json") {
    json::object inner{{"code", "unsupported_media_type"},
                       {"message", "send the body as Content-Type: application/json"},
                       {"field", "Content-Type"}};
    return json_response(415, json::object{{"error", std::move(inner)}});
  }
  const auto origin = request.header("origin");
  if (!origin) return std::nullopt;
  const std::string given = text::to_lower_ascii(*origin);
  const auto host = request.header("host");
  const bool same_host = host && (given == "http://" + text::to_lower_ascii(*host) ||
                                  given == "https://" + text::to_lower_ascii(*host));
  if (same_host || (!ctx.public_url.empty() && given == origin_of(ctx.public_url)))
    return std::nullopt;
  return error_response(
      {ErrorCode::kPermissionDenied,
       "requests from other sites are refused here (Origin " + std::string(*origin) + ")",
       "Origin"});
}

schema::Schema email_schema() { return schema::string().max_length(254); }
schema::Schema password_schema() { return schema::string().max_length(1024); }

RouteDoc signed_in_doc(std::string id, unsigned status) {
  return doc(std::move(id))
      .returns(status, schema::ref("SignedIn"), "Signed in: the session cookie and its CSRF token.")
      .with_headers({"Set-Cookie"});
}

}  // namespace gongdan::api
