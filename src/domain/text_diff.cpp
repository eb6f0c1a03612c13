#include "domain/text_diff.hpp"

#include <algorithm>
#include <cstdint>

#include "util/enum_names.hpp"

namespace gongdan {
namespace {

using Tokens = std::vector<std::string_view>;

Tokens lines_of(std::string_view s) {
  Tokens out;
  while (!s.empty()) {
    const auto end = s.find('\n');
    const auto n = end == std::string_view::npos ? s.size() : end + 1;
    out.push_back(s.substr(0, n));
    s.remove_prefix(n);
  }
  return out;
}

bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_space_byte(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Tokens words_of(std::string_view s) {
  Tokens out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t j = i + 1;
    if (is_word_byte(c)) {
      while (j < s.size() && is_word_byte(static_cast<unsigned char>(s[j]))) ++j;
    } else if (is_space_byte(c)) {
      while (j < s.size() && is_space_byte(static_cast<unsigned char>(s[j]))) ++j;
    } else {
      // One code point: a lead byte and its continuation bytes.
      while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
    }
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

void emit(std::vector<DiffPiece>& out, DiffOp op, std::string_view text) {
  if (text.empty()) return;
  if (!out.empty() && out.back().op == op)
    out.back().text += text;
  else
    out.push_back({op, std::string(text)});
}

// Myers' greedy forward search over a[0..n) and b[0..m). trace[d] holds the furthest x on each
// diagonal k in [-d, d] after d edits (index k + d). Returns the edits in order, or false when
// more than kMaxDiffEdits are needed.
struct Edit {
  DiffOp op;
  int index;  // into a (kSame, kRemoved) or b (kAdded)
};

bool shortest_edits(const Tokens& a, const Tokens& b, std::vector<Edit>& edits) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  std::vector<std::vector<int>> trace;
  int found = -1;
  for (int d = 0; d <= std::min(n + m, kMaxDiffEdits) && found < 0; ++d) {
    std::vector<int> v(static_cast<std::size_t>(2 * d + 1));
    const auto prev = [&](int k) { return trace[static_cast<std::size_t>(d - 1)][k + d - 1]; };
    for (int k = -d; k <= d; k += 2) {
      int x = 0;
      if (d > 0)
        x = (k == -d || (k != d && prev(k - 1) < prev(k + 1))) ? prev(k + 1) : prev(k - 1) + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[static_cast<std::size_t>(k + d)] = x;
      if (x >= n && y >= m) found = d;
    }
    trace.push_back(std::move(v));
  }
  if (found < 0) return false;
  int x = n, y = m;
  for (int d = found; d > 0; --d) {
    const auto& p = trace[static_cast<std::size_t>(d - 1)];
    const int k = x - y;
    const bool down = k == -d || (k != d && p[k - 1 + d - 1] < p[k + 1 + d - 1]);
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = p[prev_k + d - 1];
    const int mid_x = down ? prev_x : prev_x + 1;
    while (x > mid_x) edits.push_back({DiffOp::kSame, --x}), --y;
    if (down)
      edits.push_back({DiffOp::kAdded, --y});
    else
      edits.push_back({DiffOp::kRemoved, --x});
  }
  while (x > 0) edits.push_back({DiffOp::kSame, --x});
  std::reverse(edits.begin(), edits.end());
  return true;
}

}  // namespace

std::string_view diff_op_name(DiffOp op) {
  static constexpr Named<DiffOp> kOps[] = {
      {DiffOp::kSame, "same"}, {DiffOp::kAdded, "added"}, {DiffOp::kRemoved, "removed"}};
  return name_in(kOps, op, "same");
}

std::vector<DiffPiece> text_diff(std::string_view before, std::string_view after, DiffUnit unit) {
  const Tokens all_a = unit == DiffUnit::kLine ? lines_of(before) : words_of(before);
  const Tokens all_b = unit == DiffUnit::kLine ? lines_of(after) : words_of(after);
  std::size_t head = 0;
  while (head < all_a.size() && head < all_b.size() && all_a[head] == all_b[head]) ++head;
  std::size_t tail = 0;
  while (tail < all_a.size() - head && tail < all_b.size() - head &&
         all_a[all_a.size() - 1 - tail] == all_b[all_b.size() - 1 - tail])
    ++tail;
  const Tokens a(all_a.begin() + static_cast<std::ptrdiff_t>(head),
                 all_a.end() - static_cast<std::ptrdiff_t>(tail));
  const Tokens b(all_b.begin() + static_cast<std::ptrdiff_t>(head),
                 all_b.end() - static_cast<std::ptrdiff_t>(tail));
  std::vector<DiffPiece> out;
  for (std::size_t i = 0; i < head; ++i) emit(out, DiffOp::kSame, all_a[i]);
  std::vector<Edit> edits;
  if (shortest_edits(a, b, edits)) {
    for (const auto& e : edits)
      emit(out, e.op, (e.op == DiffOp::kAdded ? b : a)[static_cast<std::size_t>(e.index)]);
  } else {
    for (auto t : a) emit(out, DiffOp::kRemoved, t);
    for (auto t : b) emit(out, DiffOp::kAdded, t);
  }
  for (std::size_t i = all_a.size() - tail; i < all_a.size(); ++i)
    emit(out, DiffOp::kSame, all_a[i]);
  return out;
}

}  // namespace gongdan
