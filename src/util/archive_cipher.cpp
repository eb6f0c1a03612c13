#include "util/archive_cipher.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace gongdan::archive_cipher {
namespace {

constexpr std::uint8_t kFormat = 1;
constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kSaltBytes = crypto_pwhash_SALTBYTES;
// What backups are made with (about a second and 256 MiB), and the most a header may ask for.
constexpr std::uint64_t kOpsLimit = crypto_pwhash_OPSLIMIT_MODERATE;
constexpr std::uint64_t kMemLimit = crypto_pwhash_MEMLIMIT_MODERATE;
constexpr std::uint64_t kMaxOpsLimit = 4 * kOpsLimit;
constexpr std::uint64_t kMaxMemLimit = 4 * kMemLimit;

void ensure_sodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    return true;
  }();
  (void)ready;
}

Failure bad(std::string message) { return fail(ErrorCode::kInvalidArgument, std::move(message)); }

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

bool read_exactly(std::istream& in, void* to, std::size_t n) {
  in.read(static_cast<char*>(to), static_cast<std::streamsize>(n));
  return static_cast<std::size_t>(in.gcount()) == n;
}

}  // namespace

Result<Key> key_from_file_bytes(std::string_view contents) {
  ensure_sodium();
  if (contents.size() < 32)
    return bad(
        "the backup key file must hold at least 32 bytes (make one with: head -c 32 "
        "/dev/urandom > FILE)");
  Key key;
  key.kind = KeyKind::kKeyFile;
  crypto_generichash(key.bytes.data(), key.bytes.size(),
                     reinterpret_cast<const unsigned char*>(contents.data()), contents.size(),
                     nullptr, 0);
  return key;
}

Result<Key> new_passphrase_key(std::string_view passphrase) {
  ensure_sodium();
  if (passphrase.size() < 8) return bad("the backup passphrase must be at least 8 characters");
  Key header;
  header.kind = KeyKind::kPassphrase;
  header.salt.resize(kSaltBytes);
  randombytes_buf(header.salt.data(), header.salt.size());
  header.ops_limit = kOpsLimit;
  header.mem_limit = kMemLimit;
  return passphrase_key(header, passphrase);
}

Result<Key> passphrase_key(const Key& header, std::string_view passphrase) {
  ensure_sodium();
  Key key = header;
  if (passphrase.empty()) return bad("the backup passphrase is empty");
  if (crypto_pwhash(key.bytes.data(), key.bytes.size(), passphrase.data(), passphrase.size(),
                    reinterpret_cast<const unsigned char*>(key.salt.data()), key.ops_limit,
                    static_cast<std::size_t>(key.mem_limit), crypto_pwhash_ALG_ARGON2ID13) != 0)
    return fail(ErrorCode::kInternal, "not enough memory to derive the key from the passphrase");
  return key;
}

bool is_encrypted(std::string_view head) { return head.starts_with(kMagic); }

Result<Key> read_key_header(std::istream& in) {
  char magic[8];
  unsigned char format_and_kind[2];
  if (!read_exactly(in, magic, sizeof magic) || std::string_view(magic, 8) != kMagic)
    return bad("not an encrypted gongdan backup");
  if (!read_exactly(in, format_and_kind, 2) || format_and_kind[0] != kFormat)
    return bad("the encrypted backup is of an unknown format (a newer gongdan?)");
  Key key;
  if (format_and_kind[1] == static_cast<unsigned char>(KeyKind::kKeyFile)) {
    key.kind = KeyKind::kKeyFile;
    return key;
  }
  if (format_and_kind[1] != static_cast<unsigned char>(KeyKind::kPassphrase))
    return bad("the encrypted backup's header is damaged");
  unsigned char rest[kSaltBytes + 16];
  if (!read_exactly(in, rest, sizeof rest)) return bad("the encrypted backup's header is cut off");
  key.kind = KeyKind::kPassphrase;
  key.salt.assign(reinterpret_cast<const char*>(rest), kSaltBytes);
  key.ops_limit = get_u64(rest + kSaltBytes);
  key.mem_limit = get_u64(rest + kSaltBytes + 8);
  if (key.ops_limit < crypto_pwhash_OPSLIMIT_MIN || key.ops_limit > kMaxOpsLimit ||
      key.mem_limit < crypto_pwhash_MEMLIMIT_MIN || key.mem_limit > kMaxMemLimit)
    return bad("the encrypted backup's header is damaged (key limits out of range)");
  return key;
}

struct SealingBuffer::State {
  crypto_secretstream_xchacha20poly1305_state stream;
};

SealingBuffer::SealingBuffer(std::ostream& out, const Key& key)
    : state_(std::make_unique<State>()), out_(out) {
  ensure_sodium();
  std::string head(kMagic);
  head += static_cast<char>(kFormat);
  head += static_cast<char>(key.kind);
  if (key.kind == KeyKind::kPassphrase) {
    head += key.salt;
    put_u64(head, key.ops_limit);
    put_u64(head, key.mem_limit);
  }
  unsigned char stream_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&state_->stream, stream_header, key.bytes.data());
  head.append(reinterpret_cast<const char*>(stream_header), sizeof stream_header);
  out_.write(head.data(), static_cast<std::streamsize>(head.size()));
  failed_ = !out_;
  buffer_.reserve(kChunkBytes);
}

SealingBuffer::~SealingBuffer() { sodium_memzero(&state_->stream, sizeof state_->stream); }

bool SealingBuffer::seal(bool last) {
  std::string sealed(buffer_.size() + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
  unsigned long long length = 0;
  crypto_secretstream_xchacha20poly1305_push(
      &state_->stream, reinterpret_cast<unsigned char*>(sealed.data()), &length,
      reinterpret_cast<const unsigned char*>(buffer_.data()), buffer_.size(), nullptr, 0,
      last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
  sodium_memzero(buffer_.data(), buffer_.size());
  buffer_.clear();
  const auto n = static_cast<std::uint32_t>(length);
  const char size[4] = {static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
                        static_cast<char>((n >> 16) & 0xff), static_cast<char>((n >> 24) & 0xff)};
  out_.write(size, 4);
  out_.write(sealed.data(), static_cast<std::streamsize>(length));
  return static_cast<bool>(out_);
}

SealingBuffer::int_type SealingBuffer::overflow(int_type c) {
  if (failed_ || finished_) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  buffer_ += traits_type::to_char_type(c);
  if (buffer_.size() == kChunkBytes && !seal(false)) {
    failed_ = true;
    return traits_type::eof();
  }
  return c;
}

// Whole chunks only: a partial one waits for more (or for finish()).
int SealingBuffer::sync() { return failed_ ? -1 : 0; }

Result<void> SealingBuffer::finish() {
  if (!failed_ && !finished_) failed_ = !seal(true);
  finished_ = true;
  out_.flush();
  if (failed_ || !out_) return fail(ErrorCode::kInternal, "cannot write the encrypted backup");
  return {};
}

struct OpeningBuffer::State {
  crypto_secretstream_xchacha20poly1305_state stream;
};

OpeningBuffer::OpeningBuffer(std::istream& in, const Key& key)
    : state_(std::make_unique<State>()), in_(in) {
  ensure_sodium();
  unsigned char stream_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  if (!read_exactly(in_, stream_header, sizeof stream_header)) {
    error_ = Error{ErrorCode::kInvalidArgument, "the encrypted backup is cut off", {}};
  } else if (crypto_secretstream_xchacha20poly1305_init_pull(&state_->stream, stream_header,
                                                             key.bytes.data()) != 0) {
    error_ = Error{ErrorCode::kInvalidArgument, "the encrypted backup's header is damaged", {}};
  }
  if (error_) done_ = true;
}

OpeningBuffer::~OpeningBuffer() { sodium_memzero(&state_->stream, sizeof state_->stream); }

bool OpeningBuffer::open_next() {
  auto stop = [&](std::string message) {
    error_ = Error{ErrorCode::kInvalidArgument, std::move(message), {}};
    done_ = true;
    return false;
  };
  unsigned char size[4];
  if (!read_exactly(in_, size, 4))
    return stop("the encrypted backup is cut off (its last chunk is missing)");
  const std::uint32_t length =
      size[0] | (size[1] << 8) | (size[2] << 16) | (static_cast<std::uint32_t>(size[3]) << 24);
  if (length < crypto_secretstream_xchacha20poly1305_ABYTES ||
      length > kChunkBytes + crypto_secretstream_xchacha20poly1305_ABYTES)
    return stop("the encrypted backup is damaged (a chunk of impossible size)");
  std::string sealed(length, '\0');
  if (!read_exactly(in_, sealed.data(), length)) return stop("the encrypted backup is cut off");
  buffer_.resize(length - crypto_secretstream_xchacha20poly1305_ABYTES);
  unsigned long long opened = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(
          &state_->stream, reinterpret_cast<unsigned char*>(buffer_.data()), &opened, &tag,
          reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(), nullptr, 0) != 0)
    return stop(chunks_ == 0 ? "wrong backup key or passphrase (or the archive's start is damaged)"
                             : "the encrypted backup is damaged (a chunk does not authenticate)");
  ++chunks_;
  buffer_.resize(static_cast<std::size_t>(opened));
  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
    done_ = true;
    if (in_.peek() != std::char_traits<char>::eof())
      error_ = Error{
          ErrorCode::kInvalidArgument, "the encrypted backup is damaged (bytes after its end)", {}};
  }
  setg(buffer_.data(), buffer_.data(), buffer_.data() + buffer_.size());
  return true;
}

OpeningBuffer::int_type OpeningBuffer::underflow() {
  while (gptr() == egptr()) {
    if (done_) return traits_type::eof();
    if (!open_next()) return traits_type::eof();
  }
  return traits_type::to_int_type(*gptr());
}

}  // namespace gongdan::archive_cipher
