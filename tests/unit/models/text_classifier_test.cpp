// TextClassifier::predict does fastText's predictLine in its own steps (the model's rows read
// ahead of the arithmetic): what it answers must be predictLine's, label for label and
// confidence for confidence, for a softmax model (department, type, priority) and a one-vs-all
// one (tags).
#include "models/text_classifier.hpp"

#include <fasttext/fasttext.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace gongdan::models {
namespace {

namespace fs = std::filesystem;

fs::path test_dir() {
  auto dir =
      fs::temp_directory_path() / ("gongdan-classifier-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Three topics, each line a few of its words in a varying order, some lines with two labels.
void write_training(const fs::path& file) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> topics = {
      {"printer", {"printer", "offline", "paper", "jam", "toner", "queue", "打", "印", "机"}},
      {"vpn", {"vpn", "authentication", "password", "connect", "home", "连", "接", "失", "败"}},
      {"invoice", {"invoice", "billing", "address", "refund", "charged", "发", "票", "退", "款"}}};
  std::ofstream out(file);
  for (int i = 0; i < 300; ++i) {
    const auto& [label, words] = topics[static_cast<std::size_t>(i) % topics.size()];
    out << kLabelPrefix << label;
    if (i % 7 == 0)
      out << ' ' << kLabelPrefix << topics[(static_cast<std::size_t>(i) + 1) % 3].first;
    for (std::size_t j = 0; j < 5; ++j)
      out << ' ' << words[(static_cast<std::size_t>(i) * 5 + j * 3) % words.size()];
    out << '\n';
  }
}

void expect_same_as_fasttext(bool multi_label) {
  const auto dir = test_dir();
  write_training(dir / "train.txt");
  TrainOptions options;
  options.dimension = 8;
  options.epochs = 5;
  options.buckets = 5000;
  options.threads = 1;
  options.multi_label = multi_label;
  const auto model_path = (dir / "model.bin").string();
  ASSERT_TRUE(train_classifier((dir / "train.txt").string(), model_path, options));
  auto classifier = TextClassifier::load(model_path);
  ASSERT_TRUE(classifier);
  fasttext::FastText reference;
  reference.loadModel(model_path);
  const std::vector<std::string> texts = {"printer offline",       "vpn password connect home",
                                          "invoice 发 票 refund",  "打 印 机 paper jam",
                                          "words never seen",      "",
                                          "refund vpn printer jam"};
  for (const auto& text : texts) {
    for (int k : {1, 3}) {
      SCOPED_TRACE(text + " k=" + std::to_string(k));
      const auto mine = (*classifier)->predict(text, k);
      std::istringstream in(text + "\n");
      std::vector<std::pair<fasttext::real, std::string>> theirs;
      reference.predictLine(in, theirs, k, 0.0);
      ASSERT_EQ(mine.size(), theirs.size());
      ASSERT_FALSE(mine.empty());
      for (std::size_t i = 0; i < mine.size(); ++i) {
        EXPECT_EQ(std::string(kLabelPrefix) + mine[i].label, theirs[i].second);
        EXPECT_EQ(mine[i].confidence, static_cast<double>(theirs[i].first));
      }
    }
  }
  fs::remove_all(dir);
}

TEST(TextClassifier, PredictsWhatFastTextPredictsWithSoftmax) { expect_same_as_fasttext(false); }

TEST(TextClassifier, PredictsWhatFastTextPredictsOneVsAll) { expect_same_as_fasttext(true); }

TEST(TextClassifier, RefusesAFileThatIsNoModel) {
  const auto dir = test_dir();
  std::ofstream(dir / "model.bin") << "not a model";
  EXPECT_FALSE(TextClassifier::load((dir / "model.bin").string()));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gongdan::models
