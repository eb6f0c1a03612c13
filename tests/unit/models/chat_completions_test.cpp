#include "models/chat_completions.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

namespace gongdan::models {
namespace {

TEST(ChatCompletions, TheRequestIsTheWireFormat) {
  const auto body = boost::json::parse(
      chat_request_body("qwen2.5", {{"system", "Be brief."}, {"user", "打印机\n\"坏了\""}}, 256));
  EXPECT_EQ(body.at("model"), "qwen2.5");
  EXPECT_EQ(body.at("max_tokens"), 256);
  EXPECT_EQ(body.at("stream"), false);
  EXPECT_EQ(body.at("messages").as_array().size(), 2u);
  EXPECT_EQ(body.at("messages").at(1).at("content"), "打印机\n\"坏了\"");
}

TEST(ChatCompletions, ReadsTheFirstChoiceAndTheUsage) {
  auto got =
      read_chat_answer(R"({"choices": [{"message": {"role": "assistant", "content": "您好"}}, )"
                       R"({"message": {"content": "second"}}], "usage": {"prompt_tokens": 120, )"
                       R"("completion_tokens": 8, "total_tokens": 128}})");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->content, "您好");
  EXPECT_EQ(got->prompt_tokens, 120);
  EXPECT_EQ(got->completion_tokens, 8);
  // No usage: the tokens are unknown, the text still counts.
  got = read_chat_answer(R"({"choices": [{"message": {"content": "ok"}}]})");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->prompt_tokens, 0);
}

TEST(ChatCompletions, HostileAnswersAreRefusedOrReadSafely) {
  for (const char* body :
       {"", "null", "[]", "<html>bad gateway</html>", R"({"choices": null})", R"({"choices": []})",
        R"({"choices": [1]})", R"({"choices": [{"message": "text"}]})",
        R"({"choices": [{"message": {"content": null}}]})",
        R"({"choices": [{"message": {"content": 42}}]})",
        R"({"choices": [{"message": {"content": "  \n\t"}}]})",
        R"({"choices": [{"message": {"content": "cut)", R"({"error": {"message": "overloaded"}})"})
    EXPECT_FALSE(read_chat_answer(body)) << body;
  // Nesting deeper than the parser allows is an error, not a crash.
  EXPECT_FALSE(read_chat_answer(std::string(100000, '[')));
  // Odd token counts read as unknown, never as negative or wrapped numbers.
  auto got = read_chat_answer(
      R"({"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": -5, )"
      R"("completion_tokens": 18446744073709551615}})");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->prompt_tokens, 0);
  EXPECT_EQ(got->completion_tokens, 0);
  got = read_chat_answer(
      R"({"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": "12", )"
      R"("completion_tokens": 1.5}})");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->prompt_tokens, 0);
  EXPECT_EQ(got->completion_tokens, 0);
}

}  // namespace
}  // namespace gongdan::models
