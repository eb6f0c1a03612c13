// The routes of issue 22's help from the team's history, added beside add_all_routes with the
// services they answer from. Triage: each field's model and its held-out measures, training
// now, and a ticket's predictions. Similar: a ticket's similar solved tickets and articles.
#pragma once

#include "api/router.hpp"
#include "services/similar_service.hpp"
#include "services/triage_service.hpp"

namespace gongdan::api {

void add_triage_routes(Router& router, services::TriageService& triage);
void add_similar_routes(Router& router, services::SimilarService& similar);

}  // namespace gongdan::api
