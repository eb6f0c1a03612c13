#include "domain/work_time.hpp"

#include <algorithm>

namespace gongdan {

Result<Millis> counted_work(Millis claimed, std::optional<Millis> previous, Millis now) {
  if (claimed < 0) return fail(ErrorCode::kInvalidArgument, "ms must be 0 or more", "ms");
  if (claimed > kMaxWorkClaimMs)
    return fail(ErrorCode::kInvalidArgument,
                "a heartbeat claims at most 600000 ms (send one every 30 seconds)", "ms");
  if (!previous) return Millis{0};
  return std::clamp<Millis>(now - *previous, 0, claimed);
}

}  // namespace gongdan
