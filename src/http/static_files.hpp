// Serves the built web app (web/dist) next to the API: hashed files under /assets/ cached for a
// year (and their build-time `.gz` twin sent to clients that accept gzip), index.html never cached,
// the single-page app's own paths (/desk/..., /portal/..., /embed/...) answered with index.html,
// /api/docs with the API reference page (api-docs.html), and `/` sent to the desk. Everything it
// does not claim (the API, the operational endpoints, unknown paths) falls through to the
// dispatcher.
#pragma once

#include <filesystem>
#include <optional>

#include "api/request.hpp"

namespace gongdan::http {

class StaticFiles {
 public:
  // An empty or missing root serves nothing but the redirect of `/`.
  explicit StaticFiles(std::filesystem::path root);

  // nullopt: not a static path; let the dispatcher answer.
  std::optional<api::Response> serve(const api::Request& request) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::optional<api::Response> file_response(const std::filesystem::path& relative, bool immutable,
                                             bool embeddable, bool accepts_gzip = false) const;

  std::filesystem::path root_;
};

// The Content-Security-Policy of every page; the embeddable form may be framed by any site.
inline constexpr const char* kPageCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data: blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'";
inline constexpr const char* kEmbedCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data: blob:; connect-src 'self'; frame-ancestors *";

}  // namespace gongdan::http
