// The job queue for admins: what is queued, running, done or dead (dead letters), and a retry
// for a dead job.

#include "api/answer_shape.hpp"
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

using namespace shape;

const AnswerShape<JobRecord> kJobShape{
    integer("id", &JobRecord::id),
    text("kind", &JobRecord::kind).describe("webhook, sla_timer, mail, automation, …"),
    member("state", &JobRecord::state, schema::ref("JobState")),
    integer("attempts", &JobRecord::attempts),
    integer("max_attempts", &JobRecord::max_attempts),
    instant("run_at", &JobRecord::run_at),
    text("idempotency_key", &JobRecord::idempotency_key),
    text("last_error", &JobRecord::last_error),
    stored_json("payload", &JobRecord::payload, schema::any()),
    instant("created_at", &JobRecord::created_at),
    instant("updated_at", &JobRecord::updated_at),
    text("request_id", &JobRecord::request_id)
        .describe("X-Request-Id of the request that enqueued it; empty for scheduled work")};

Result<Response> list(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto page, page_request(request));
  const auto state = request.query_value("state").value_or("");
  GONGDAN_ASSIGN(auto jobs, ctx.jobs.list(request.who(), state, page.after, page.limit + 1));
  return json_response(200, page_answer(jobs, page.limit, kJobShape));
}

Result<Response> get(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "job"));
  GONGDAN_ASSIGN(auto job, ctx.jobs.get(request.who(), id));
  return json_response(200, kJobShape.write(job));
}

Result<Response> retry(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "job"));
  if (!request.body.empty()) GONGDAN_TRY(parse_object(request.body, {}));
  GONGDAN_ASSIGN(auto job, ctx.jobs.retry(request.who(), id));
  return json_response(200, kJobShape.write(job));
}

}  // namespace

void add_job_routes(Router& router, ApiContext& ctx) {
  using namespace schema;
  router.define_schema("Job", kJobShape.schema());
  router.define_schema("JobState", enum_of({"queued", "running", "done", "dead"}));
  router.add("GET", "/api/v1/jobs", Access::kSignedIn, "jobs",
             "Background jobs, newest first; ?state=queued|running|done|dead (admins)",
             doc("listJobs")
                 .query("state", ref("JobState"),
                        "Only jobs in this state (`dead`: the dead "
                        "letters).")
                 .paged()
                 .returns(200, page_of(ref("Job"))),
             [&ctx](Request& r) { return answer(list(ctx, r)); });
  router.add("GET", "/api/v1/jobs/{id}", Access::kSignedIn, "jobs", "One job (admins)",
             doc("getJob").returns(200, ref("Job")),
             [&ctx](Request& r) { return answer(get(ctx, r)); });
  router.add("POST", "/api/v1/jobs/prune", Access::kSignedIn, "jobs",
             "Delete finished jobs older than the retention now (admins; also runs hourly)",
             doc("pruneJobs")
                 .body(object())
                 .optional_body()
                 .returns(200, object({{"deleted", integer()}}).require_all()),
             [&ctx](Request& r) {
               if (!r.body.empty())
                 if (auto body = parse_object(r.body, {}); !body)
                   return error_response(body.error());
               auto n = ctx.jobs.prune(r.who());
               if (!n) return error_response(n.error());
               return json_response(200, json::object{{"deleted", *n}});
             });
  router.add("POST", "/api/v1/jobs/{id}/retry", Access::kSignedIn, "jobs",
             "Queue a dead job again with its attempts reset (admins)",
             doc("retryJob").body(object()).optional_body().returns(200, ref("Job")).errors({409}),
             [&ctx](Request& r) { return answer(retry(ctx, r)); });
}

}  // namespace gongdan::api
