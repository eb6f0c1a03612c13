#include "domain/rule_set.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "util/text.hpp"

namespace gongdan {

namespace {

constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();

bool wants_lowered_text(ConditionOperator op) {
  return op == ConditionOperator::kContains || op == ConditionOperator::kNotContains;
}

// One change being evaluated: the facts by slot, with the values actions wrote on top.
class Evaluation {
 public:
  Evaluation(const std::vector<std::string>& names, const FactMap& before, const FactMap& after)
      : names_(names),
        before_(names.size()),
        current_(names.size()),
        lowered_(names.size()),
        lowered_ready_(names.size(), 0),
        changed_(names.size(), 0),
        written_at_(names.size(), 0) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      before_[i] = find_fact(before, names[i]);
      current_[i] = find_fact(after, names[i]);
    }
  }

  bool holds(const Condition& condition, std::uint32_t slot) {
    const FactValue* now = current_[slot];
    const std::string* lowered = nullptr;
    if (now != nullptr && wants_lowered_text(condition.op())) {
      if (const auto* s = std::get_if<std::string>(now)) {
        // Message bodies can be long and many rules look into them: lower-case once per change.
        if (!lowered_ready_[slot]) {
          lowered_[slot] = text::to_lower_ascii(*s);
          lowered_ready_[slot] = 1;
        }
        lowered = &lowered_[slot];
      }
    }
    return condition.matches(before_[slot], now, lowered);
  }

  const FactValue* current(std::uint32_t slot) const { return current_[slot]; }

  // Writes a fact; returns whether it changed.
  bool write(std::uint32_t slot, FactValue value) {
    if (current_[slot] != nullptr && *current_[slot] == value) return false;
    owned_.push_back(std::make_unique<FactValue>(std::move(value)));
    current_[slot] = owned_.back().get();
    lowered_ready_[slot] = 0;
    changed_[slot] = 1;
    written_at_[slot] = ++writes_;
    return true;
  }

  // How many writes so far, and when a slot was last written (0: never).
  std::uint64_t writes() const { return writes_; }
  std::uint64_t written_at(std::uint32_t slot) const { return written_at_[slot]; }

  FactMap changed_facts() const {
    FactMap out;
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (changed_[i] && current_[i] != nullptr) out.emplace(names_[i], *current_[i]);
    }
    return out;
  }

 private:
  const std::vector<std::string>& names_;
  std::vector<const FactValue*> before_;
  std::vector<const FactValue*> current_;
  std::vector<std::string> lowered_;
  std::vector<char> lowered_ready_;
  std::vector<char> changed_;
  std::vector<std::uint64_t> written_at_;
  std::uint64_t writes_ = 0;
  std::vector<std::unique_ptr<FactValue>> owned_;  // stable addresses for current_
};

FactList current_tags(const FactValue* value) {
  if (value == nullptr) return {};
  if (const auto* list = std::get_if<FactList>(value)) return *list;
  return {};
}

}  // namespace

bool RuleSet::reads(std::string_view field) const {
  return std::ranges::find(slot_names_, field) != slot_names_.end();
}

Result<RuleSet> RuleSet::create(std::vector<Rule> rules) {
  RuleSet set;
  std::unordered_map<std::string, std::uint32_t> slots;
  auto slot_of = [&](const std::string& name) {
    auto [it, inserted] = slots.emplace(name, static_cast<std::uint32_t>(set.slot_names_.size()));
    if (inserted) set.slot_names_.push_back(name);
    return it->second;
  };
  set.tags_slot_ = slot_of("tags");
  set.assignee_slot_ = slot_of("assignee");

  std::unordered_set<std::string_view> ids;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& rule = rules[i];
    if (rule.id.empty() || !ids.insert(rule.id).second) {
      return fail(ErrorCode::kInvalidArgument,
                  rule.id.empty() ? std::string("a rule needs an id")
                                  : fmt::format("rule id \"{}\" is used twice", rule.id),
                  fmt::format("rules[{}].id", i));
    }
    auto& all = set.all_slots_.emplace_back();
    for (const auto& condition : rule.all) all.push_back(slot_of(condition.field()));
    auto& any = set.any_slots_.emplace_back();
    for (const auto& condition : rule.any) any.push_back(slot_of(condition.field()));
    auto& effects = set.action_slots_.emplace_back();
    for (const auto& action : rule.actions) {
      std::uint32_t slot = kNoSlot;
      if (const auto* set_field = std::get_if<SetFieldAction>(&action)) {
        slot = slot_of(set_field->field);
      } else if (std::holds_alternative<AddTagsAction>(action) ||
                 std::holds_alternative<RemoveTagsAction>(action)) {
        slot = set.tags_slot_;
      } else if (const auto* assign = std::get_if<AssignAction>(&action);
                 assign && assign->strategy == AssignStrategy::kAgent) {
        slot = set.assignee_slot_;
      }
      effects.push_back(slot);
    }
  }
  // The ids above point into `rules`; they are not kept, so moving it now is safe.
  set.rules_ = std::move(rules);
  return set;
}

RuleEvaluation RuleSet::evaluate(const FactMap& before, const FactMap& after,
                                 RuleEvaluationLimits limits) const {
  RuleEvaluation result;
  Evaluation facts(slot_names_, before, after);
  std::vector<char> fired(rules_.size(), 0);
  // When each rule was last tried, counted in writes (kNever: not yet). A rule that failed and
  // whose facts nobody has written since would fail again: the next pass skips it.
  constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();
  std::vector<std::uint64_t> tried_at(rules_.size(), kNever);
  auto worth_trying = [&](std::size_t r) {
    if (tried_at[r] == kNever) return true;
    for (auto slot : all_slots_[r])
      if (facts.written_at(slot) > tried_at[r]) return true;
    for (auto slot : any_slots_[r])
      if (facts.written_at(slot) > tried_at[r]) return true;
    return false;
  };

  auto conditions_hold = [&](std::size_t r) {
    const Rule& rule = rules_[r];
    for (std::size_t c = 0; c < rule.all.size(); ++c) {
      if (!facts.holds(rule.all[c], all_slots_[r][c])) return false;
    }
    if (rule.any.empty()) return true;
    for (std::size_t c = 0; c < rule.any.size(); ++c) {
      if (facts.holds(rule.any[c], any_slots_[r][c])) return true;
    }
    return false;
  };

  // Applies one action's effect on the facts; returns whether a fact changed.
  auto apply = [&](const Action& action, std::uint32_t slot) {
    if (slot == kNoSlot) return false;
    if (const auto* set_field = std::get_if<SetFieldAction>(&action)) {
      return facts.write(slot, set_field->value);
    }
    if (const auto* assign = std::get_if<AssignAction>(&action)) {
      return facts.write(slot, assign->agent);
    }
    FactList tags = current_tags(facts.current(slot));
    if (const auto* add = std::get_if<AddTagsAction>(&action)) {
      for (const auto& tag : add->tags) {
        if (std::ranges::find(tags, tag) == tags.end()) tags.push_back(tag);
      }
    } else if (const auto* remove = std::get_if<RemoveTagsAction>(&action)) {
      std::erase_if(tags, [&](const std::string& tag) {
        return std::ranges::find(remove->tags, tag) != remove->tags.end();
      });
    }
    return facts.write(slot, std::move(tags));
  };

  const int max_passes = std::max(1, limits.max_passes);
  for (;;) {
    ++result.passes;
    bool changed = false;
    for (std::size_t r = 0; r < rules_.size(); ++r) {
      const Rule& rule = rules_[r];
      if (fired[r] || rule.state != RuleState::kActive || !worth_trying(r)) continue;
      tried_at[r] = facts.writes();
      ++result.rules_tried;
      if (!conditions_hold(r)) continue;
      fired[r] = 1;
      result.fired_rules.push_back(rule.id);
      for (std::size_t a = 0; a < rule.actions.size(); ++a) {
        result.actions.push_back(FiredAction{rule.id, rule.actions[a]});
        changed = apply(rule.actions[a], action_slots_[r][a]) || changed;
      }
    }
    if (!changed) break;
    if (result.passes >= max_passes) {
      // Stopped for real only if some rule would still fire.
      for (std::size_t r = 0; r < rules_.size(); ++r) {
        if (!fired[r] && rules_[r].state == RuleState::kActive && conditions_hold(r)) {
          result.outcome = ChainOutcome::kStoppedAtPassLimit;
          break;
        }
      }
      break;
    }
  }
  result.changed_facts = facts.changed_facts();
  return result;
}

}  // namespace gongdan
