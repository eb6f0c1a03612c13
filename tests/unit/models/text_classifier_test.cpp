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

// Three topics, each line a few of its words in a varying order, some lines with two labels;
// `more_words`: lines of words the others lack first, so that the two models' vocabularies
// differ (other words, other ids).
void write_training(const fs::path& file, bool more_words) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> topics = {
      {"printer", {"printer", "offline", "paper", "jam", "toner", "queue", "打", "印", "机"}},
      {"vpn", {"vpn", "authentication", "password", "connect", "home", "连", "接", "失", "败"}},
      {"invoice", {"invoice", "billing", "address", "refund", "charged", "发", "票", "退", "款"}}};
  std::ofstream out(file);
  for (int i = 0; more_words && i < 30; ++i)
    out << kLabelPrefix << "wifi wifi scanner 网 络 " << (i % 2 ? "jam" : "home") << '\n';
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

// Texts as triage writes them, and what else a line may hold: white space of every kind, a
// newline before the end (fastText reads up to it), its end-of-line token written out, labels.
const std::vector<std::string> kTexts = {"printer offline",
                                         "vpn password connect home",
                                         "invoice 发 票 refund",
                                         "打 印 机 paper jam",
                                         "words never seen",
                                         "",
                                         "refund vpn printer jam",
                                         "wifi scanner 网 络 printer",
                                         "  printer\t\tjam \v toner\r queue  ",
                                         "vpn home\ninvoice billing refund",
                                         "printer </s> invoice refund",
                                         "__label__vpn printer jam __label__nothing",
                                         std::string("vpn\0password", 12)};

std::string train_model(const fs::path& dir, bool multi_label) {
  const auto training = dir / (multi_label ? "ova.txt" : "softmax.txt");
  write_training(training, multi_label);
  TrainOptions options;
  options.dimension = 8;
  options.epochs = 5;
  options.buckets = 5000;
  options.threads = 1;
  options.multi_label = multi_label;
  const auto model_path = (dir / (multi_label ? "ova.bin" : "softmax.bin")).string();
  EXPECT_TRUE(train_classifier(training.string(), model_path, options));
  return model_path;
}

void expect_same(const std::vector<Prediction>& mine,
                 const std::vector<std::pair<fasttext::real, std::string>>& theirs) {
  ASSERT_EQ(mine.size(), theirs.size());
  for (std::size_t i = 0; i < mine.size(); ++i) {
    EXPECT_EQ(std::string(kLabelPrefix) + mine[i].label, theirs[i].second);
    EXPECT_EQ(mine[i].confidence, static_cast<double>(theirs[i].first));
  }
}

void expect_same_as_fasttext(bool multi_label) {
  const auto dir = test_dir();
  const auto model_path = train_model(dir, multi_label);
  auto classifier = TextClassifier::load(model_path);
  ASSERT_TRUE(classifier);
  fasttext::FastText reference;
  reference.loadModel(model_path);
  for (const auto& text : kTexts) {
    for (int k : {1, 3}) {
      SCOPED_TRACE(text + " k=" + std::to_string(k));
      const auto mine = (*classifier)->predict(text, k);
      std::istringstream in(text + "\n");
      std::vector<std::pair<fasttext::real, std::string>> theirs;
      reference.predictLine(in, theirs, k, 0.0);
      ASSERT_FALSE(mine.empty());
      expect_same(mine, theirs);
    }
  }
  fs::remove_all(dir);
}

TEST(TextClassifier, PredictsWhatFastTextPredictsWithSoftmax) { expect_same_as_fasttext(false); }

TEST(TextClassifier, PredictsWhatFastTextPredictsOneVsAll) { expect_same_as_fasttext(true); }

// One text read once and asked of two models, each with its own vocabulary and labels: each
// answers what predictLine answers.
TEST(TextClassifier, OneReadTextAnswersAsFastTextForEachModel) {
  const auto dir = test_dir();
  const auto softmax_path = train_model(dir, false);
  const auto ova_path = train_model(dir, true);
  auto softmax = TextClassifier::load(softmax_path);
  auto ova = TextClassifier::load(ova_path);
  ASSERT_TRUE(softmax && ova);
  fasttext::FastText softmax_reference, ova_reference;
  softmax_reference.loadModel(softmax_path);
  ova_reference.loadModel(ova_path);
  for (const auto& text : kTexts) {
    SCOPED_TRACE(text);
    const ClassifierText once(text);
    for (auto [classifier, reference] :
         {std::pair{softmax->get(), &softmax_reference}, std::pair{ova->get(), &ova_reference}}) {
      std::istringstream in(text + "\n");
      std::vector<std::pair<fasttext::real, std::string>> theirs;
      reference->predictLine(in, theirs, 3, 0.0);
      expect_same(classifier->predict(once, 3), theirs);
    }
  }
  fs::remove_all(dir);
}

// A vocabulary of thousands of words, so that the classifier's own word table has long probe
// runs and grows past its first size: every text, of words it knows and words it does not (some
// of them a known word's prefix or extension), gets predictLine's answer.
TEST(TextClassifier, LooksUpEveryWordOfALargeVocabularyAsFastTextDoes) {
  const auto dir = test_dir();
  const auto training = dir / "large.txt";
  {
    std::ofstream out(training);
    for (int i = 0; i < 3000; ++i) {
      out << kLabelPrefix << "topic" << i % 3;
      for (int j = 0; j < 6; ++j) out << " w" << (i * 7 + j * 131) % 4000 << "t" << i % 3;
      out << '\n';
    }
  }
  TrainOptions options;
  options.dimension = 8;
  options.epochs = 2;
  options.buckets = 5000;
  options.threads = 1;
  const auto model_path = (dir / "large.bin").string();
  ASSERT_TRUE(train_classifier(training.string(), model_path, options));
  auto classifier = TextClassifier::load(model_path);
  ASSERT_TRUE(classifier);
  fasttext::FastText reference;
  reference.loadModel(model_path);
  for (int i = 0; i < 300; ++i) {
    std::string text;
    for (int j = 0; j < 8; ++j) {
      const int n = (i * 37 + j * 1009) % 4500;  // beyond 4000: never seen
      text += "w" + std::to_string(n) + "t" + std::to_string((i + j) % 3);
      if (j % 3 == 1) text += "x";  // an extension of a known word
      text += ' ';
    }
    text += "w1";  // a prefix of known words
    SCOPED_TRACE(text);
    std::istringstream in(text + "\n");
    std::vector<std::pair<fasttext::real, std::string>> theirs;
    reference.predictLine(in, theirs, 2, 0.0);
    expect_same((*classifier)->predict(text, 2), theirs);
  }
  fs::remove_all(dir);
}

TEST(TextClassifier, RefusesAFileThatIsNoModel) {
  const auto dir = test_dir();
  std::ofstream(dir / "model.bin") << "not a model";
  EXPECT_FALSE(TextClassifier::load((dir / "model.bin").string()));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gongdan::models
