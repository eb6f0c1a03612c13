#include "models/language_detector.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gongdan::models {
namespace {

TEST(LanguageDetector, NamesTheLanguagesTicketsComeIn) {
  EXPECT_EQ(detect_language(
                "您好，办公室的打印机从今天早上开始无法连接，重启之后还是不行，麻烦尽快处理。"),
            "zh-CN");
  EXPECT_EQ(detect_language("Hello, the printer on the third floor has been offline since this "
                            "morning. Restarting it did not help and the queue keeps growing."),
            "en");
  EXPECT_EQ(detect_language("Bonjour, l'imprimante du troisième étage ne répond plus depuis ce "
                            "matin et personne ne sait pourquoi."),
            "fr");
}

TEST(LanguageDetector, SaysNothingWhenItCannotTell) {
  EXPECT_EQ(detect_language(""), std::nullopt);
  EXPECT_EQ(detect_language("12345 !!! ???"), std::nullopt);
  // Invalid UTF-8 from the first byte: nothing to read.
  EXPECT_EQ(detect_language(std::string("\xff\xfe\xfd", 3)), std::nullopt);
}

TEST(LanguageDetector, ReadsTheValidPrefixOfBrokenText) {
  std::string text =
      "The VPN keeps asking for my password although it is correct and the "
      "account is not locked, please help me with this today.";
  text += "\xff";
  EXPECT_EQ(detect_language(text), "en");
}

}  // namespace
}  // namespace gongdan::models
