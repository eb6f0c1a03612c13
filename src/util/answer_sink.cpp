#include "util/answer_sink.hpp"

#include <algorithm>

namespace gongdan {

std::size_t keep_answer(char* data, std::size_t size, std::size_t n, void* userdata) {
  auto* sink = static_cast<AnswerSink*>(userdata);
  if (!sink->text) return size * n;
  if (sink->whole && sink->text->size() + size * n > sink->max) {
    sink->too_long = true;
    return 0;
  }
  if (sink->text->size() < sink->max)
    sink->text->append(data, std::min(size * n, sink->max - sink->text->size()));
  return size * n;
}

}  // namespace gongdan
