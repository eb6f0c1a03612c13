// What the knowledge base's route files share: a search hit as the API answers it (schema
// KbHit: the KB search's items and the articles suggested beside a ticket), and the article a
// path names.
#pragma once

#include "api/answer_shape.hpp"
#include "api/json.hpp"
#include "services/kb_service.hpp"

namespace gongdan::api {

extern const AnswerShape<services::KbEntry> kKbHitShape;
// The article the path parameter {id} names: a positive id, else 404 "no such kb_article".
Result<std::int64_t> article_id(const Request& r);

}  // namespace gongdan::api
