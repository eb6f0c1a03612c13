// Parameters of Content-Type and Content-Disposition (RFC 2045, RFC 2231), decoded to UTF-8.
//
// Contract: a pure, lenient parser. RFC 2231 continuations (`filename*0*=`, `filename*1*=`) are
// joined as bytes and then converted from their declared charset (GB2312 read as GB18030, see
// charset.hpp); plain values may hold RFC 2047 encoded words, as Outlook and Foxmail send them;
// spaces around `=` and missing `;` are tolerated. Names are lower-cased. Never fails.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace gongdan::email {

struct MimeField {
  std::string value;                          // "multipart/mixed", "attachment" (lower-cased)
  std::map<std::string, std::string> params;  // decoded values, names lower-cased
};

MimeField parse_mime_field(std::string_view raw);

}  // namespace gongdan::email
