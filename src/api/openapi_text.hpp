// The fixed parts of the OpenAPI document: prose (the API's introduction, tags, the live stream),
// the error answers, response headers and security schemes. The generator is openapi.cpp.
#pragma once

#include <string>
#include <string_view>

#include "api/json.hpp"

namespace gongdan::api {

std::string api_description();
std::string tag_description(std::string_view tag);
std::string default_description(unsigned status);
// The name of the shared error answer for a status under components.responses ("NotFound").
std::string error_response_name(unsigned status);
json::object response_header(std::string_view name);
json::object security_schemes();
// GET /api/v1/stream: the WebSocket upgrade, with its messages described in prose.
json::object stream_path_item();

}  // namespace gongdan::api
