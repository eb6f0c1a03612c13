// Agent skills for skill-based assignment. A skill is "kind:value" text, compared exactly after
// normalising:
//   language:<locale>      the requester's language (en, zh-CN)
//   type:<ticket type>     question, incident, problem, task
//   tag:<tag>              a ticket tag (normalised like tags: lower case)
//   field:<key>=<value>    a custom field value (numbers and booleans as text, each item of a
//                          list on its own)
// A ticket has the same kinds of facts. A fact becomes a *requirement* only when some member of
// the department lists it as a skill (the department's vocabulary): tagging a ticket "vip" asks
// nothing of anyone until an agent of the department has the skill "tag:vip". An agent covers a
// ticket when their skills include every requirement. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/ticket.hpp"
#include "util/result.hpp"

namespace gongdan {

inline constexpr std::size_t kMaxSkillsPerAgent = 100;
inline constexpr std::size_t kMaxSkillLength = 200;

// Checks and normalises one skill ("Language:zh-cn" -> "language:zh-CN"). The error names
// `field`.
Result<std::string> normalize_skill(std::string_view text, std::string_view field = "skills");
// Sorted and without repeats; errors name "skills[i]".
Result<std::vector<std::string>> normalize_skills(const std::vector<std::string>& skills);
// The custom field key of a "field:key=value" skill, empty for other kinds.
std::string_view skill_field_key(std::string_view skill);

// The ticket's facts, sorted: language, type, each tag, each custom field value.
std::vector<std::string> ticket_skill_facts(std::string_view language, TicketType type,
                                            const std::vector<std::string>& tags,
                                            std::string_view custom_fields_json);
// The facts some member lists (both sorted): what an agent must have to take the ticket.
std::vector<std::string> skill_requirements(const std::vector<std::string>& facts,
                                            const std::vector<std::string>& vocabulary);
// Whether sorted `skills` include every one of sorted `required`.
bool covers_skills(const std::vector<std::string>& skills,
                   const std::vector<std::string>& required);

}  // namespace gongdan
