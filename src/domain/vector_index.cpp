#include "domain/vector_index.hpp"

#include <algorithm>
#include <cmath>
#include <queue>

namespace gongdan {
namespace {

constexpr float kScale = 127.0f;
constexpr std::size_t kVectorsPerCluster = 4096;
constexpr std::size_t kMaxClusters = 64;
constexpr std::size_t kSamplePerCluster = 64;  // k-means learns the centres from these
constexpr int kIterations = 8;

float dot(const float* a, const float* b, std::size_t n) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

// Products of 16-bit numbers summed in 32 bits: the shape GCC turns into SSE2's pmaddwd.
std::int32_t dot8(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
  std::int32_t s = 0;
  for (std::size_t i = 0; i < n; ++i)
    s += static_cast<std::int16_t>(a[i]) * static_cast<std::int16_t>(b[i]);
  return s;
}

void normalise(float* v, std::size_t n) {
  const float norm = std::sqrt(dot(v, v, n));
  if (norm > 0)
    for (std::size_t i = 0; i < n; ++i) v[i] /= norm;
}

// Keeps the `limit` best (score, id) pairs seen; nearest first at the end.
template <typename Score>
class Best {
 public:
  explicit Best(std::size_t limit) : limit_(limit) {}
  // Whether `score` could be kept: anything while there is room, else better than the worst.
  bool wanted(Score score) const {
    return limit_ > 0 && (heap_.size() < limit_ || score >= heap_.top().first);
  }
  void offer(Score score, std::int64_t id) {
    if (limit_ == 0) return;
    if (heap_.size() < limit_) {
      heap_.push({score, id});
    } else if (std::pair{score, id} > heap_.top()) {
      heap_.pop();
      heap_.push({score, id});
    }
  }
  std::vector<VectorHit> take(float scale) {
    std::vector<VectorHit> out(heap_.size());
    for (auto i = out.size(); i-- > 0; heap_.pop())
      out[i] = {heap_.top().second, static_cast<float>(heap_.top().first) * scale};
    return out;
  }

 private:
  std::size_t limit_;
  std::priority_queue<std::pair<Score, std::int64_t>, std::vector<std::pair<Score, std::int64_t>>,
                      std::greater<>>
      heap_;  // the worst kept on top
};

}  // namespace

VectorIndex::VectorIndex(int dimension, const std::vector<std::int64_t>& ids,
                         const std::vector<float>& vectors)
    : dimension_(std::max(1, dimension)) {
  const auto d = static_cast<std::size_t>(dimension_);
  const std::size_t n = std::min(ids.size(), vectors.size() / d);
  const std::size_t k = n < kOneClusterBelow ? 1 : std::min(kMaxClusters, n / kVectorsPerCluster);
  // k-means on an evenly spread sample, started from evenly spread vectors of it (the same
  // centres every time for the same vectors); cosine, so the centres are kept of length 1.
  centres_.assign(k * d, 0.0f);
  if (k > 1) {
    const std::size_t samples = std::min(n, k * kSamplePerCluster);
    std::vector<const float*> sample(samples);
    for (std::size_t i = 0; i < samples; ++i) sample[i] = vectors.data() + (i * n / samples) * d;
    for (std::size_t c = 0; c < k; ++c)
      std::copy_n(sample[c * samples / k], d,
                  centres_.begin() + static_cast<std::ptrdiff_t>(c * d));
    std::vector<float> sums(k * d);
    std::vector<std::size_t> counts(k);
    for (int iteration = 0; iteration < kIterations; ++iteration) {
      std::fill(sums.begin(), sums.end(), 0.0f);
      std::fill(counts.begin(), counts.end(), 0);
      for (const float* v : sample) {
        const auto c = nearest_cluster({v, d});
        for (std::size_t j = 0; j < d; ++j) sums[c * d + j] += v[j];
        ++counts[c];
      }
      for (std::size_t c = 0; c < k; ++c) {
        if (counts[c] == 0) continue;  // keeps its centre
        std::copy_n(sums.begin() + static_cast<std::ptrdiff_t>(c * d), d,
                    centres_.begin() + static_cast<std::ptrdiff_t>(c * d));
        normalise(centres_.data() + c * d, d);
      }
    }
  }
  lists_.resize(k);
  codes_.reserve(n * d);
  steps_.reserve(n);
  ids_.reserve(n);
  cluster_of_.reserve(n);
  slot_of_.reserve(n);
  // Laid out cluster by cluster (in id order within each), so that a search reads each
  // cluster's rows in one run of memory: in ticket order, a cluster's rows were spread over
  // the whole index and nearly every row read was a cache miss (a million tickets: 30 ms).
  std::vector<std::uint32_t> cluster(n);
  std::vector<std::size_t> starts(k + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    cluster[i] = static_cast<std::uint32_t>(nearest_cluster({vectors.data() + i * d, d}));
    ++starts[cluster[i] + 1];
  }
  for (std::size_t c = 0; c < k; ++c) starts[c + 1] += starts[c];
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[starts[cluster[i]]++] = i;
  std::vector<std::int8_t> code(d);
  for (const auto i : order) {
    const float step = quantise({vectors.data() + i * d, d}, code.data());
    forget(ids[i]);  // an id given twice keeps one vector
    const auto slot = static_cast<std::uint32_t>(ids_.size());
    codes_.insert(codes_.end(), code.begin(), code.end());
    steps_.push_back(step);
    ids_.push_back(ids[i]);
    cluster_of_.push_back(cluster[i]);
    lists_[cluster[i]].push_back(slot);
    slot_of_[ids[i]] = slot;
  }
}

std::size_t VectorIndex::nearest_cluster(std::span<const float> vector) const {
  const auto d = static_cast<std::size_t>(dimension_);
  const std::size_t k = centres_.size() / d;
  std::size_t best = 0;
  float best_score = -2;
  for (std::size_t c = 0; c < k && k > 1; ++c) {
    const float s = dot(centres_.data() + c * d, vector.data(), d);
    if (s > best_score) best_score = s, best = c;
  }
  return best;
}

float VectorIndex::quantise(std::span<const float> vector, std::int8_t* out) const {
  const auto d = static_cast<std::size_t>(dimension_);
  float largest = 0;
  for (std::size_t i = 0; i < d && i < vector.size(); ++i)
    largest = std::max(largest, std::abs(vector[i]));
  // Scaled by the vector's own largest component, not by 1: a unit vector of 48 numbers has
  // none much above 0.5, so this keeps two or three times the precision of x * 127.
  const float scale = largest > 0 ? kScale / largest : 0.0f;
  for (std::size_t i = 0; i < d; ++i) {
    const float x = i < vector.size() ? vector[i] : 0.0f;
    out[i] = static_cast<std::int8_t>(std::lround(std::clamp(x * scale, -kScale, kScale)));
  }
  return largest > 0 ? largest / kScale : 0.0f;
}

void VectorIndex::put(std::int64_t id, std::span<const float> vector) {
  const auto d = static_cast<std::size_t>(dimension_);
  if (vector.size() != d) return;
  std::vector<std::int8_t> code(d);
  const float step = quantise(vector, code.data());
  // The same vector again (a node reads the last minute's rows at every refresh): kept as is,
  // so that the slots do not grow.
  if (auto it = slot_of_.find(id);
      it != slot_of_.end() && steps_[it->second] == step &&
      std::equal(code.begin(), code.end(),
                 codes_.begin() + static_cast<std::ptrdiff_t>(it->second * d)))
    return;
  forget(id);
  const auto slot = static_cast<std::uint32_t>(ids_.size());
  const auto cluster = nearest_cluster(vector);
  codes_.insert(codes_.end(), code.begin(), code.end());
  steps_.push_back(step);
  ids_.push_back(id);
  cluster_of_.push_back(static_cast<std::uint32_t>(cluster));
  lists_[cluster].push_back(slot);
  slot_of_[id] = slot;
}

void VectorIndex::forget(std::int64_t id) {
  auto it = slot_of_.find(id);
  if (it == slot_of_.end()) return;
  // The slot stays (its list skips it): removing it from its list would cost a scan of it.
  cluster_of_[it->second] = kGone;
  slot_of_.erase(it);
}

std::vector<VectorHit> VectorIndex::nearest(std::span<const float> query, std::size_t limit,
                                            int probes) const {
  const auto d = static_cast<std::size_t>(dimension_);
  if (query.size() != d) return {};
  std::vector<std::int8_t> q(d);
  quantise(query, q.data());  // its own step scales every score alike: left out
  // The clusters to scan: the `probes` whose centres are nearest the query.
  std::vector<std::pair<float, std::size_t>> order(lists_.size());
  for (std::size_t c = 0; c < lists_.size(); ++c)
    order[c] = {lists_.size() > 1 ? dot(centres_.data() + c * d, query.data(), d) : 0.0f, c};
  const auto scan = std::min(order.size(), static_cast<std::size_t>(std::max(1, probes)));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(scan), order.end(),
                    std::greater<>());
  Best<float> best(limit);
  for (std::size_t p = 0; p < scan; ++p) {
    const auto cluster = static_cast<std::uint32_t>(order[p].second);
    const auto& list = lists_[cluster];
    // Newest first: of equal scores (tickets with the same subject and tags) the first kept
    // is the newest, and the older ones then cost a comparison, not a heap exchange each.
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      const auto slot = *it;
      if (cluster_of_[slot] != cluster) continue;
      const float score =
          static_cast<float>(dot8(codes_.data() + slot * d, q.data(), d)) * steps_[slot];
      if (best.wanted(score)) best.offer(score, ids_[slot]);
    }
  }
  float largest = 0;
  for (float x : query) largest = std::max(largest, std::abs(x));
  return best.take(largest / kScale);
}

std::vector<VectorHit> exact_nearest(int dimension, std::span<const std::int64_t> ids,
                                     std::span<const float> vectors, std::span<const float> query,
                                     std::size_t limit) {
  const auto d = static_cast<std::size_t>(std::max(1, dimension));
  if (query.size() != d) return {};
  Best<float> best(limit);
  for (std::size_t i = 0; i < ids.size() && (i + 1) * d <= vectors.size(); ++i)
    best.offer(dot(vectors.data() + i * d, query.data(), d), ids[i]);
  return best.take(1.0f);
}

}  // namespace gongdan
