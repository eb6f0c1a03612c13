// Evaluating the active triggers against one ticket change (issue 6: 500 triggers, under 50 µs
// median). The rules are a mix of what help desks configure: routing by department and
// priority, keyword and regex matches on the message, tag and custom-field tests, status
// transitions. A handful match the change, and one of them sets a field, so the evaluator runs
// its second pass over the rules that did not fire, as it would in production.
// Run: micro_bench --benchmark_filter=RuleEval --benchmark_repetitions=10
//      --benchmark_report_aggregates_only=true
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "domain/rule.hpp"
#include "domain/rule_set.hpp"

namespace gongdan {
namespace {

std::string bench_rule_json(int i) {
  const std::string id = fmt::format("\"id\": \"rule-{}\"", i);
  switch (i % 6) {
    case 0:
      return fmt::format(
          R"({{{}, "conditions": {{"all": [
              {{"field": "department", "operator": "is", "value": "dept-{}"}},
              {{"field": "priority", "operator": "in", "value": ["high", "urgent"]}}]}},
              "actions": [{{"type": "assign", "strategy": "round_robin"}}]}})",
          id, i % 50);
    case 1:
      return fmt::format(
          R"({{{}, "conditions": {{"all": [
              {{"field": "update_type", "operator": "is", "value": "create"}},
              {{"field": "channel", "operator": "is", "value": "channel-{}"}}]}},
              "actions": [{{"type": "send_mail", "template": "ack-{}"}}]}})",
          id, i, i);
    case 2:
      return fmt::format(
          R"({{{}, "conditions": {{"any": [
              {{"field": "message.body", "operator": "contains", "value": "keyword{}"}},
              {{"field": "subject", "operator": "contains", "value": "keyword{}"}}]}},
              "actions": [{{"type": "add_tags", "tags": ["kw{}"]}}]}})",
          id, i, i, i);
    case 3:
      return fmt::format(
          R"({{{}, "conditions": {{"all": [
              {{"field": "tags", "operator": "contains", "value": "tag{}"}},
              {{"field": "custom_fields.plan", "operator": "is", "value": "gold"}}]}},
              "actions": [{{"type": "set_field", "field": "custom_fields.tier", "value": "t{}"}}]}})",
          id, i, i);
    case 4:
      return fmt::format(
          R"({{{}, "conditions": {{"all": [
              {{"field": "status", "operator": "changed_to", "value": "status-{}"}},
              {{"field": "within_business_hours", "operator": "is", "value": false}}]}},
              "actions": [{{"type": "notify", "agents": ["agent-{}"]}}]}})",
          id, i, i);
    default:
      return fmt::format(
          R"({{{}, "conditions": {{"all": [
              {{"field": "organization", "operator": "is", "value": "org-{}"}},
              {{"field": "requester.email", "operator": "regex",
                "value": "@(corp{}|partner{})\\.example$"}}]}},
              "actions": [{{"type": "webhook", "id": "hook-{}"}}]}})",
          id, i, i, i, i);
  }
}

// Rules that match the benchmark's change: one sets a field, so a second pass runs.
const char* kMatchingRules = R"(
  {"id": "m-escalate", "conditions": {"all": [
      {"field": "message.body", "operator": "contains", "value": "打印机"},
      {"field": "priority", "operator": "is", "value": "normal"}]},
   "actions": [{"type": "set_field", "field": "priority", "value": "high"},
               {"type": "add_tags", "tags": ["printer"]}]},
  {"id": "m-notify", "conditions": {"all": [
      {"field": "priority", "operator": "changed_to", "value": "high"}]},
   "actions": [{"type": "notify", "agents": ["supervisor"]}]},
  {"id": "m-webhook", "conditions": {"all": [
      {"field": "requester.email", "operator": "regex", "value": "@example\\.cn$"}]},
   "actions": [{"type": "webhook", "id": "crm"}]})";

RuleSet make_bench_rules(int count) {
  std::string json = "[";
  json += kMatchingRules;
  for (int i = 3; i < count; ++i) json += "," + bench_rule_json(i);
  json += "]";
  auto rules = parse_rules(json);
  if (!rules) throw std::runtime_error(rules.error().field + ": " + rules.error().message);
  auto set = RuleSet::create(std::move(*rules));
  if (!set) throw std::runtime_error(set.error().message);
  return std::move(*set);
}

FactMap bench_before_facts() {
  return FactMap{
      {"ticket.number", std::int64_t{48213}},
      {"subject", std::string("打印机无法连接 / printer offline")},
      {"status", std::string("new")},
      {"status_category", std::string("new")},
      {"priority", std::string("normal")},
      {"type", std::string("incident")},
      {"department", std::string("it-support")},
      {"requester.email", std::string("wang.fang@example.cn")},
      {"requester.name", std::string("王芳")},
      {"organization", std::string("example-cn")},
      {"organization.tier", std::string("enterprise")},
      {"tags", FactList{"hardware", "floor-3", "beijing"}},
      {"channel", std::string("email")},
      {"language", std::string("zh-CN")},
      {"custom_fields.plan", std::string("silver")},
      {"custom_fields.asset", std::string("PRN-0042")},
      {"within_business_hours", true},
  };
}

FactMap bench_after_facts() {
  FactMap facts = bench_before_facts();
  facts["status"] = std::string("open");
  facts["status_category"] = std::string("open");
  facts["update_type"] = std::string("update");
  facts["message.author_role"] = std::string("customer");
  facts["message.internal"] = false;
  facts["message.body"] = std::string(
      "您好，三楼办公室的打印机从今天早上开始无法连接，电脑上显示脱机。我们已经重启过打印机和"
      "路由器，问题仍然存在。Hello, the printer on the third floor has been offline since "
      "this morning. We restarted the printer and the router but the problem persists. "
      "Please help as soon as possible, we have a board meeting tomorrow and need to print "
      "the reports. Asset tag PRN-0042, model HP LaserJet M404dn, IP 10.3.0.42.");
  return facts;
}

void BM_RuleEval(benchmark::State& state) {
  const auto rules = make_bench_rules(static_cast<int>(state.range(0)));
  const auto before = bench_before_facts();
  const auto after = bench_after_facts();
  std::size_t fired = 0;
  for (auto _ : state) {
    auto result = rules.evaluate(before, after);
    fired = result.fired_rules.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["rules"] = static_cast<double>(state.range(0));
  state.counters["fired"] = static_cast<double>(fired);
}
BENCHMARK(BM_RuleEval)->Arg(50)->Arg(500)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace gongdan
