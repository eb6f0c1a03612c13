// The difference between two texts, line by line or word by word (Myers' algorithm: the
// shortest edit script), for showing what changed between two versions of an article. Pure.
//
// Limits: common lines at both ends are set aside first; beyond kMaxDiffEdits edits what is
// left is answered as one removal and one addition, so a diff of two unrelated 256 KiB bodies
// stays fast and small in memory (the edit trace grows with the square of the edits).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gongdan {

enum class DiffOp { kSame, kAdded, kRemoved };
std::string_view diff_op_name(DiffOp op);

// A run of text that is the same, added or removed; neighbouring runs never share an op.
struct DiffPiece {
  DiffOp op = DiffOp::kSame;
  std::string text;
  bool operator==(const DiffPiece&) const = default;
};

enum class DiffUnit {
  kLine,  // each line with its line break
  kWord,  // runs of letters and digits, runs of spaces, any other character alone (so Chinese,
          // which has no spaces, is compared character by character)
};

inline constexpr int kMaxDiffEdits = 1000;

// `before` and `after` joined back from the pieces: the same and removed pieces give `before`,
// the same and added pieces give `after`.
std::vector<DiffPiece> text_diff(std::string_view before, std::string_view after, DiffUnit unit);

}  // namespace gongdan
