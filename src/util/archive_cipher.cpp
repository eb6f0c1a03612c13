#include "util/archive_cipher.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace gongdan::archive_cipher {
namespace {

// Format 1 (the first release of --encrypt) had no header checks; it is still read.
constexpr std::uint8_t kFormatWithoutChecks = 1;
constexpr std::uint8_t kFormat = 2;
constexpr std::size_t kStreamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kKeyCheckBytes = 16;
constexpr std::size_t kMacBytes = 32;
constexpr std::size_t kChecksumBytes = 32;
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

namespace {

// The key check and the MAC of a format 2 header, made with `key`.
std::string key_check_of(const Key& key) {
  constexpr std::string_view kText = "gongdan backup key check";
  std::string out(kKeyCheckBytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(kText.data()), kText.size(),
                     key.bytes.data(), key.bytes.size());
  return out;
}

std::string mac_of(std::string_view header, std::string_view key_check, const Key& key) {
  std::string out(kMacBytes, '\0');
  const std::string message = std::string(header) + std::string(key_check);
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                     key.bytes.data(), key.bytes.size());
  return out;
}

std::string checksum_of(std::string_view bytes) {
  std::string out(kChecksumBytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                     0);
  return out;
}

Failure tampered(std::string_view why) {
  return bad("the encrypted backup's header is damaged or tampered with (" + std::string(why) +
             "); nothing was restored");
}

}  // namespace

Result<Header> read_header(std::istream& in) {
  ensure_sodium();
  char magic[8];
  unsigned char format_and_kind[2];
  if (!read_exactly(in, magic, sizeof magic) || std::string_view(magic, 8) != kMagic)
    return bad("not an encrypted gongdan backup");
  if (!read_exactly(in, format_and_kind, 2) ||
      (format_and_kind[0] != kFormat && format_and_kind[0] != kFormatWithoutChecks))
    return bad("the encrypted backup is of an unknown format (a newer gongdan?)");
  Header header;
  header.format = format_and_kind[0];
  header.bytes.assign(magic, sizeof magic);
  header.bytes.append(reinterpret_cast<const char*>(format_and_kind), 2);
  const auto kind = format_and_kind[1];
  if (kind != static_cast<unsigned char>(KeyKind::kKeyFile) &&
      kind != static_cast<unsigned char>(KeyKind::kPassphrase))
    return header.format == kFormat ? tampered("unknown key kind")
                                    : bad("the encrypted backup's header is damaged");
  header.key.kind = static_cast<KeyKind>(kind);
  if (header.key.kind == KeyKind::kPassphrase) {
    unsigned char rest[kSaltBytes + 16];
    if (!read_exactly(in, rest, sizeof rest))
      return bad("the encrypted backup's header is cut off");
    header.bytes.append(reinterpret_cast<const char*>(rest), sizeof rest);
    header.key.salt.assign(reinterpret_cast<const char*>(rest), kSaltBytes);
    header.key.ops_limit = get_u64(rest + kSaltBytes);
    header.key.mem_limit = get_u64(rest + kSaltBytes + 8);
  }
  if (header.format == kFormat) {
    std::string checks(kStreamHeaderBytes + kKeyCheckBytes + kMacBytes + kChecksumBytes, '\0');
    if (!read_exactly(in, checks.data(), checks.size()))
      return bad("the encrypted backup's header is cut off");
    header.stream_header = checks.substr(0, kStreamHeaderBytes);
    header.key_check = checks.substr(kStreamHeaderBytes, kKeyCheckBytes);
    header.mac = checks.substr(kStreamHeaderBytes + kKeyCheckBytes, kMacBytes);
    header.bytes += header.stream_header;
    const auto checksum = checks.substr(checks.size() - kChecksumBytes);
    if (sodium_memcmp(checksum.data(),
                      checksum_of(header.bytes + header.key_check + header.mac).data(),
                      kChecksumBytes) != 0)
      return tampered("its checksum does not match");
  }
  const Key& key = header.key;
  if (key.kind == KeyKind::kPassphrase &&
      (key.ops_limit < crypto_pwhash_OPSLIMIT_MIN || key.ops_limit > kMaxOpsLimit ||
       key.mem_limit < crypto_pwhash_MEMLIMIT_MIN || key.mem_limit > kMaxMemLimit))
    return bad("the encrypted backup's header is damaged (key limits out of range)");
  return header;
}

Result<void> check_key(const Header& header, const Key& key) {
  if (header.format != kFormat) return {};
  ensure_sodium();
  if (sodium_memcmp(header.key_check.data(), key_check_of(key).data(), kKeyCheckBytes) != 0)
    return bad("wrong backup key or passphrase; nothing was restored");
  if (sodium_memcmp(header.mac.data(), mac_of(header.bytes, header.key_check, key).data(),
                    kMacBytes) != 0)
    return tampered("it does not authenticate with this key");
  return {};
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
  unsigned char stream_header[kStreamHeaderBytes];
  crypto_secretstream_xchacha20poly1305_init_push(&state_->stream, stream_header, key.bytes.data());
  head.append(reinterpret_cast<const char*>(stream_header), sizeof stream_header);
  first_chunk_data_ = head;
  const auto key_check = key_check_of(key);
  const auto mac = mac_of(head, key_check, key);
  head += key_check;
  head += mac;
  head += checksum_of(head);
  out_.write(head.data(), static_cast<std::streamsize>(head.size()));
  failed_ = !out_;
  buffer_.reserve(kChunkBytes);
}

SealingBuffer::~SealingBuffer() { sodium_memzero(&state_->stream, sizeof state_->stream); }

bool SealingBuffer::seal(bool last) {
  std::string sealed(buffer_.size() + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
  unsigned long long length = 0;
  const std::string_view data = chunks_++ == 0 ? first_chunk_data_ : std::string_view();
  crypto_secretstream_xchacha20poly1305_push(
      &state_->stream, reinterpret_cast<unsigned char*>(sealed.data()), &length,
      reinterpret_cast<const unsigned char*>(buffer_.data()), buffer_.size(),
      reinterpret_cast<const unsigned char*>(data.data()), data.size(),
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

OpeningBuffer::OpeningBuffer(std::istream& in, const Header& header, const Key& key)
    : state_(std::make_unique<State>()), in_(in) {
  ensure_sodium();
  std::string stream_header = header.stream_header;
  if (header.format == kFormatWithoutChecks) {
    stream_header.resize(kStreamHeaderBytes);
    if (!read_exactly(in_, stream_header.data(), kStreamHeaderBytes))
      error_ = Error{ErrorCode::kInvalidArgument, "the encrypted backup is cut off", {}};
  } else if (auto checked = check_key(header, key); !checked) {
    error_ = checked.error();
  } else {
    first_chunk_data_ = header.bytes;
  }
  if (!error_ && crypto_secretstream_xchacha20poly1305_init_pull(
                     &state_->stream, reinterpret_cast<const unsigned char*>(stream_header.data()),
                     key.bytes.data()) != 0)
    error_ = Error{ErrorCode::kInvalidArgument, "the encrypted backup's header is damaged", {}};
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
          reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
          chunks_ == 0 ? reinterpret_cast<const unsigned char*>(first_chunk_data_.data()) : nullptr,
          chunks_ == 0 ? first_chunk_data_.size() : 0) != 0)
    // Format 1 cannot tell a wrong key from a damaged start; format 2 checked the key already.
    return stop(chunks_ == 0 && first_chunk_data_.empty()
                    ? "wrong backup key or passphrase (or the archive's start is damaged)"
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
