#include "domain/vector_index.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace gongdan {
namespace {

constexpr int kDimension = 48;

std::vector<float> unit(std::vector<float> v) {
  float norm = 0;
  for (float x : v) norm += x * x;
  for (float& x : v) x /= std::sqrt(norm);
  return v;
}

// `n` vectors around `topics` directions (as tickets gather around what they are about).
struct Data {
  std::vector<std::int64_t> ids;
  std::vector<float> vectors;
  std::vector<std::vector<float>> centres;
};
Data clustered(std::size_t n, std::size_t topics, float noise, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> normal;
  Data d;
  for (std::size_t t = 0; t < topics; ++t) {
    std::vector<float> c(kDimension);
    for (float& x : c) x = normal(random);
    d.centres.push_back(unit(c));
  }
  for (std::size_t i = 0; i < n; ++i) {
    auto v = d.centres[i % topics];
    for (float& x : v) x += noise * normal(random);
    v = unit(v);
    d.ids.push_back(static_cast<std::int64_t>(i + 1));
    d.vectors.insert(d.vectors.end(), v.begin(), v.end());
  }
  return d;
}

std::span<const float> row(const Data& d, std::size_t i) {
  return {d.vectors.data() + i * kDimension, kDimension};
}

TEST(VectorIndex, ASmallIndexIsOneClusterAndFindsWhatExactSearchFinds) {
  const auto d = clustered(500, 10, 0.3f, 1);
  VectorIndex index(kDimension, d.ids, d.vectors);
  EXPECT_EQ(index.size(), 500u);
  EXPECT_EQ(index.clusters(), 1u);
  const auto q = row(d, 17);
  const auto hits = index.nearest(q, 5);
  ASSERT_EQ(hits.size(), 5u);
  EXPECT_EQ(hits.front().id, 18);  // itself
  EXPECT_NEAR(hits.front().score, 1.0f, 0.02f);
  const auto exact = exact_nearest(kDimension, d.ids, d.vectors, q, 5);
  EXPECT_EQ(exact.front().id, 18);
  for (std::size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
}

TEST(VectorIndex, ClustersOfALargeIndexKeepMostOfExactSearchsNearest) {
  const auto d = clustered(40000, 40, 0.5f, 2);
  VectorIndex index(kDimension, d.ids, d.vectors);
  EXPECT_GT(index.clusters(), 1u);
  EXPECT_LE(index.clusters(), 64u);
  double found = 0;
  int first = 0;
  for (std::size_t i = 0; i < 200; ++i) {
    const auto q = row(d, i * 97);
    const auto hits = index.nearest(q, 10);
    const auto exact = exact_nearest(kDimension, d.ids, d.vectors, q, 10);
    ASSERT_EQ(exact.size(), 10u);
    std::size_t both = 0;
    for (const auto& e : exact)
      for (const auto& h : hits) both += h.id == e.id;
    found += static_cast<double>(both) / 10.0;
    first += !hits.empty() && hits.front().id == exact.front().id;
  }
  EXPECT_GE(found / 200, 0.9);
  EXPECT_GE(first, 190);
}

TEST(VectorIndex, PutReplacesAndForgetRemoves) {
  const auto d = clustered(100, 4, 0.1f, 3);
  VectorIndex index(kDimension, d.ids, d.vectors);
  // Ticket 1 now reads like ticket 2's topic.
  const std::vector<float> moved(row(d, 1).begin(), row(d, 1).end());
  index.put(1, moved);
  EXPECT_EQ(index.size(), 100u);
  auto hits = index.nearest(moved, 2);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_TRUE((hits[0].id == 1 && hits[1].id == 2) || (hits[0].id == 2 && hits[1].id == 1));
  index.put(1, moved);  // the same again: nothing changes
  EXPECT_EQ(index.size(), 100u);
  index.forget(2);
  index.forget(2);
  index.forget(12345);
  EXPECT_EQ(index.size(), 99u);
  EXPECT_FALSE(index.contains(2));
  hits = index.nearest(moved, 100);
  EXPECT_EQ(hits.size(), 99u);
  for (const auto& h : hits) EXPECT_NE(h.id, 2);
  index.put(500, moved);
  EXPECT_EQ(index.nearest(moved, 1).front().id, 500);  // equal scores: the newer id first
}

TEST(VectorIndex, WrongSizesAndEmptyIndexesAnswerNothing) {
  VectorIndex empty(kDimension);
  EXPECT_TRUE(empty.nearest(std::vector<float>(kDimension, 0.1f), 5).empty());
  EXPECT_TRUE(empty.nearest(std::vector<float>(3, 0.1f), 5).empty());
  empty.put(1, std::vector<float>(3, 0.1f));
  EXPECT_EQ(empty.size(), 0u);
  const auto d = clustered(10, 2, 0.1f, 4);
  VectorIndex index(kDimension, d.ids, d.vectors);
  EXPECT_TRUE(index.nearest(row(d, 0), 0).empty());
  EXPECT_TRUE(exact_nearest(kDimension, d.ids, d.vectors, std::vector<float>(2), 3).empty());
}

}  // namespace
}  // namespace gongdan
