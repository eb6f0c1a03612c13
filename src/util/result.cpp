#include "util/result.hpp"

#include "util/enum_names.hpp"

namespace gongdan {

namespace {

constexpr Named<ErrorCode> kErrorCodes[] = {{ErrorCode::kInvalidArgument, "invalid_argument"},
                                            {ErrorCode::kNotFound, "not_found"},
                                            {ErrorCode::kConflict, "conflict"},
                                            {ErrorCode::kUnauthenticated, "unauthenticated"},
                                            {ErrorCode::kPermissionDenied, "permission_denied"},
                                            {ErrorCode::kPreconditionFailed, "precondition_failed"},
                                            {ErrorCode::kRateLimited, "rate_limited"},
                                            {ErrorCode::kPayloadTooLarge, "payload_too_large"},
                                            {ErrorCode::kUnavailable, "unavailable"},
                                            {ErrorCode::kInternal, "internal"}};

}  // namespace

std::string_view error_code_name(ErrorCode code) { return name_in(kErrorCodes, code, "internal"); }

}  // namespace gongdan
