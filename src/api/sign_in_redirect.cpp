#include "api/sign_in_redirect.hpp"

#include <boost/url.hpp>

#include "api/browser_post.hpp"
#include "api/json.hpp"
#include "api/redirect.hpp"

namespace gongdan::api {

Response sign_in_failed(std::string_view return_to, const Error& error, std::string_view reason) {
  boost::urls::url url(return_to.starts_with("/portal") ? "/portal/login" : "/desk/login");
  url.params().append({"sso_error", error.message});
  if (!reason.empty()) url.params().append({"sso_reason", reason});
  url.params().append({"next", return_to});
  return redirect(302, std::string(url.buffer()));
}

Response signed_in_redirect(const Request& request, const services::SignedIn& signed_in,
                            std::string return_to) {
  auto r = redirect(302, std::move(return_to));
  r.set_header("Set-Cookie", session_cookie(request, signed_in.session_token, false));
  return r;
}

std::string browser_base_url(const ApiContext& ctx, const Request& request) {
  const auto host = request.header("host");
  std::string base = host && !host->empty()
                         ? (request.secure ? "https://" : "http://") + std::string(*host)
                         : ctx.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

void add_buttons_route(Router& router, std::string path, std::string operation_id,
                       std::string_view providers, std::string_view resource,
                       std::function<Result<std::vector<services::SignInButton>>()> buttons) {
  using namespace schema;
  const auto button = object({{"id", integer()}, {"label_en", string()}, {"label_zh", string()}});
  router.add(
      "GET", std::move(path), Access::kPublic, "auth",
      "The " + std::string(providers) + " one may sign in through (a button each)",
      doc(std::move(operation_id))
          .describe("The active providers of `" + std::string(resource) +
                    "`: their button's label in English and Chinese (the name when not "
                    "set).")
          .returns(200, items_of(button.require_all())),
      [buttons = std::move(buttons)](Request&) -> Response {
        auto list = buttons();
        if (!list) return error_response(list.error());
        return json_response(
            200, items_answer(*list, [](const services::SignInButton& b) {
              return json::object{{"id", b.id}, {"label_en", b.label_en}, {"label_zh", b.label_zh}};
            }));
      });
}

}  // namespace gongdan::api
