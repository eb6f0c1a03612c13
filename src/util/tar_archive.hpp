// A plain POSIX tar (ustar) archive of regular files, written and read as a stream, so an
// archive can be larger than memory and an operator can list it with `tar tf`. The reader is a
// parser of untrusted bytes (a backup from anywhere): it checks every header's checksum, fields
// and name, and says where a truncated or corrupt archive stops making sense.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace gongdan::tar {

// Names: relative, '/'-separated, of [A-Za-z0-9._-] segments, none "." or "..", at most 99 bytes
// (the ustar name field without a prefix).
bool is_safe_name(std::string_view name);

class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out) {}
  // One file of `size` bytes, read from `in` (exactly `size`; fewer is an error).
  Result<void> add(std::string_view name, std::istream& in, std::uint64_t size,
                   std::int64_t mtime_seconds = 0);
  Result<void> add(std::string_view name, std::string_view bytes, std::int64_t mtime_seconds = 0);
  // The two zero blocks that end an archive.
  Result<void> finish();

 private:
  Result<void> header(std::string_view name, std::uint64_t size, std::int64_t mtime_seconds);
  std::ostream& out_;
};

struct Entry {
  std::string name;
  std::uint64_t size = 0;
};

class Reader {
 public:
  explicit Reader(std::istream& in) : in_(in) {}
  // The next entry's header; nullopt at the archive's end. Its data must be read with read_data
  // (or skipped by calling next again, which skips it).
  Result<std::optional<Entry>> next();
  // The current entry's data, in chunks given to `sink`.
  Result<void> read_data(const std::function<Result<void>(std::string_view)>& sink);

 private:
  Result<void> skip_rest();
  std::istream& in_;
  std::optional<Entry> current_;
  std::uint64_t left_ = 0;  // unread data bytes of the current entry
  bool data_read_ = true;
  std::uint64_t offset_ = 0;  // bytes consumed, for messages
};

}  // namespace gongdan::tar
