#include "api/router.hpp"

#include "util/text.hpp"

namespace gongdan::api {
namespace {

bool matches(const Route& route, const std::vector<std::string_view>& parts, Pairs* params) {
  if (route.segments.size() != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& seg = route.segments[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (parts[i].empty()) return false;
      if (params) params->emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
    } else if (seg != parts[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Access access, std::string tag,
                 std::string summary, Handler handler) {
  add(std::move(method), std::move(pattern), access, std::move(tag), std::move(summary), RouteDoc{},
      std::move(handler));
}

void Router::add(std::string method, std::string pattern, Access access, std::string tag,
                 std::string summary, RouteDoc doc, Handler handler) {
  Route route{std::move(method), std::move(pattern), access, std::move(summary),
              std::move(tag),    std::move(handler), {},     {},
              std::move(doc)};
  for (auto part : text::split(route.pattern, '/')) route.segments.emplace_back(part);
  if (route.pattern.find('{') == std::string::npos) exact_[route.pattern].push_back(routes_.size());
  routes_.push_back(std::move(route));
}

void Router::defer(std::string_view method, std::string_view pattern, DeferredHandler deferred) {
  for (auto& route : routes_)
    if (route.method == method && route.pattern == pattern) route.deferred = std::move(deferred);
}

bool Router::document(std::string_view method, std::string_view pattern, RouteDoc doc) {
  for (auto& route : routes_)
    if (route.method == method && route.pattern == pattern) {
      route.doc = std::move(doc);
      return true;
    }
  return false;
}

void Router::define_schema(std::string name, schema::Schema schema) {
  schemas_.insert_or_assign(std::move(name), std::move(schema));
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  if (auto it = exact_.find(std::string(path)); it != exact_.end()) {
    for (auto index : it->second) {
      if (routes_[index].method == method) {
        result.route = &routes_[index];
        return result;
      }
    }
  }
  auto parts = text::split(path, '/');
  for (const auto& route : routes_) {
    if (!matches(route, parts, nullptr)) continue;
    if (route.method == method) {
      result.route = &route;
      result.params.clear();
      matches(route, parts, &result.params);
      return result;
    }
    if (!result.allowed_methods.empty()) result.allowed_methods += ", ";
    result.allowed_methods += route.method;
  }
  return result;
}

}  // namespace gongdan::api
