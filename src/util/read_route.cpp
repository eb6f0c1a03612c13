#include "util/read_route.hpp"

namespace gongdan {
namespace {

thread_local const ReadRoute* t_read_route = nullptr;

}  // namespace

const ReadRoute* current_read_route() { return t_read_route; }

ReadRouteScope::ReadRouteScope(ReadRoute route)
    : route_(std::move(route)), previous_(t_read_route) {
  t_read_route = &route_;
}

ReadRouteScope::~ReadRouteScope() { t_read_route = previous_; }

}  // namespace gongdan
