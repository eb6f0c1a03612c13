// The job queue for admins: what is queued, running, done or dead (dead letters), and a retry
// for a dead job.

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

json::object job_json(const JobRecord& j) {
  boost::system::error_code ec;
  json::value payload = json::parse(j.payload, ec);
  if (ec) payload = json::object{};
  return json::object{{"id", j.id},
                      {"kind", j.kind},
                      {"state", j.state},
                      {"attempts", j.attempts},
                      {"max_attempts", j.max_attempts},
                      {"run_at", iso_time(j.run_at)},
                      {"idempotency_key", j.idempotency_key},
                      {"last_error", j.last_error},
                      {"payload", std::move(payload)},
                      {"created_at", iso_time(j.created_at)},
                      {"updated_at", iso_time(j.updated_at)},
                      {"request_id", j.request_id}};
}

Result<Response> list(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto page, page_request(request));
  const auto state = request.query_value("state").value_or("");
  GONGDAN_ASSIGN(auto jobs, ctx.jobs.list(request.who(), state, page.after, page.limit + 1));
  return json_response(200, page_answer(jobs, page.limit, job_json));
}

Result<Response> get(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "job"));
  GONGDAN_ASSIGN(auto job, ctx.jobs.get(request.who(), id));
  return json_response(200, job_json(job));
}

Result<Response> retry(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "job"));
  if (!request.body.empty()) GONGDAN_TRY(parse_object(request.body, {}));
  GONGDAN_ASSIGN(auto job, ctx.jobs.retry(request.who(), id));
  return json_response(200, job_json(job));
}

}  // namespace

void add_job_routes(Router& router, ApiContext& ctx) {
  using namespace schema;
  router.define_schema(
      "Job", object({{"id", integer()},
                     {"kind", string().describe("webhook, sla_timer, mail, automation, …")},
                     {"state", ref("JobState")},
                     {"attempts", integer()},
                     {"max_attempts", integer()},
                     {"run_at", date_time()},
                     {"idempotency_key", string()},
                     {"last_error", string()},
                     {"payload", any()},
                     {"created_at", date_time()},
                     {"updated_at", date_time()},
                     {"request_id", string().describe("X-Request-Id of the request that "
                                                      "enqueued it; empty for scheduled work")}})
                 .require_all());
  router.define_schema("JobState", enum_of({"queued", "running", "done", "dead"}));
  router.add("GET", "/api/v1/jobs", Access::kSignedIn, "jobs",
             "Background jobs, newest first; ?state=queued|running|done|dead (admins)",
             doc("listJobs")
                 .query("state", ref("JobState"),
                        "Only jobs in this state (`dead`: the dead "
                        "letters).")
                 .paged()
                 .returns(200, object({{"items", array_of(ref("Job"))},
                                       {"next_cursor", nullable(string())}})
                                   .require_all()),
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
