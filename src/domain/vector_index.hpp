// Nearest neighbours by cosine among unit vectors, held in memory (issue 22's similar tickets:
// a sentence vector per solved ticket). Each vector is kept as int8 (scaled so that its largest
// component is 127, with that scale: a little over a quarter of the floats' memory, and integer
// dot products), and the vectors are grouped into clusters whose
// centres k-means finds on a sample (an inverted file, IVF): a search scores the query against
// the centres and scans only the `probes` nearest clusters. Under kOneClusterBelow vectors there
// is one cluster, so a search is exact but for the rounding. `exact_nearest` compares a query
// with every float vector: what the recall of `nearest()` is measured against (`gongdan triage
// similar`).
//
// Pure: no I/O, no clock. Not synchronised: callers guard a shared index (put and forget
// change it; nearest and exact only read).
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gongdan {

struct VectorHit {
  std::int64_t id = 0;
  float score = 0;  // cosine, about 1 for the same direction
};

class VectorIndex {
 public:
  static constexpr std::size_t kOneClusterBelow = 8192;
  static constexpr int kDefaultProbes = 6;

  // An index of `ids` and their vectors (`vectors` holds ids.size() rows of `dimension` floats,
  // each of length 1). Clusters: about one per 4,096 vectors, at most 64.
  VectorIndex(int dimension, const std::vector<std::int64_t>& ids,
              const std::vector<float>& vectors);
  explicit VectorIndex(int dimension) : VectorIndex(dimension, {}, {}) {}

  int dimension() const { return dimension_; }
  std::size_t size() const { return slot_of_.size(); }
  std::size_t clusters() const { return lists_.size(); }

  // Adds `id`, or replaces its vector, in the cluster nearest it.
  void put(std::int64_t id, std::span<const float> vector);
  // Removes `id` (nothing when it is not there).
  void forget(std::int64_t id);
  bool contains(std::int64_t id) const { return slot_of_.count(id) > 0; }

  // Up to `limit` ids nearest `query` (a unit vector), nearest first, among the `probes`
  // clusters nearest it. Equal scores: the higher id (the newer ticket) first.
  std::vector<VectorHit> nearest(std::span<const float> query, std::size_t limit,
                                 int probes = kDefaultProbes) const;

 private:
  static constexpr std::uint32_t kGone = 0xffffffffu;
  std::size_t nearest_cluster(std::span<const float> vector) const;
  // Writes `vector` as int8 and returns the step of one unit (its largest component / 127).
  float quantise(std::span<const float> vector, std::int8_t* out) const;

  int dimension_;
  std::vector<float> centres_;                     // clusters() rows of dimension_
  std::vector<std::vector<std::uint32_t>> lists_;  // each cluster's slots
  std::vector<std::int8_t> codes_;                 // a row of dimension_ per slot
  std::vector<float> steps_;                       // per slot: what one unit of its row is
  std::vector<std::int64_t> ids_;                  // per slot
  std::vector<std::uint32_t> cluster_of_;          // per slot; kGone once forgotten or replaced
  std::unordered_map<std::int64_t, std::uint32_t> slot_of_;
};

// Up to `limit` of `ids` (with `vectors`, rows of `dimension` floats) nearest `query`, every one
// compared, nearest first: the exact answer the index's is measured against.
std::vector<VectorHit> exact_nearest(int dimension, std::span<const std::int64_t> ids,
                                     std::span<const float> vectors, std::span<const float> query,
                                     std::size_t limit);

}  // namespace gongdan
