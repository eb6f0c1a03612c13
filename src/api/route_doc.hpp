// What the OpenAPI document says about one route, kept on the route itself (Route::doc) and
// written next to its registration, so a change to a handler and to its description are one
// change:
//
//   router.add("POST", "/api/v1/tokens", Access::kSignedIn, "tokens", "Create an API token",
//              doc("createToken")
//                  .body(object({{"name", string().max_length(200)}}))
//                  .returns(201, ref("NewToken"))
//                  .errors({409}),
//              handler);
//
// Path parameters come from the pattern. The generator (openapi.cpp) adds the error answers every
// route of the kind can give (401 and 403 when it needs a sign-in, 404 with path parameters,
// 400 when it reads a body or query parameters, 413 with a body), all with the one error shape;
// errors() lists the others. A route registered without a RouteDoc gets a minimal one (an
// operationId from its method and path, any JSON answered with 200) and `documented == false`.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "api/schema.hpp"

namespace gongdan::api {

struct ParameterDoc {
  std::string name;
  std::string in;  // "query", "header" or "path"
  schema::Schema schema;
  std::string description;
  bool required = false;
};

struct BodyDoc {
  std::string content_type;  // "application/json", "multipart/form-data", "message/rfc822", …
  schema::Schema schema;
};

struct ResponseDoc {
  unsigned status = 200;
  std::string description;
  std::string content_type;              // empty with no body (204, 304)
  std::optional<schema::Schema> schema;  // the body's schema, when there is a body
  std::vector<std::string> headers;      // response headers worth naming (ETag, Retry-After, …)
};

struct RouteDoc {
  bool documented = false;      // written by hand or by a resource declaration
  std::string operation_id;     // lowerCamelCase and unique; empty: derived from method and path
  std::string description;      // Markdown under the summary
  std::vector<BodyDoc> bodies;  // one per accepted media type; empty: the route reads no body
  bool body_required = true;
  std::vector<ParameterDoc> parameters;  // query and header parameters
  std::vector<ResponseDoc> responses;    // the success answers (2xx, 3xx)
  std::vector<unsigned> error_statuses;  // errors beyond those the generator implies

  RouteDoc& id(std::string operation_id);
  RouteDoc& describe(std::string markdown);
  // The body, as JSON unless another media type is named; call again for another media type.
  RouteDoc& body(schema::Schema schema, std::string content_type = "application/json");
  // The body may be left out (or sent empty).
  RouteDoc& optional_body();
  RouteDoc& query(std::string name, schema::Schema schema, std::string description,
                  bool required = false);
  RouteDoc& header(std::string name, schema::Schema schema, std::string description,
                   bool required = false);
  // A path parameter's schema and text (without it: an integer for id, number, other and
  // message, else a string).
  RouteDoc& path(std::string name, schema::Schema schema, std::string description = {});
  // ?limit= (1 to 200, default 50) and ?cursor= (the previous page's next_cursor).
  RouteDoc& paged();
  // A success answer with a body (JSON unless another media type is named); again with the
  // same status and another media type, one more form of that answer (CSV beside JSON).
  RouteDoc& returns(unsigned status, schema::Schema schema, std::string description = {},
                    std::string content_type = "application/json");
  // A success answer without a body (204 No Content, 304 Not Modified).
  RouteDoc& returns_nothing(unsigned status = 204, std::string description = {});
  // Response headers of the success answer given last (ETag, Idempotent-Replayed, …).
  RouteDoc& with_headers(std::initializer_list<std::string> names);
  RouteDoc& errors(std::initializer_list<unsigned> statuses);
};

// Starts a RouteDoc for a route documented by hand: doc("listTickets").paged().returns(…).
RouteDoc doc(std::string operation_id);

}  // namespace gongdan::api
