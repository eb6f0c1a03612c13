// The OpenAPI 3.1 document, generated from the route table: every route with its RouteDoc, the
// named schemas the router holds, the error shape, security by access level, tags, and the live
// stream (a WebSocket, which OpenAPI cannot model) in prose. Served at /api/v1/openapi.json.
#pragma once

#include <boost/json.hpp>

namespace gongdan::api {

class Router;

boost::json::object openapi_document(const Router& router);

// The schemas every document has (Error, the live stream's messages); add_all_routes defines
// them, and so may a test that builds a router by hand.
void define_common_schemas(Router& router);

// Docs of the routes beside the admin resources (settings_route_docs.cpp), attached once every
// route is added; throws std::logic_error when one of them is not there.
void document_settings_routes(Router& router);

}  // namespace gongdan::api
