#include "api/multipart.hpp"

#include <optional>
#include <string>
#include <utility>

#include "util/text.hpp"

namespace gongdan::api {
namespace {

constexpr std::string_view kMultipartCrlf = "\r\n";
constexpr std::size_t kMultipartMaxBoundary = 70;  // RFC 2046 section 5.1.1

Failure multipart_invalid(std::string message, std::string field = "body") {
  return fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

bool multipart_is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 2046 bchars. None of them is CR or LF, which is what keeps the delimiter search linear.
bool multipart_is_bchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// RFC 5987 attr-char: what an ext-value may carry without percent-encoding.
bool multipart_is_attr_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

bool multipart_is_ows(char c) { return c == ' ' || c == '\t'; }

std::string multipart_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view multipart_trim_ows(std::string_view s) {
  while (!s.empty() && multipart_is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && multipart_is_ows(s.back())) s.remove_suffix(1);
  return s;
}

struct MultipartParam {
  std::string name;  // lower-case
  std::string value;
  bool quoted = false;  // sent as a quoted-string
};

struct MultipartHeaderValue {
  std::string type;  // lower-case
  std::vector<MultipartParam> params;

  const MultipartParam* find_param(std::string_view name) const {
    for (const auto& p : params) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }
  const std::string* find(std::string_view name) const {
    const MultipartParam* p = find_param(name);
    return p == nullptr ? nullptr : &p->value;
  }
};

// A quoted-string starting at s[pos] == '"'. \" and \\ are escapes; any other backslash is kept,
// since browsers put Windows paths into filename="..." without escaping them.
Result<std::string> multipart_quoted(std::string_view s, std::size_t& pos, std::string_view field,
                                     std::string_view error_field) {
  std::string out;
  for (++pos; pos < s.size(); ++pos) {
    const char c = s[pos];
    if (c == '"') {
      ++pos;
      return out;
    }
    if (c == '\\' && pos + 1 < s.size() && (s[pos + 1] == '"' || s[pos + 1] == '\\')) {
      out.push_back(s[++pos]);
      continue;
    }
    out.push_back(c);
  }
  return multipart_invalid("unterminated quoted string in " + std::string(field),
                           std::string(error_field));
}

// `type *( OWS ";" OWS name OWS "=" OWS ( token / quoted-string ) ) [ OWS ";" ] OWS`, as in
// Content-Type and Content-Disposition. A repeated parameter is an error: two names or two
// boundaries are exactly the ambiguity that lets two parsers see two different forms.
Result<MultipartHeaderValue> multipart_parse_header_value(std::string_view s,
                                                          std::string_view field,
                                                          std::string_view error_field) {
  MultipartHeaderValue out;
  std::size_t pos = 0;
  while (pos < s.size() && multipart_is_ows(s[pos])) ++pos;
  const std::size_t type_start = pos;
  while (pos < s.size() && (multipart_is_tchar(s[pos]) || s[pos] == '/')) ++pos;
  out.type = multipart_lower(s.substr(type_start, pos - type_start));
  if (out.type.empty()) {
    return multipart_invalid(std::string(field) + " has no type", std::string(error_field));
  }
  while (true) {
    while (pos < s.size() && multipart_is_ows(s[pos])) ++pos;
    if (pos == s.size()) break;
    if (s[pos] != ';') {
      return multipart_invalid("unexpected character in " + std::string(field),
                               std::string(error_field));
    }
    ++pos;
    while (pos < s.size() && multipart_is_ows(s[pos])) ++pos;
    if (pos == s.size()) break;  // a trailing ';' is common and harmless
    const std::size_t name_start = pos;
    while (pos < s.size() && multipart_is_tchar(s[pos])) ++pos;
    MultipartParam param;
    param.name = multipart_lower(s.substr(name_start, pos - name_start));
    while (pos < s.size() && multipart_is_ows(s[pos])) ++pos;
    if (param.name.empty() || pos == s.size() || s[pos] != '=') {
      return multipart_invalid("malformed parameter in " + std::string(field),
                               std::string(error_field));
    }
    ++pos;
    while (pos < s.size() && multipart_is_ows(s[pos])) ++pos;
    if (pos < s.size() && s[pos] == '"') {
      param.quoted = true;
      GONGDAN_ASSIGN(param.value, multipart_quoted(s, pos, field, error_field));
    } else {
      const std::size_t value_start = pos;
      while (pos < s.size() && multipart_is_tchar(s[pos])) ++pos;
      param.value = std::string(s.substr(value_start, pos - value_start));
      if (param.value.empty()) {
        return multipart_invalid("empty parameter value in " + std::string(field),
                                 std::string(error_field));
      }
    }
    if (out.find(param.name) != nullptr) {
      return multipart_invalid("repeated parameter " + param.name + " in " + std::string(field),
                               std::string(error_field));
    }
    out.params.push_back(std::move(param));
  }
  return out;
}

// RFC 8187 ext-value: charset "'" [ language ] "'" value-chars, returned as UTF-8.
Result<std::string> multipart_ext_value(std::string_view s) {
  const auto q1 = s.find('\'');
  const auto q2 = q1 == std::string_view::npos ? q1 : s.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return multipart_invalid("malformed filename*");
  const std::string charset = multipart_lower(s.substr(0, q1));
  const bool latin1 = charset == "iso-8859-1";
  if (charset != "utf-8" && !latin1) {
    return multipart_invalid("filename* must be UTF-8 or ISO-8859-1");
  }
  std::string bytes;
  for (std::size_t i = q2 + 1; i < s.size(); ++i) {
    if (s[i] == '%') {
      const int hi = i + 2 < s.size() ? text::hex_value(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? text::hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) return multipart_invalid("bad percent-encoding in filename*");
      bytes.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (multipart_is_attr_char(s[i])) {
      bytes.push_back(s[i]);
    } else {
      return multipart_invalid("invalid character in filename*");
    }
  }
  if (!latin1) {
    if (!text::is_valid_utf8(bytes)) return multipart_invalid("filename* is not valid UTF-8");
    return bytes;
  }
  std::string utf8;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      utf8.push_back(c);
    } else {
      utf8.push_back(static_cast<char>(0xC0 | (u >> 6)));
      utf8.push_back(static_cast<char>(0x80 | (u & 0x3F)));
    }
  }
  return utf8;
}

Result<std::string> multipart_boundary(std::string_view content_type_header) {
  GONGDAN_ASSIGN(auto header,
                 multipart_parse_header_value(content_type_header, "Content-Type", "content-type"));
  if (header.type != "multipart/form-data") {
    return multipart_invalid("Content-Type must be multipart/form-data", "content-type");
  }
  const std::string* boundary = header.find("boundary");
  if (boundary == nullptr) return multipart_invalid("missing boundary", "content-type");
  if (boundary->empty() || boundary->size() > kMultipartMaxBoundary || boundary->back() == ' ') {
    return multipart_invalid("boundary must be 1-70 characters, not ending in a space",
                             "content-type");
  }
  for (char c : *boundary) {
    if (!multipart_is_bchar(c)) {
      return multipart_invalid("invalid character in boundary", "content-type");
    }
  }
  return *boundary;
}

// What may follow a delimiter: "--" (the close delimiter) or transport padding and CRLF.
// Returns true for the close delimiter and advances `pos` past the line otherwise.
Result<bool> multipart_after_delimiter(std::string_view body, std::size_t& pos) {
  if (body.substr(pos, 2) == "--") return true;
  while (pos < body.size() && multipart_is_ows(body[pos])) ++pos;
  if (body.substr(pos, 2) != kMultipartCrlf) {
    if (pos >= body.size()) return multipart_invalid("no closing delimiter");
    return multipart_invalid("boundary delimiter followed by unexpected bytes");
  }
  pos += 2;
  return false;
}

struct MultipartHeaders {
  std::optional<std::string> disposition;
  std::optional<std::string> content_type;
  std::optional<std::string> transfer_encoding;
};

// Reads the header lines of a part starting at `pos`, through the blank line that ends them.
Result<MultipartHeaders> multipart_headers(std::string_view body, std::size_t& pos,
                                           const MultipartLimits& limits) {
  MultipartHeaders headers;
  const std::size_t start = pos;
  // Never look further than the limit allows, so a huge part without a blank line costs no
  // more than the limit to reject.
  const std::string_view window = body.substr(0, limits.max_header_bytes >= body.size() - start
                                                     ? body.size()
                                                     : start + limits.max_header_bytes);
  while (true) {
    const std::size_t line_end = window.find(kMultipartCrlf, pos);
    if (line_end == std::string_view::npos) {
      if (window.size() < body.size()) {
        return fail(ErrorCode::kPayloadTooLarge,
                    "part headers exceed " + std::to_string(limits.max_header_bytes) + " bytes",
                    "body");
      }
      return multipart_invalid("unterminated part headers");
    }
    const std::string_view line = body.substr(pos, line_end - pos);
    pos = line_end + 2;
    if (line.empty()) return headers;
    if (multipart_is_ows(line.front())) return multipart_invalid("folded part header line");
    for (char c : line) {
      if (c == '\r' || c == '\n' || c == '\0') {
        return multipart_invalid("control character in part header");
      }
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return multipart_invalid("malformed part header line");
    }
    const std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!multipart_is_tchar(c)) return multipart_invalid("malformed part header name");
    }
    const std::string lower = multipart_lower(name);
    std::optional<std::string>* slot = nullptr;
    if (lower == "content-disposition") {
      slot = &headers.disposition;
    } else if (lower == "content-type") {
      slot = &headers.content_type;
    } else if (lower == "content-transfer-encoding") {
      slot = &headers.transfer_encoding;
    } else {
      continue;  // other part headers carry nothing form-data uses
    }
    if (slot->has_value()) return multipart_invalid("repeated " + lower + " in a part");
    *slot = std::string(multipart_trim_ows(line.substr(colon + 1)));
  }
}

Result<FormPart> multipart_make_part(const MultipartHeaders& headers, std::string_view data) {
  if (!headers.disposition) return multipart_invalid("part without Content-Disposition");
  GONGDAN_ASSIGN(auto disposition,
                 multipart_parse_header_value(*headers.disposition, "Content-Disposition", "body"));
  if (disposition.type != "form-data") {
    return multipart_invalid("part Content-Disposition must be form-data");
  }
  const std::string* name = disposition.find("name");
  if (name == nullptr) return multipart_invalid("part without a name");
  if (headers.transfer_encoding) {
    const std::string encoding = multipart_lower(*headers.transfer_encoding);
    if (encoding != "7bit" && encoding != "8bit" && encoding != "binary") {
      return multipart_invalid("unsupported Content-Transfer-Encoding");
    }
  }
  FormPart part;
  part.name = *name;
  if (const MultipartParam* extended = disposition.find_param("filename*")) {
    // RFC 8187: an ext-value is never quoted; a quoted one is a client we cannot guess about.
    if (extended->quoted) return multipart_invalid("filename* must not be quoted");
    GONGDAN_ASSIGN(part.filename, multipart_ext_value(extended->value));
  } else if (const std::string* plain = disposition.find("filename")) {
    part.filename = *plain;
  }
  part.content_type = headers.content_type.value_or(std::string());
  part.data = data;
  return part;
}

}  // namespace

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type_header,
                                              std::string_view body,
                                              const MultipartLimits& limits) {
  GONGDAN_ASSIGN(const std::string boundary, multipart_boundary(content_type_header));
  const std::string delimiter = "--" + boundary;
  const std::string inner_delimiter = std::string(kMultipartCrlf) + delimiter;
  if (body.substr(0, delimiter.size()) != delimiter) {
    return multipart_invalid("body does not start with the boundary delimiter");
  }
  std::vector<FormPart> parts;
  std::size_t pos = delimiter.size();
  while (true) {
    GONGDAN_ASSIGN(const bool closed, multipart_after_delimiter(body, pos));
    if (closed) return parts;  // anything after the close delimiter is epilogue
    if (parts.size() == limits.max_parts) {
      return fail(ErrorCode::kPayloadTooLarge,
                  "more than " + std::to_string(limits.max_parts) + " parts", "body");
    }
    GONGDAN_ASSIGN(const MultipartHeaders headers, multipart_headers(body, pos, limits));
    const std::size_t next = body.find(inner_delimiter, pos);
    if (next == std::string_view::npos) return multipart_invalid("no closing delimiter");
    GONGDAN_ASSIGN(FormPart part, multipart_make_part(headers, body.substr(pos, next - pos)));
    parts.push_back(std::move(part));
    pos = next + inner_delimiter.size();
  }
}

}  // namespace gongdan::api
