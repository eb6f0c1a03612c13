#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>

#include "api/json.hpp"
#include "util/text.hpp"

namespace gongdan::http {
namespace fs = std::filesystem;
namespace {

std::string_view static_mime_type(std::string_view extension) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [ext, type] : kTypes)
    if (ext == extension) return type;
  return "application/octet-stream";
}

// Paths are already percent-decoded: a `..`, `.`, empty or backslash segment, or a NUL, is never
// a file of ours.
bool safe_relative(std::string_view path) {
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos)
    return false;
  for (auto segment : text::split(path, '/')) {
    if (segment == ".." || segment == ".") return false;
  }
  return true;
}

bool under_prefix(std::string_view path, std::string_view prefix) {
  return path == prefix || (path.starts_with(prefix) && path[prefix.size()] == '/');
}

api::Response plain(unsigned status, std::string body) {
  api::Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

}  // namespace

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  if (!root_.empty()) {
    auto canonical = fs::canonical(root_, ec);
    if (!ec) root_ = canonical;
  }
}

std::optional<api::Response> StaticFiles::serve(const api::Request& request) const {
  const std::string_view path = request.path;
  if (request.method != "GET") return std::nullopt;
  // The API reference: Redoc over /api/v1/openapi.json, a page of the web build.
  if ((path == "/api/docs" || path == "/api/docs/") && !root_.empty())
    return file_response("api-docs.html", false, false);
  if (under_prefix(path, "/api") || path == "/healthz" || path == "/readyz" || path == "/metrics")
    return std::nullopt;
  if (path == "/") {
    auto response = plain(302, "");
    response.set_header("Location", "/desk/");
    return response;
  }
  if (!safe_relative(path))
    return api::error_response({ErrorCode::kInvalidArgument, "invalid path", {}});
  if (root_.empty()) return std::nullopt;
  if (under_prefix(path, "/desk") || under_prefix(path, "/portal"))
    return file_response("index.html", false, false);
  // Only the form itself may be framed: the app's other routes render inside the same document,
  // so any other /embed path gets the strict policy like every page.
  if (path == "/embed/form" || path == "/embed/form/")
    return file_response("index.html", false, true);
  if (under_prefix(path, "/embed")) return file_response("index.html", false, false);
  if (path.starts_with("/assets/")) {
    const auto encodings = request.header("accept-encoding");
    const bool gzip = encodings && encodings->find("gzip") != std::string_view::npos;
    auto response = file_response(fs::path(path.substr(1)), true, false, gzip);
    if (!response) return api::error_response({ErrorCode::kNotFound, "no such file", {}});
    return response;
  }
  // Top-level files of the build (favicon, manifest, the embed script): short-lived.
  if (path.find('/', 1) == std::string_view::npos && path.size() > 1 && path != "/index.html")
    return file_response(fs::path(path.substr(1)), false, false);
  return std::nullopt;
}

std::optional<api::Response> StaticFiles::file_response(const fs::path& relative, bool immutable,
                                                        bool embeddable, bool accepts_gzip) const {
  std::error_code ec;
  auto full = fs::weakly_canonical(root_ / relative, ec);
  if (ec) return std::nullopt;
  // Symlinks must not lead out of the root either.
  auto inside = [this](const fs::path& p) {
    return std::mismatch(root_.begin(), root_.end(), p.begin(), p.end()).first == root_.end();
  };
  if (!inside(full) || !fs::is_regular_file(full, ec)) return std::nullopt;
  // The build writes a gzip twin of each asset; the type stays the original's.
  auto source = full;
  bool gzipped = false;
  if (accepts_gzip) {
    auto twin = fs::weakly_canonical(fs::path(full.string() + ".gz"), ec);
    if (!ec && inside(twin) && fs::is_regular_file(twin, ec)) {
      source = twin;
      gzipped = true;
    }
  }
  std::ifstream in(source, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  api::Response response;
  response.body = std::move(bytes).str();
  response.content_type = std::string(static_mime_type(full.extension().string()));
  response.set_header("Cache-Control",
                      immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.set_header("Content-Security-Policy", embeddable ? kEmbedCsp : kPageCsp);
  if (immutable) response.set_header("Vary", "Accept-Encoding");
  if (gzipped) response.set_header("Content-Encoding", "gzip");
  // An empty value removes the default header (see to_beast_response).
  if (embeddable) response.set_header("X-Frame-Options", "");
  return response;
}

}  // namespace gongdan::http
