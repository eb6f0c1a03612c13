#include "api/route_doc.hpp"

namespace gongdan::api {

RouteDoc& RouteDoc::id(std::string operation_id_in) {
  operation_id = std::move(operation_id_in);
  return *this;
}

RouteDoc& RouteDoc::describe(std::string markdown) {
  description = std::move(markdown);
  return *this;
}

RouteDoc& RouteDoc::body(schema::Schema schema, std::string content_type) {
  bodies.push_back({std::move(content_type), std::move(schema)});
  return *this;
}

RouteDoc& RouteDoc::optional_body() {
  body_required = false;
  return *this;
}

RouteDoc& RouteDoc::query(std::string name, schema::Schema schema, std::string description_in,
                          bool required) {
  parameters.push_back(
      {std::move(name), "query", std::move(schema), std::move(description_in), required});
  return *this;
}

RouteDoc& RouteDoc::header(std::string name, schema::Schema schema, std::string description_in,
                           bool required) {
  parameters.push_back(
      {std::move(name), "header", std::move(schema), std::move(description_in), required});
  return *this;
}

RouteDoc& RouteDoc::path(std::string name, schema::Schema schema, std::string description_in) {
  parameters.push_back(
      {std::move(name), "path", std::move(schema), std::move(description_in), true});
  return *this;
}

RouteDoc& RouteDoc::paged() {
  query("limit", schema::integer().minimum(1).maximum(200), "Page size (default 50).");
  return query("cursor", schema::string(),
               "Where the page starts: the `next_cursor` of the page before.");
}

RouteDoc& RouteDoc::returns(unsigned status, schema::Schema schema, std::string description_in,
                            std::string content_type) {
  responses.push_back(
      {status, std::move(description_in), std::move(content_type), std::move(schema), {}});
  return *this;
}

RouteDoc& RouteDoc::returns_nothing(unsigned status, std::string description_in) {
  responses.push_back({status, std::move(description_in), {}, std::nullopt, {}});
  return *this;
}

RouteDoc& RouteDoc::with_headers(std::initializer_list<std::string> names) {
  if (!responses.empty())
    responses.back().headers.insert(responses.back().headers.end(), names.begin(), names.end());
  return *this;
}

RouteDoc& RouteDoc::errors(std::initializer_list<unsigned> statuses) {
  error_statuses.insert(error_statuses.end(), statuses.begin(), statuses.end());
  return *this;
}

RouteDoc doc(std::string operation_id) {
  RouteDoc d;
  d.documented = true;
  d.operation_id = std::move(operation_id);
  return d;
}

}  // namespace gongdan::api
