// Byte encodings that parsers and writers share while each keeps its own rules: a base64
// digit's value in either alphabet (each decoder keeps its own leniency about padding and
// white space), and percent-encoding with the caller's set of bytes sent as they are.
#pragma once

#include <string>
#include <string_view>

namespace gongdan::encoding {

// The value (0-63) of a base64 digit, or -1 for any other character. `c62` and `c63` are the
// alphabet's last two digits: '+' and '/' for base64, '-' and '_' for base64url (RFC 4648).
int base64_digit(char c, char c62 = '+', char c63 = '/');

// `in` with every byte `keep` refuses written as '%' and two upper-case hexadecimal digits.
// Each caller names its own set: RFC 2231's parameter values, RFC 8187's attr-chars, a data:
// URL's.
std::string percent_encode(std::string_view in, bool (*keep)(unsigned char));

}  // namespace gongdan::encoding
