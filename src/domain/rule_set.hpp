// RuleSet: an ordered list of rules (triggers) ready to run against ticket changes.
//
// Contract of evaluate(before, after):
// - Rules are tried in order; a rule whose conditions hold "fires": its actions are appended to
//   the result in order, and their effects on facts are applied at once (set_field writes the
//   field, assign to an agent writes "assignee", add_tags / remove_tags edit "tags"), so later
//   rules see them. `before` never changes: "changed" always compares with the ticket as it was.
// - Each rule fires at most once per change. When a pass changed some fact, the rules that have
//   not fired are tried again from the top (a later rule may have enabled an earlier one), those
//   whose facts did not change since they were last tried excepted (they would fail again); this
//   repeats until a pass changes nothing, or `max_passes` passes have run (the result then says
//   kStoppedAtPassLimit). At-most-once already bounds a chain by the number of rules; the pass
//   limit bounds its cost too.
// - Inactive rules are skipped. The RuleSet is immutable, so one may be shared between threads;
//   evaluate allocates only per call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/fact.hpp"
#include "domain/rule.hpp"
#include "util/result.hpp"

namespace gongdan {

struct FiredAction {
  std::string rule_id;
  Action action;
};

enum class ChainOutcome { kSettled, kStoppedAtPassLimit };

struct RuleEvaluation {
  std::vector<FiredAction> actions;      // in the order they are to be applied
  std::vector<std::string> fired_rules;  // ids, in firing order
  FactMap changed_facts;                 // the facts' final values where actions changed them
  ChainOutcome outcome = ChainOutcome::kSettled;
  int passes = 0;
  int rules_tried = 0;  // condition checks, over all passes
};

struct RuleEvaluationLimits {
  int max_passes = 10;
};

class RuleSet {
 public:
  // Fails (kInvalidArgument, field "rules[i].id") on a duplicate or empty rule id.
  [[nodiscard]] static Result<RuleSet> create(std::vector<Rule> rules);

  const std::vector<Rule>& rules() const { return rules_; }
  // Whether some condition or action names `field`.
  bool reads(std::string_view field) const;

  RuleEvaluation evaluate(const FactMap& before, const FactMap& after,
                          RuleEvaluationLimits limits = {}) const;

 private:
  RuleSet() = default;

  std::vector<Rule> rules_;
  // Every field named by a condition or written by an action gets a slot, so evaluation looks
  // each fact up once per change instead of once per condition.
  std::vector<std::string> slot_names_;
  std::vector<std::vector<std::uint32_t>> all_slots_;     // per rule, parallel to Rule::all
  std::vector<std::vector<std::uint32_t>> any_slots_;     // per rule, parallel to Rule::any
  std::vector<std::vector<std::uint32_t>> action_slots_;  // per rule, parallel to Rule::actions
  std::uint32_t tags_slot_ = 0;
  std::uint32_t assignee_slot_ = 0;
};

}  // namespace gongdan
