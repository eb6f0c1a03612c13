// A resource's declaration as JSON: for the desk's admin forms (resource_json) and as JSON
// Schemas of its items and request bodies for the OpenAPI document.
#pragma once

#include <boost/json.hpp>

#include "domain/resource.hpp"

namespace gongdan::api {

// `defaults`: what a new item holds before the form's values.
boost::json::object resource_json(const ResourceInfo& info, const Values& defaults);
// The item as answers show it.
boost::json::object item_schema(const ResourceInfo& info);
// What a create (or update) body may hold.
boost::json::object body_schema(const ResourceInfo& info, bool creating);

}  // namespace gongdan::api
