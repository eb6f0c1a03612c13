#include "domain/attachment_name.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <iterator>
#include <vector>

#include "util/text.hpp"

namespace gongdan {
namespace {

constexpr char32_t kFilenameReplacement = 0xFFFD;
// An extension longer than this is more likely part of the name ("minutes.of the meeting...")
// than a type, so truncation does not try to keep it.
constexpr std::size_t kFilenameMaxExtensionBytes = 32;

// The code point at s[i]; a byte that does not start a well-formed sequence becomes U+FFFD on
// its own, so one bad byte never swallows the good characters after it.
char32_t filename_decode(std::string_view s, std::size_t& i) {
  if (auto cp = text::decode_utf8(s, i)) return *cp;
  ++i;
  return kFilenameReplacement;
}

void filename_append_utf8(std::string& out, char32_t cp) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

std::size_t filename_utf8_length(char32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

template <class It>
std::size_t filename_bytes(It begin, It end) {
  std::size_t bytes = 0;
  for (; begin != end; ++begin) bytes += filename_utf8_length(*begin);
  return bytes;
}

std::vector<char32_t> filename_decode_all(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(filename_decode(s, i));
  return out;
}

// Invisible or layout-changing characters: controls (C0, C1, DEL), format characters (bidi
// embeddings, overrides, isolates and marks, zero-width joiners and spaces, BOM, tag characters,
// soft hyphen) and line/paragraph separators. Bidi overrides are how "gpj.exe" is shown as
// "exe.jpg"; the others hide characters or split a name across lines in a listing.
bool filename_is_invisible(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CS:
      return true;
    default:
      return false;
  }
}

// Windows silently drops trailing dots and spaces and Unix hides names that start with a dot, so
// both ends lose them (any Unicode space, not just U+0020).
bool filename_is_trimmed(char32_t cp) {
  return cp == U'.' || utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_ZS;
}

bool filename_is_windows_forbidden(char32_t cp) {
  return cp == U'<' || cp == U'>' || cp == U':' || cp == U'"' || cp == U'|' || cp == U'?' ||
         cp == U'*';
}

void filename_trim(std::vector<char32_t>& cps, bool front) {
  while (!cps.empty() && filename_is_trimmed(cps.back())) cps.pop_back();
  if (!front) return;
  auto first = std::find_if_not(cps.begin(), cps.end(), filename_is_trimmed);
  cps.erase(cps.begin(), first);
}

std::string filename_encode(const std::vector<char32_t>& cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t cp : cps) filename_append_utf8(out, cp);
  return out;
}

// NFC so that the same name typed on macOS (decomposed) and Windows (composed) compares and
// displays the same. The input is valid UTF-8 by construction; on the unexpected failure the
// name is kept as it is rather than lost.
std::string filename_nfc(const std::string& s) {
  utf8proc_uint8_t* out = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                              static_cast<utf8proc_ssize_t>(s.size()), &out,
                              static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) return s;
  std::string result(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
  std::free(out);
  return result;
}

// CON, PRN, AUX, NUL, COM1-9 and LPT1-9 name devices on Windows whatever the extension
// ("con.txt" too); saving such a download fails or writes to the device.
bool filename_is_windows_device(const std::vector<char32_t>& cps) {
  std::string base;
  for (char32_t cp : cps) {
    if (cp == U'.') break;
    if (cp >= 0x80) return false;
    base.push_back(static_cast<char>(cp >= U'a' && cp <= U'z' ? cp - U'a' + U'A' : cp));
  }
  while (!base.empty() && base.back() == ' ') base.pop_back();
  if (base == "CON" || base == "PRN" || base == "AUX" || base == "NUL") return true;
  return base.size() == 4 && (base.starts_with("COM") || base.starts_with("LPT")) &&
         base[3] >= '1' && base[3] <= '9';
}

// Cuts `cps` so that it encodes to at most `budget` bytes, preferring a grapheme boundary so a
// base letter never loses its accent; falls back to a code point boundary when even the first
// grapheme is too long (a pile of combining marks).
void filename_truncate(std::vector<char32_t>& cps, std::size_t budget) {
  std::size_t fit = 0;  // how many code points fit in the budget
  for (std::size_t bytes = 0; fit < cps.size(); ++fit) {
    bytes += filename_utf8_length(cps[fit]);
    if (bytes > budget) break;
  }
  if (fit == cps.size()) return;
  // The grapheme-break state machine must see the name from its start.
  std::size_t cut = 0;
  utf8proc_int32_t state = 0;
  for (std::size_t i = 1; i <= fit; ++i) {
    if (utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(cps[i - 1]),
                                         static_cast<utf8proc_int32_t>(cps[i]), &state)) {
      cut = i;
    }
  }
  cps.resize(cut > 0 ? cut : fit);
}

// Cuts a name longer than kMaxFilenameBytes, keeping its extension so the download still opens
// with the right program.
void filename_fit(std::vector<char32_t>& cps) {
  if (filename_bytes(cps.begin(), cps.end()) <= kMaxFilenameBytes) return;
  // Keep the extension so the download still opens with the right program.
  std::vector<char32_t> extension;
  const auto dot = std::find(cps.rbegin(), cps.rend(), U'.');
  if (dot != cps.rend()) {
    const auto ext_begin = std::prev(dot.base());
    if (ext_begin != cps.begin() &&
        filename_bytes(ext_begin, cps.end()) <= kFilenameMaxExtensionBytes) {
      extension.assign(ext_begin, cps.end());
      cps.erase(ext_begin, cps.end());
    }
  }
  filename_truncate(cps, kMaxFilenameBytes - filename_bytes(extension.begin(), extension.end()));
  filename_trim(cps, /*front=*/false);
  cps.insert(cps.end(), extension.begin(), extension.end());
  filename_trim(cps, /*front=*/true);
}

std::string filename_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool filename_is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The extension of a sanitised name, lower-case, without the dot; empty when there is none.
std::string filename_extension(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return filename_lower_ascii(name.substr(dot + 1));
}

// Types a browser may execute or parse as a document with script: markup, script, and
// multipart/* (multipart/x-mixed-replace once rendered HTML parts).
bool media_type_is_active(std::string_view essence) {
  static constexpr std::array<std::string_view, 8> kActive = {
      "text/html",       "application/xhtml+xml",
      "image/svg+xml",   "application/xml",
      "text/javascript", "text/xsl",
      "text/css",        "application/x-shockwave-flash",
  };
  if (std::find(kActive.begin(), kActive.end(), essence) != kActive.end()) return true;
  const auto slash = essence.find('/');
  if (slash == std::string_view::npos) return false;
  const auto top = essence.substr(0, slash);
  const auto sub = essence.substr(slash + 1);
  return top == "multipart" || sub.ends_with("+xml") || sub.ends_with("-xml") ||
         sub.find("html") != std::string_view::npos ||
         sub.find("javascript") != std::string_view::npos ||
         sub.find("ecmascript") != std::string_view::npos;
}

bool filename_extension_is_active(std::string_view ext) {
  static constexpr std::array<std::string_view, 17> kActive = {
      "htm", "html", "xhtml", "xht", "shtml", "mht", "mhtml", "svg", "svgz",
      "xml", "xsl",  "xslt",  "js",  "mjs",   "hta", "swf",   "css",
  };
  return std::find(kActive.begin(), kActive.end(), ext) != kActive.end();
}

// The type a browser or desktop would assume from the extension, for the extensions of types
// that may be shown inline; empty for the rest (no opinion).
std::string_view filename_extension_type(std::string_view ext) {
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg" || ext == "jpe" || ext == "jfif") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "pdf") return "application/pdf";
  if (ext == "txt" || ext == "text" || ext == "log") return "text/plain";
  return {};
}

}  // namespace

std::string sanitize_filename(std::string_view raw) {
  std::string visible;
  visible.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    const char32_t cp = filename_decode(raw, i);
    if (!filename_is_invisible(cp)) filename_append_utf8(visible, cp);
  }
  std::vector<char32_t> cps = filename_decode_all(filename_nfc(visible));

  // Only the last path component: clients send "C:\Users\li\report.pdf" or "../../etc/passwd".
  // Separators at the very end are ignored so "reports/q3.pdf/" still names q3.pdf.
  while (!cps.empty() && (cps.back() == U'/' || cps.back() == U'\\')) cps.pop_back();
  const auto last_sep =
      std::find_if(cps.rbegin(), cps.rend(), [](char32_t cp) { return cp == U'/' || cp == U'\\'; });
  cps.erase(cps.begin(), last_sep.base());

  std::replace_if(cps.begin(), cps.end(), filename_is_windows_forbidden, U'_');
  filename_trim(cps, /*front=*/true);

  filename_fit(cps);
  // After the cut, which may leave "CON.txt" of "CON   …   x.txt"; and the prefix must fit too.
  if (filename_is_windows_device(cps)) {
    cps.insert(cps.begin(), U'_');
    filename_fit(cps);
  }
  if (cps.empty()) return std::string(kFallbackFilename);
  return filename_encode(cps);
}

std::string normalize_media_type(std::string_view type) {
  if (const auto semi = type.find(';'); semi != std::string_view::npos) type = type.substr(0, semi);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  const auto slash = type.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size()) return {};
  for (std::size_t i = 0; i < type.size(); ++i) {
    if (i != slash && !filename_is_tchar(type[i])) return {};
  }
  std::string essence = filename_lower_ascii(type);
  // Aliases in the wild; folded so that a correct label is not mistaken for a disagreeing one.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kAliases = {{
      {"image/jpg", "image/jpeg"},
      {"image/pjpeg", "image/jpeg"},
      {"image/x-png", "image/png"},
      {"image/x-ms-bmp", "image/bmp"},
      {"image/svg", "image/svg+xml"},
      {"text/xml", "application/xml"},
      {"application/javascript", "text/javascript"},
      {"application/x-javascript", "text/javascript"},
      {"text/x-javascript", "text/javascript"},
      {"application/ecmascript", "text/javascript"},
      {"text/ecmascript", "text/javascript"},
      {"application/x-pdf", "application/pdf"},
      {"application/x-zip-compressed", "application/zip"},
      {"text/x-html", "text/html"},
  }};
  for (const auto& [alias, canonical] : kAliases) {
    if (essence == alias) return std::string(canonical);
  }
  return essence;
}

bool is_risky_for_browser(std::string_view detected_type, std::string_view claimed_type,
                          std::string_view filename) {
  const std::string detected = normalize_media_type(detected_type);
  if (detected.empty() || detected == "application/octet-stream" ||
      detected == "application/x-empty" || detected == "inode/x-empty") {
    return true;  // unknown bytes: nothing vouches for what a browser would make of them
  }
  if (media_type_is_active(detected)) return true;

  // An empty or application/octet-stream label is no claim (browsers send the latter for any
  // type they do not know); a label we cannot parse is a disagreement.
  std::string_view claim = claimed_type;
  while (!claim.empty() && (claim.front() == ' ' || claim.front() == '\t')) claim.remove_prefix(1);
  if (!claim.empty()) {
    const std::string claimed = normalize_media_type(claim);
    if (claimed.empty()) return true;
    if (claimed != "application/octet-stream" &&
        (media_type_is_active(claimed) || claimed != detected)) {
      return true;
    }
  }

  const std::string ext = filename_extension(sanitize_filename(filename));
  if (filename_extension_is_active(ext)) return true;
  const auto implied = filename_extension_type(ext);
  return !implied.empty() && implied != detected;
}

std::string with_type_extension(std::string_view name, std::string_view detected_type) {
  static constexpr std::pair<std::string_view, std::string_view> kExtensions[] = {
      {"image/jpeg", ".jpg"},  {"image/png", ".png"},       {"image/gif", ".gif"},
      {"image/webp", ".webp"}, {"image/bmp", ".bmp"},       {"audio/amr", ".amr"},
      {"audio/ogg", ".ogg"},   {"audio/mpeg", ".mp3"},      {"audio/x-wav", ".wav"},
      {"video/mp4", ".mp4"},   {"video/quicktime", ".mov"}, {"application/pdf", ".pdf"}};
  std::string out(name);
  if (out.empty() || out.find('.') != std::string::npos) return out;
  const std::string type = normalize_media_type(detected_type);
  for (const auto& [t, extension] : kExtensions)
    if (t == type) return out + std::string(extension);
  return out;
}

}  // namespace gongdan
