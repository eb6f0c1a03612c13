// The test clock's routes, added only when `serve` runs on a test clock (docs/testing.md); on a
// real clock they do not exist (404). Admins only.
#include <cmath>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/route_doc.hpp"
#include "api/router.hpp"
#include "api/schema.hpp"
#include "api/ticket_json.hpp"

namespace gongdan::api {
namespace {

constexpr double kMaxAdvanceSeconds = 10.0 * 366 * 24 * 3600;
constexpr double kMaxIdleSeconds = 120;

// A number of seconds in [0, max] (fractions allowed, to the millisecond), or nullopt if absent.
Result<std::optional<Millis>> optional_seconds(const json::object& o, std::string_view key,
                                               double max) {
  auto it = o.find(key);
  if (it == o.end()) return std::optional<Millis>{};
  const auto& v = it->value();
  if (!v.is_number())
    return fail(ErrorCode::kInvalidArgument, "must be a number of seconds", std::string(key));
  const double seconds = v.to_number<double>();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > max)
    return fail(ErrorCode::kInvalidArgument,
                "must be from 0 to " + std::to_string(static_cast<std::int64_t>(max)) + " seconds",
                std::string(key));
  return std::optional<Millis>(std::llround(seconds * 1000));
}

Response clock_answer(Result<Millis> now) {
  if (!now) return error_response(now.error());
  return json_response(200, json::object{{"now", iso_time(*now)}});
}

Response move(services::TestClockService& clock, Request& request) {
  auto body = parse_object(request.body, {"advance_seconds", "set"});
  if (!body) return error_response(body.error());
  auto by = optional_seconds(*body, "advance_seconds", kMaxAdvanceSeconds);
  if (!by) return error_response(by.error());
  auto to = optional_string(*body, "set", 100);
  if (!to) return error_response(to.error());
  if (by->has_value() == to->has_value())
    return error_response({ErrorCode::kInvalidArgument,
                           "give either advance_seconds or set (a UTC time)",
                           by->has_value() ? "set" : "advance_seconds"});
  if (*by) return clock_answer(clock.advance(request.who(), **by));
  auto at = parse_iso_time(**to, "set");
  if (!at) return error_response(at.error());
  return clock_answer(clock.set(request.who(), *at));
}

Response idle(services::TestClockService& clock, Request& request) {
  json::object body;
  if (!request.body.empty()) {
    auto parsed = parse_object(request.body, {"timeout_seconds"});
    if (!parsed) return error_response(parsed.error());
    body = std::move(*parsed);
  }
  auto timeout = optional_seconds(body, "timeout_seconds", kMaxIdleSeconds);
  if (!timeout) return error_response(timeout.error());
  if (auto waited = clock.wait_idle(request.who(), timeout->value_or(30'000)); !waited)
    return error_response(waited.error());
  return clock_answer(clock.now(request.who()));
}

}  // namespace

void add_test_clock_routes(Router& router, ApiContext& ctx) {
  if (!ctx.test_clock) return;
  auto& clock = *ctx.test_clock;
  using namespace schema;
  const auto now = object({{"now", date_time()}}).require_all();
  const auto only =
      "Only on a server started with `--test-clock … --enable-test-clock` (404 "
      "otherwise); see docs/testing.md.";
  router.add("GET", "/api/v1/test/clock", Access::kSignedIn, "test",
             "The test clock's time (admins)", doc("getTestClock").describe(only).returns(200, now),
             [&clock](Request& r) { return clock_answer(clock.now(r.who())); });
  router.add(
      "POST", "/api/v1/test/clock", Access::kSignedIn, "test",
      "Move the test clock forward (admins)",
      doc("moveTestClock")
          .describe(std::string(only) +
                    " Never backwards (400). The job runner is woken: what became due "
                    "runs at once.")
          .body(one_of(
              {object({{"advance_seconds", number().minimum(0).describe("Fractions to the ms.")}})
                   .require_all(),
               object({{"set", date_time()}}).require_all()}))
          .returns(200, now),
      [&clock](Request& r) { return move(clock, r); });
  router.add("POST", "/api/v1/test/idle", Access::kSignedIn, "test",
             "Wait until no job is due or running, no mail is due and no write waits (admins)",
             doc("waitUntilIdle")
                 .describe(std::string(only) +
                           " 503 naming what is still busy after `timeout_seconds` (default 30).")
                 .body(object({{"timeout_seconds", number().minimum(0).maximum(120)}}))
                 .optional_body()
                 .returns(200, now)
                 .errors({503}),
             [&clock](Request& r) { return idle(clock, r); });
}

}  // namespace gongdan::api
