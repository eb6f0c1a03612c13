#include "models/chat_completions.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <limits>

namespace gongdan::models {
namespace {

namespace json = boost::json;

// A token count as the answer gives it: a non-negative integer, else 0.
std::int64_t count_of(const json::object* usage, std::string_view key) {
  const auto* v = usage ? usage->if_contains(key) : nullptr;
  if (!v) return 0;
  if (v->is_int64()) return std::max<std::int64_t>(v->get_int64(), 0);
  if (v->is_uint64() &&
      v->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(v->get_uint64());
  return 0;
}

const json::object* object_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

}  // namespace

std::string chat_request_body(std::string_view model, const std::vector<ChatMessage>& messages,
                              std::int64_t max_tokens) {
  json::array list;
  for (const auto& m : messages)
    list.push_back(json::object{{"role", m.role}, {"content", m.content}});
  return json::serialize(json::object{{"model", model},
                                      {"messages", std::move(list)},
                                      {"max_tokens", max_tokens},
                                      {"stream", false}});
}

std::optional<ChatAnswer> read_chat_answer(std::string_view body) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  const auto* root = ec ? nullptr : parsed.if_object();
  if (!root) return std::nullopt;
  const auto* choices = root->if_contains("choices");
  const auto* list = choices ? choices->if_array() : nullptr;
  if (!list || list->empty() || !list->front().is_object()) return std::nullopt;
  const auto* message = object_member(list->front().get_object(), "message");
  const auto* content = message ? message->if_contains("content") : nullptr;
  if (!content || !content->is_string()) return std::nullopt;
  ChatAnswer out;
  out.content = std::string(content->get_string());
  if (out.content.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  const auto* usage = object_member(*root, "usage");
  out.prompt_tokens = count_of(usage, "prompt_tokens");
  out.completion_tokens = count_of(usage, "completion_tokens");
  return out;
}

}  // namespace gongdan::models
