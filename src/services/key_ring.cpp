#include "services/key_ring.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <optional>

#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kKeyRingHeader = "gongdan-keys v1";
constexpr std::size_t kKeyBytes = 32;
constexpr auto kKeyRecheck = std::chrono::seconds(1);

// "k12" → 12; -1 for anything else.
int key_number(std::string_view id) {
  if (id.size() < 2 || id[0] != 'k') return -1;
  int n = 0;
  auto [p, ec] = std::from_chars(id.data() + 1, id.data() + id.size(), n);
  if (ec != std::errc() || p != id.data() + id.size() || n < 0) return -1;
  return n;
}

bool is_hex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::vector<std::string_view> key_ring_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) words.push_back(line.substr(i, j - i));
    i = j;
  }
  return words;
}

// The file's identity and age, to notice a replacement.
std::string file_stamp(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return {};
  return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

Result<std::string> read_key_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return fail(ErrorCode::kNotFound, "no key file at " + file.string());
    return fail(ErrorCode::kUnavailable, "cannot read the key file " + file.string());
  }
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Result<void> sync_directory_of(const fs::path& file) {
  const fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorCode::kUnavailable, "cannot open " + dir.string());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return fail(ErrorCode::kUnavailable, "cannot sync " + dir.string());
  return {};
}

// Writes `text` to `file` through a temporary file beside it: whole or not at all.
Result<void> write_key_file(const fs::path& file, std::string_view text, bool exclusive) {
  const fs::path temp = file.string() + ".tmp-" + crypto::random_token(6);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail(ErrorCode::kUnavailable, "cannot write the key file " + file.string());
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  auto give_up = [&](std::string why) {
    ::unlink(temp.c_str());
    return fail(ErrorCode::kUnavailable, std::move(why));
  };
  if (!written) return give_up("cannot write the key file " + file.string());
  if (exclusive) {
    // link() fails when the name exists: two processes making the first key never both win.
    if (::link(temp.c_str(), file.c_str()) != 0) {
      const bool exists = errno == EEXIST;
      ::unlink(temp.c_str());
      if (exists) return fail(ErrorCode::kConflict, file.string() + " exists already");
      return fail(ErrorCode::kUnavailable, "cannot create the key file " + file.string());
    }
    ::unlink(temp.c_str());
  } else if (::rename(temp.c_str(), file.c_str()) != 0) {
    return give_up("cannot replace the key file " + file.string());
  }
  return sync_directory_of(file);
}

}  // namespace

std::string EncryptionKey::fingerprint() const {
  return crypto::hmac_sha256_hex(bytes, "gongdan key fingerprint v1").substr(0, 16);
}

Result<KeyRing> KeyRing::parse(std::string_view text, std::string_view where) {
  if (sodium_init() < 0) return fail(ErrorCode::kInternal, "libsodium failed to initialise");
  const std::string place(where);
  KeyRing ring;
  if (text.size() == kKeyBytes && !text.starts_with(kKeyRingHeader)) {
    // The key file of releases before key ids.
    ring.keys_.push_back(EncryptionKey{"k0", std::string(text)});
    ring.signing_ = crypto::hmac_sha256_hex(text, "gongdan signing key v1");
    return ring;
  }
  auto bad = [&](std::string why) {
    return fail(ErrorCode::kInvalidArgument, "the keys in " + place + " are damaged: " + why);
  };
  bool header = false;
  // One variable of the environment is easier to set on one line: ';' separates lines there.
  const char* separators = text.find('\n') == std::string_view::npos ? ";" : "\n";
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of(separators, start);
    if (end == std::string_view::npos) end = text.size();
    const auto words = key_ring_words(text.substr(start, end - start));
    start = end + 1;
    if (words.empty() || words[0].starts_with("#")) continue;
    if (!header) {
      if (words.size() != 2 || words[0] != "gongdan-keys" || words[1] != "v1")
        return bad("the first line must be \"" + std::string(kKeyRingHeader) + "\"");
      header = true;
    } else if (words[0] == "signing") {
      if (words.size() != 2 || !is_hex64(words[1]) || !ring.signing_.empty())
        return bad("one \"signing <64 hex digits>\" line is expected");
      ring.signing_ = std::string(words[1]);
    } else if (words[0] == "key") {
      if (words.size() != 3 || key_number(words[1]) < 0)
        return bad("a key line is \"key k<number> <base64 of 32 bytes>\"");
      auto bytes = crypto::unbase64(words[2]);
      if (!bytes || bytes->size() != kKeyBytes)
        return bad("key " + std::string(words[1]) + " is not 32 bytes in base64");
      if (ring.find(words[1])) return bad("key " + std::string(words[1]) + " appears twice");
      ring.keys_.push_back(EncryptionKey{std::string(words[1]), std::move(*bytes)});
    } else {
      return bad("unknown line \"" + std::string(words[0]) + " …\"");
    }
  }
  if (!header) return bad("it is empty");
  if (ring.keys_.empty()) return bad("it holds no key");
  if (ring.signing_.empty()) return bad("it has no signing line");
  return ring;
}

KeyRing KeyRing::generate() {
  KeyRing ring;
  ring.keys_.push_back(EncryptionKey{"k1", crypto::random_bytes(kKeyBytes)});
  ring.signing_ = crypto::hmac_sha256_hex(crypto::random_bytes(kKeyBytes), "gongdan signing");
  return ring;
}

std::string KeyRing::text() const {
  std::string out = std::string(kKeyRingHeader) + "\n";
  out +=
      "# gongdan's encryption keys (docs/encryption.md). The first key encrypts, the others are\n"
      "# older keys still read. Keep this file apart from the data directory and back it up:\n"
      "# without it no attachment or stored secret can be read.\n";
  out += "signing " + signing_ + "\n";
  for (const auto& k : keys_) out += "key " + k.id + " " + crypto::base64(k.bytes) + "\n";
  return out;
}

const EncryptionKey* KeyRing::find(std::string_view id) const {
  for (const auto& k : keys_)
    if (k.id == id) return &k;
  return nullptr;
}

KeyRing KeyRing::with_new_key() const {
  int highest = 0;
  for (const auto& k : keys_) highest = std::max(highest, key_number(k.id));
  KeyRing out = *this;
  out.keys_.insert(out.keys_.begin(), EncryptionKey{"k" + std::to_string(highest + 1),
                                                    crypto::random_bytes(kKeyBytes)});
  return out;
}

KeyRing KeyRing::without(const std::vector<std::string>& ids) const {
  KeyRing out = *this;
  std::erase_if(out.keys_, [&](const EncryptionKey& k) {
    return k.id != current().id && std::find(ids.begin(), ids.end(), k.id) != ids.end();
  });
  return out;
}

Keys::Keys(KeySource source, KeyRing ring)
    : source_(std::move(source)),
      ring_(std::make_shared<const KeyRing>(std::move(ring))),
      checked_at_(std::chrono::steady_clock::now()) {}

Result<std::shared_ptr<Keys>> Keys::load(KeySource source) {
  std::string text = source.text;
  std::string stamp;
  if (!source.from_environment()) {
    stamp = file_stamp(source.file);
    GONGDAN_ASSIGN(text, read_key_file(source.file));
  }
  GONGDAN_ASSIGN(auto ring, KeyRing::parse(text, source.name()));
  auto keys = std::shared_ptr<Keys>(new Keys(std::move(source), std::move(ring)));
  keys->stamp_ = std::move(stamp);
  return keys;
}

Result<std::shared_ptr<Keys>> Keys::create(const fs::path& file) {
  if (sodium_init() < 0) return fail(ErrorCode::kInternal, "libsodium failed to initialise");
  GONGDAN_TRY(write_key_file(file, KeyRing::generate().text(), /*exclusive=*/true));
  return load(KeySource{file, {}});
}

std::shared_ptr<Keys> Keys::of(KeyRing ring) {
  KeySource source{{}, ring.text()};
  return std::shared_ptr<Keys>(new Keys(std::move(source), std::move(ring)));
}

void Keys::refresh(bool now) const {
  if (source_.from_environment()) return;
  const auto at = std::chrono::steady_clock::now();
  if (!now && at - checked_at_ < kKeyRecheck) return;
  checked_at_ = at;
  std::string stamp = file_stamp(source_.file);
  if (stamp.empty() || stamp == stamp_) return;
  auto text = read_key_file(source_.file);
  if (!text) return;
  auto ring = KeyRing::parse(*text, source_.name());
  // A damaged file keeps the ring already read; start-up and `gongdan doctor` report it.
  if (!ring) return;
  ring_ = std::make_shared<const KeyRing>(std::move(*ring));
  stamp_ = std::move(stamp);
}

std::shared_ptr<const KeyRing> Keys::ring() const {
  std::lock_guard lock(mutex_);
  refresh(false);
  return ring_;
}

std::shared_ptr<const KeyRing> Keys::ring_with(std::string_view id) const {
  std::lock_guard lock(mutex_);
  refresh(false);
  if (!ring_->find(id)) refresh(true);
  return ring_;
}

Result<void> Keys::save(const KeyRing& ring) {
  if (source_.from_environment())
    return fail(ErrorCode::kInvalidArgument,
                "the keys come from GONGDAN_KEYS: only you can change that variable");
  GONGDAN_TRY(write_key_file(source_.file, ring.text(), /*exclusive=*/false));
  std::lock_guard lock(mutex_);
  ring_ = std::make_shared<const KeyRing>(ring);
  stamp_ = file_stamp(source_.file);
  checked_at_ = std::chrono::steady_clock::now();
  return {};
}

}  // namespace gongdan::services
