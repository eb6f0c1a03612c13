#pragma once

#include <cstddef>
#include <string>

namespace gongdan {

// Where libcurl's write callback keeps an HTTP answer (CURLOPT_WRITEFUNCTION = keep_answer,
// CURLOPT_WRITEDATA = &sink), never more than `max` bytes, so a peer that answers without end
// fills no memory. `whole`: the answer must fit (more ends the transfer and sets too_long);
// otherwise its first `max` bytes are kept. No `text`: the answer is read and dropped.
struct AnswerSink {
  std::string* text = nullptr;
  std::size_t max = std::size_t{1} << 20;
  bool whole = false;
  bool too_long = false;
};

std::size_t keep_answer(char* data, std::size_t size, std::size_t n, void* sink);

}  // namespace gongdan
