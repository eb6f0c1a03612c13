// Triage: each field's model and its held-out measures (admins), training now (admins), and a
// ticket's predictions as suggestions (agents). The settings are the declared resource
// /api/v1/triage-settings.
#include "api/answer_shape.hpp"
#include "api/json.hpp"
#include "api/ticket_handlers_common.hpp"
#include "api/triage_routes.hpp"

namespace gongdan::api {
namespace {

json::object field_json(const services::TriageFieldStatus& f) {
  const auto& s = f.setting;
  json::object out{{"field", s.field},
                   {"mode", s.mode},
                   {"threshold", s.threshold},
                   {"retrain_days", s.retrain_days},
                   {"setting_id", s.id}};
  if (!f.trained) {
    out["model"] = nullptr;
    return out;
  }
  const auto& e = f.evaluation;
  json::array confusion;
  for (const auto& [pair, n] : e.confusion)
    confusion.push_back(
        json::object{{"actual", pair.first}, {"predicted", pair.second}, {"count", n}});
  json::object names;
  for (const auto& [label, name] : f.label_names) names[label] = name;
  out["model"] = json::object{{"id", f.model_id},
                              {"trained_at", iso_time(f.trained_at)},
                              {"duration_ms", f.duration_ms},
                              {"size", f.size},
                              {"examples", e.examples},
                              {"held_out", e.held_out},
                              {"accuracy", e.accuracy()},
                              {"coverage", e.coverage_at(s.threshold)},
                              {"accuracy_at_threshold", e.accuracy_at(s.threshold)},
                              {"confusion", std::move(confusion)},
                              {"label_names", std::move(names)}};
  return out;
}

Result<Response> status(services::TriageService& triage, Request& request) {
  GONGDAN_ASSIGN(auto fields, triage.status(request.who()));
  GONGDAN_ASSIGN(auto similar, triage.similar_status(request.who()));
  json::array items;
  for (const auto& f : fields) items.push_back(field_json(f));
  json::value index = nullptr;
  if (similar.loaded)
    index = json::object{{"model_id", similar.index_model_id},
                         {"size", similar.size},
                         {"clusters", similar.clusters},
                         {"load_seconds", similar.load_seconds},
                         {"loads", similar.loads}};
  json::value model = nullptr;
  if (similar.model_id) model = similar.model_id;
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"similar", json::object{{"model_id", std::move(model)},
                                                                  {"index", std::move(index)}}}});
}

Result<Response> train(services::TriageService& triage, Request& request) {
  if (!request.body.empty()) GONGDAN_TRY(parse_object(request.body, {}));
  GONGDAN_TRY(triage.request_training(request.who()));
  return json_response(202, json::object{{"queued", true}});
}

using namespace shape;
using services::TriageSuggestion;

const AnswerShape<TriageSuggestion> kSuggestionShape{
    member("field", &TriageSuggestion::field, schema::ref("TriageFieldName")),
    text("value", &TriageSuggestion::value).describe("As PATCH /tickets/{number} takes it."),
    text("label", &TriageSuggestion::label),
    member("confidence", &TriageSuggestion::confidence, schema::number()),
    boolean("current", &TriageSuggestion::current).describe("The ticket has it already.")};

Result<Response> suggestions(services::TriageService& triage, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  GONGDAN_ASSIGN(auto found, triage.suggestions(request.who(), number));
  return json_response(200, items_answer(found, kSuggestionShape));
}

}  // namespace

void add_triage_routes(Router& router, services::TriageService& triage) {
  using namespace schema;
  router.define_schema("TriageFieldName", enum_of({"department", "type", "priority", "tags"}));
  router.define_schema(
      "TriageModel",
      object(
          {{"id", integer()},
           {"trained_at", date_time()},
           {"duration_ms", integer()},
           {"size", integer().describe("Bytes of the model.")},
           {"examples", integer().describe("Solved tickets it learnt from.")},
           {"held_out", integer().describe("Solved tickets kept out of training to measure it.")},
           {"accuracy", number().describe("Share of held-out tickets predicted right.")},
           {"coverage", number().describe("Share of held-out tickets predicted at or above the "
                                          "threshold (what would be applied).")},
           {"accuracy_at_threshold", number()},
           {"confusion",
            array_of(object({{"actual", string()}, {"predicted", string()}, {"count", integer()}})
                         .require_all())},
           {"label_names", map_of(string()).describe("Department ids → names.")}})
          .require_all());
  router.define_schema("TriageField", object({{"field", ref("TriageFieldName")},
                                              {"mode", enum_of({"off", "suggest", "apply"})},
                                              {"threshold", integer()},
                                              {"retrain_days", integer()},
                                              {"setting_id", integer()},
                                              {"model", nullable(ref("TriageModel"))}})
                                          .require_all());
  router.define_schema(
      "SimilarIndex",
      object({{"model_id",
               nullable(integer()).describe("The newest sentence-vector model (none before the "
                                            "first training).")},
              {"index",
               nullable(object({{"model_id", integer()},
                                {"size", integer().describe("Solved tickets in it.")},
                                {"clusters", integer()},
                                {"load_seconds", number()},
                                {"loads", integer().describe("Loads this node has made since it "
                                                             "started.")}})
                            .require_all())
                   .describe("This node's in-memory index of the vectors, loaded in the background "
                             "at start-up and after each training; ready for searches when its "
                             "`model_id` is the newest model's (null: none loaded yet).")}})
          .require_all());
  router.define_schema("TriageSuggestion", kSuggestionShape.schema());
  router.add("GET", "/api/v1/triage", Access::kSignedIn, "triage",
             "Each field's triage model and how it did on held-out solved tickets (admins)",
             doc("getTriage")
                 .returns(200, object({{"items", array_of(ref("TriageField"))},
                                       {"similar", ref("SimilarIndex")}})
                                   .require_all()),
             [&triage](Request& r) { return answer(status(triage, r)); });
  router.add("POST", "/api/v1/triage/train", Access::kSignedIn, "triage",
             "Queue a training of every field's model now (admins)",
             doc("trainTriage")
                 .body(object())
                 .optional_body()
                 .returns(202, object({{"queued", boolean()}}).require_all()),
             [&triage](Request& r) { return answer(train(triage, r)); });
  router.add("GET", "/api/v1/tickets/{number}/triage", Access::kSignedIn, "tickets",
             "What the triage models predict for a ticket (agents)",
             doc("getTicketTriage").returns(200, items_of(ref("TriageSuggestion"))),
             [&triage](Request& r) { return answer(suggestions(triage, r)); });
}

}  // namespace gongdan::api
