#include "channels/email/parse/charset.hpp"

#include <iconv.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <utility>

#include "util/text.hpp"

namespace gongdan::email {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kIso2022Jp = "ISO-2022-JP (CP50220)";

struct Alias {
  std::string_view label;
  std::string_view iconv_name;
};

// Labels seen in real mail, mapped to the superset that decodes what senders really meant.
constexpr std::array kAliases = {
    Alias{"gb2312", "GB18030"},
    Alias{"gbk", "GB18030"},
    Alias{"gb18030", "GB18030"},
    Alias{"cp936", "GB18030"},
    Alias{"ms936", "GB18030"},
    Alias{"windows-936", "GB18030"},
    Alias{"x-gbk", "GB18030"},
    Alias{"euc-cn", "GB18030"},
    Alias{"x-euc-cn", "GB18030"},
    Alias{"csgb2312", "GB18030"},
    Alias{"gb_2312-80", "GB18030"},
    Alias{"gb_2312", "GB18030"},
    Alias{"chinese", "GB18030"},
    Alias{"iso-ir-58", "GB18030"},
    Alias{"hz-gb-2312", "HZ"},
    Alias{"big5", "BIG5-HKSCS"},
    Alias{"big-5", "BIG5-HKSCS"},
    Alias{"big5-hkscs", "BIG5-HKSCS"},
    Alias{"cn-big5", "BIG5-HKSCS"},
    Alias{"csbig5", "BIG5-HKSCS"},
    Alias{"x-x-big5", "BIG5-HKSCS"},
    Alias{"cp950", "CP950"},
    Alias{"iso-2022-jp", kIso2022Jp},
    Alias{"csiso2022jp", kIso2022Jp},
    Alias{"cp50220", kIso2022Jp},
    Alias{"cp50221", kIso2022Jp},
    Alias{"cp50222", kIso2022Jp},
    Alias{"iso-2022-jp-2", "ISO-2022-JP-2"},
    Alias{"shift_jis", "CP932"},
    Alias{"shift-jis", "CP932"},
    Alias{"sjis", "CP932"},
    Alias{"x-sjis", "CP932"},
    Alias{"ms_kanji", "CP932"},
    Alias{"csshiftjis", "CP932"},
    Alias{"windows-31j", "CP932"},
    Alias{"cp932", "CP932"},
    Alias{"ms932", "CP932"},
    Alias{"euc-jp", "EUC-JP-MS"},
    Alias{"x-euc-jp", "EUC-JP-MS"},
    Alias{"ks_c_5601-1987", "CP949"},
    Alias{"euc-kr", "CP949"},
    Alias{"korean", "CP949"},
    Alias{"cp949", "CP949"},
    Alias{"us-ascii", "WINDOWS-1252"},
    Alias{"ascii", "WINDOWS-1252"},
    Alias{"iso-8859-1", "WINDOWS-1252"},
    Alias{"iso8859-1", "WINDOWS-1252"},
    Alias{"latin1", "WINDOWS-1252"},
    Alias{"l1", "WINDOWS-1252"},
    Alias{"iso_8859-1", "WINDOWS-1252"},
    Alias{"utf-8", "UTF-8"},
    Alias{"utf8", "UTF-8"},
    Alias{"x-unicode20utf8", "UTF-8"},
};

std::string normalise_label(std::string_view label) {
  std::string out = text::to_lower_ascii(text::trim(label));
  // "utf-8*zh" carries an RFC 2231 language; quotes come from sloppy parameter parsing.
  if (auto star = out.find('*'); star != std::string::npos) out.resize(star);
  std::erase(out, '"');
  std::erase(out, '\'');
  return out;
}

class Iconv {
 public:
  explicit Iconv(const char* from) : cd_(iconv_open("UTF-8", from)) {}
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

enum class OnError { kReplace, kFail };

std::string replace_invalid_utf8(std::string_view bytes);

// Runs iconv over all of `bytes`. On an invalid sequence it emits U+FFFD and resumes one byte
// later (or gives up, for strict guessing).
std::optional<std::string> run_iconv(std::string_view bytes, const std::string& iconv_name,
                                     OnError on_error) {
  Iconv cd(iconv_name.c_str());
  if (!cd.ok()) return std::nullopt;
  const bool gb18030 = iconv_name == "GB18030";
  std::string out;
  out.reserve(bytes.size() * 3 / 2 + 16);
  std::array<char, 16384> buffer{};
  auto* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  while (true) {
    char* out_ptr = buffer.data();
    std::size_t out_left = buffer.size();
    std::size_t rc = iconv(cd.get(), in_left ? &in : nullptr, &in_left, &out_ptr, &out_left);
    int err = errno;
    out.append(buffer.data(), static_cast<std::size_t>(out_ptr - buffer.data()));
    if (rc != static_cast<std::size_t>(-1)) {
      if (in_left == 0) break;
      continue;
    }
    if (err == E2BIG) continue;
    if (on_error == OnError::kFail) return std::nullopt;
    if (err == EILSEQ || err == EINVAL) {
      // CP936 put the euro sign at 0x80, which GB18030 left undefined; WHATWG decodes it too.
      if (gb18030 && static_cast<unsigned char>(*in) == 0x80) {
        out += "\xE2\x82\xAC";
      } else {
        out += kReplacement;
      }
      ++in;
      --in_left;
      iconv(cd.get(), nullptr, nullptr, nullptr, nullptr);  // reset shift state
      if (in_left == 0) break;
      continue;
    }
    return std::nullopt;
  }
  // glibc strips bytes it does not expect from a charset name, so a label like "utf-8\xA5" opens
  // a UTF-8 to UTF-8 converter that passes code points above U+10FFFF through unchanged.
  if (text::is_valid_utf8(out)) return out;
  if (on_error == OnError::kFail) return std::nullopt;
  return replace_invalid_utf8(out);
}

// ISO-2022-JP as Microsoft decodes it (CP50220): JIS X 0208 pairs are mapped to their Shift_JIS
// code and decoded as CP932, which adds the NEC row 13 symbols and the IBM extensions that plain
// ISO-2022-JP decoders reject. Half-width katakana (ESC ( I and SO/SI) are kept.
std::string iso2022jp_to_cp932_bytes(std::string_view in) {
  enum class Mode { kAscii, kJis0208, kKatakana, kUnsupported };
  Mode mode = Mode::kAscii;
  Mode before_shift_out = Mode::kAscii;
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto c = static_cast<unsigned char>(in[i]);
    if (c == 0x1B) {
      std::string_view rest = in.substr(i + 1);
      if (rest.starts_with("(B") || rest.starts_with("(J") || rest.starts_with("(H")) {
        mode = Mode::kAscii;
        i += 2;
      } else if (rest.starts_with("$@") || rest.starts_with("$B")) {
        mode = Mode::kJis0208;
        i += 2;
      } else if (rest.starts_with("(I")) {
        mode = Mode::kKatakana;
        i += 2;
      } else if (rest.starts_with("$(D") || rest.starts_with("$(Q") || rest.starts_with("$(O")) {
        mode = Mode::kUnsupported;  // JIS X 0212/0213 have no CP932 mapping
        i += 3;
      } else if (rest.starts_with("&@\x1B$B")) {
        mode = Mode::kJis0208;  // JIS X 0208-1990 announcer
        i += 5;
      } else {
        out.push_back('?');
      }
      continue;
    }
    if (c == 0x0E) {
      before_shift_out = mode;
      mode = Mode::kKatakana;
      continue;
    }
    if (c == 0x0F) {
      mode = before_shift_out;
      continue;
    }
    if (c < 0x21 || c >= 0x7F) {
      out.push_back(static_cast<char>(c));  // controls and stray 8-bit bytes pass through
      continue;
    }
    switch (mode) {
      case Mode::kAscii:
        out.push_back(static_cast<char>(c));
        break;
      case Mode::kKatakana:
        out.push_back(c <= 0x5F ? static_cast<char>(c + 0x80) : '?');
        break;
      case Mode::kUnsupported:
      case Mode::kJis0208: {
        if (i + 1 >= in.size()) break;
        auto c2 = static_cast<unsigned char>(in[++i]);
        if (mode == Mode::kUnsupported || c2 < 0x21 || c2 > 0x7E) {
          out.push_back('?');
          break;
        }
        unsigned s1 = ((c + 1u) >> 1) + (c <= 0x5E ? 0x70u : 0xB0u);
        unsigned s2 = c2 + ((c & 1u) ? (c2 >= 0x60 ? 0x20u : 0x1Fu) : 0x7Eu);
        out.push_back(static_cast<char>(s1));
        out.push_back(static_cast<char>(s2));
        break;
      }
    }
  }
  return out;
}

std::string replace_invalid_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    // Find the longest valid prefix cheaply by testing sequences one at a time.
    auto c = static_cast<unsigned char>(bytes[i]);
    std::size_t len = c < 0x80             ? 1
                      : (c & 0xE0) == 0xC0 ? 2
                      : (c & 0xF0) == 0xE0 ? 3
                      : (c & 0xF8) == 0xF0 ? 4
                                           : 0;
    if (len != 0 && i + len <= bytes.size() && text::is_valid_utf8(bytes.substr(i, len))) {
      out.append(bytes.substr(i, len));
      i += len;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  return out;
}

std::optional<std::string> decode_with(std::string_view bytes, const std::string& iconv_name,
                                       OnError on_error) {
  if (iconv_name == "UTF-8") {
    if (text::is_valid_utf8(bytes)) return std::string(bytes);
    if (on_error == OnError::kFail) return std::nullopt;
    return replace_invalid_utf8(bytes);
  }
  if (iconv_name == kIso2022Jp) {
    if (auto native = run_iconv(bytes, "CP50220", on_error)) return native;  // where iconv has it
    auto decoded = run_iconv(iso2022jp_to_cp932_bytes(bytes), "CP932", on_error);
    if (decoded) return decoded;
    return run_iconv(bytes, "ISO-2022-JP-2", on_error);
  }
  if (auto decoded = run_iconv(bytes, iconv_name, on_error)) return decoded;
  // A superset the local iconv lacks: fall back to the plain name before guessing.
  if (iconv_name == "BIG5-HKSCS") return run_iconv(bytes, "BIG5", on_error);
  if (iconv_name == "EUC-JP-MS") return run_iconv(bytes, "EUC-JP", on_error);
  return std::nullopt;
}

bool is_ascii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string guess(std::string_view bytes) {
  if (text::is_valid_utf8(bytes)) return std::string(bytes);
  if (auto gb = run_iconv(bytes, "GB18030", OnError::kFail)) return *gb;
  if (auto latin = run_iconv(bytes, "WINDOWS-1252", OnError::kFail)) return *latin;
  return replace_invalid_utf8(bytes);
}

}  // namespace

std::string iconv_charset_for(std::string_view label) {
  std::string name = normalise_label(label);
  if (name.empty() || name == "none" || name == "unknown" || name == "unknown-8bit" ||
      name == "x-unknown" || name == "default" || name == "charset") {
    return {};
  }
  for (const auto& alias : kAliases) {
    if (alias.label == name) return std::string(alias.iconv_name);
  }
  // "cp1252", "windows-1252", "iso-8859-15", "koi8-r" ...: iconv knows these by the same name.
  if (name.starts_with("cp125")) name = "windows-125" + name.substr(5);
  for (auto& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return name;
}

std::string decode_to_utf8(std::string_view bytes, std::string_view label) {
  std::string name = iconv_charset_for(label);
  // Stateful and 16-bit encodings are ASCII-looking without being ASCII.
  const bool ascii_compatible = name.find("2022") == std::string::npos &&
                                name.find("UTF-16") == std::string::npos &&
                                name.find("UTF-7") == std::string::npos && name != "HZ";
  if (ascii_compatible && is_ascii(bytes)) return std::string(bytes);
  if (name.empty()) return guess(bytes);
  // US-ASCII and Latin-1 labels on bytes that are valid UTF-8 are far more often mislabelled
  // UTF-8 than Windows-1252 text that happens to look like UTF-8.
  if (name == "WINDOWS-1252" && text::is_valid_utf8(bytes)) return std::string(bytes);
  if (auto decoded = decode_with(bytes, name, OnError::kReplace)) return *decoded;
  return guess(bytes);  // iconv does not know the label at all
}

std::optional<std::string> decode_to_utf8_strict(std::string_view bytes, std::string_view label) {
  std::string name = iconv_charset_for(label);
  if (name.empty()) return std::nullopt;
  return decode_with(bytes, name, OnError::kFail);
}

}  // namespace gongdan::email
