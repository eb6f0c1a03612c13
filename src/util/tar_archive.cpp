#include "util/tar_archive.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <sstream>

namespace gongdan::tar {
namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kChunk = 64 * 1024;

void put_octal(char* field, std::size_t width, std::uint64_t value) {
  // width - 1 digits and a NUL, zero-padded.
  std::memset(field, '0', width - 1);
  field[width - 1] = '\0';
  for (std::size_t i = width - 1; i-- > 0 && value > 0; value >>= 3)
    field[i] = static_cast<char>('0' + (value & 7));
}

std::optional<std::uint64_t> get_octal(const char* field, std::size_t width) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  while (i < width && field[i] == ' ') ++i;
  bool any = false;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) {
    if (value > (UINT64_MAX >> 3)) return std::nullopt;
    value = (value << 3) | static_cast<std::uint64_t>(field[i] - '0');
    any = true;
  }
  for (; i < width; ++i)
    if (field[i] != '\0' && field[i] != ' ') return std::nullopt;
  if (!any) return std::nullopt;
  return value;
}

unsigned checksum_of(const std::array<char, kBlock>& block) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i)
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(block[i]);
  return sum;
}

std::size_t padding_of(std::uint64_t size) {
  return static_cast<std::size_t>((kBlock - size % kBlock) % kBlock);
}

Error corrupt(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), {}};
}

}  // namespace

bool is_safe_name(std::string_view name) {
  if (name.empty() || name.size() > 99 || name.front() == '/' || name.back() == '/') return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto end = std::min(name.find('/', start), name.size());
    const auto segment = name.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (char ch : segment) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

Result<void> Writer::header(std::string_view name, std::uint64_t size, std::int64_t mtime) {
  if (!is_safe_name(name))
    return fail(ErrorCode::kInvalidArgument, "cannot archive the name '" + std::string(name) + "'");
  std::array<char, kBlock> block{};
  std::memcpy(block.data(), name.data(), name.size());
  put_octal(block.data() + 100, 8, 0600);   // mode
  put_octal(block.data() + 108, 8, 0);      // uid
  put_octal(block.data() + 116, 8, 0);      // gid
  put_octal(block.data() + 124, 12, size);  // size
  put_octal(block.data() + 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(mtime, 0)));
  block[156] = '0';                             // a regular file
  std::memcpy(block.data() + 257, "ustar", 6);  // magic, NUL
  std::memcpy(block.data() + 263, "00", 2);     // version
  put_octal(block.data() + 148, 7, checksum_of(block));
  block[155] = ' ';
  if (!out_.write(block.data(), kBlock))
    return fail(ErrorCode::kInternal, "cannot write the archive");
  return {};
}

Result<void> Writer::add(std::string_view name, std::istream& in, std::uint64_t size,
                         std::int64_t mtime) {
  GONGDAN_TRY(header(name, size, mtime));
  std::string buffer(kChunk, '\0');
  for (std::uint64_t left = size; left > 0;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunk));
    in.read(buffer.data(), static_cast<std::streamsize>(want));
    if (static_cast<std::size_t>(in.gcount()) != want)
      return fail(ErrorCode::kInternal, "'" + std::string(name) + "' changed size while archived");
    if (!out_.write(buffer.data(), static_cast<std::streamsize>(want)))
      return fail(ErrorCode::kInternal, "cannot write the archive");
    left -= want;
  }
  const std::array<char, kBlock> zeros{};
  if (!out_.write(zeros.data(), static_cast<std::streamsize>(padding_of(size))))
    return fail(ErrorCode::kInternal, "cannot write the archive");
  return {};
}

Result<void> Writer::add(std::string_view name, std::string_view bytes, std::int64_t mtime) {
  std::string copy(bytes);
  std::istringstream in(copy);
  return add(name, in, bytes.size(), mtime);
}

Result<void> Writer::finish() {
  const std::array<char, kBlock * 2> zeros{};
  if (!out_.write(zeros.data(), zeros.size()) || !out_.flush())
    return fail(ErrorCode::kInternal, "cannot write the archive");
  return {};
}

Result<void> Reader::skip_rest() {
  if (!current_) return {};
  if (!data_read_) GONGDAN_TRY(read_data([](std::string_view) -> Result<void> { return {}; }));
  current_.reset();
  return {};
}

Result<std::optional<Entry>> Reader::next() {
  GONGDAN_TRY(skip_rest());
  std::array<char, kBlock> block{};
  in_.read(block.data(), kBlock);
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (got == 0) return fail(corrupt("the archive ends without its end marker: it is truncated"));
  if (got < kBlock)
    return fail(corrupt("the archive ends inside a header at byte " + std::to_string(offset_) +
                        ": it is truncated"));
  offset_ += kBlock;
  if (std::all_of(block.begin(), block.end(), [](char c) { return c == '\0'; }))
    return std::optional<Entry>();
  auto sum = get_octal(block.data() + 148, 8);
  if (!sum || *sum != checksum_of(block))
    return fail(corrupt("the header at byte " + std::to_string(offset_ - kBlock) +
                        " has a wrong checksum: the archive is corrupt"));
  if (std::memcmp(block.data() + 257, "ustar", 5) != 0)
    return fail(corrupt("the header at byte " + std::to_string(offset_ - kBlock) +
                        " is not a ustar header"));
  const char type = block[156];
  if (type != '0' && type != '\0')
    return fail(corrupt("the archive holds something other than a plain file"));
  if (block[345] != '\0')
    return fail(corrupt("the archive uses long names, which gongdan never writes"));
  const std::string name(block.data(), strnlen(block.data(), 100));
  if (!is_safe_name(name)) return fail(corrupt("the archive names an unsafe path: '" + name + "'"));
  auto size = get_octal(block.data() + 124, 12);
  if (!size) return fail(corrupt("the size of '" + name + "' is not a number"));
  current_ = Entry{name, *size};
  left_ = *size;
  data_read_ = false;
  return current_;
}

Result<void> Reader::read_data(const std::function<Result<void>(std::string_view)>& sink) {
  if (!current_ || data_read_) return fail(ErrorCode::kInternal, "no entry to read");
  data_read_ = true;
  std::string buffer(kChunk, '\0');
  const std::uint64_t total = left_ + padding_of(current_->size);
  std::uint64_t data_left = left_;
  for (std::uint64_t left = total; left > 0;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunk));
    in_.read(buffer.data(), static_cast<std::streamsize>(want));
    const auto got = static_cast<std::size_t>(in_.gcount());
    offset_ += got;
    const auto data_part = static_cast<std::size_t>(std::min<std::uint64_t>(got, data_left));
    if (data_part > 0) GONGDAN_TRY(sink(std::string_view(buffer.data(), data_part)));
    data_left -= data_part;
    if (got < want)
      return fail(corrupt("the archive ends inside '" + current_->name + "': it is truncated"));
    left -= got;
  }
  left_ = 0;
  return {};
}

}  // namespace gongdan::tar
