// services/saml_service.hpp's SamlProtocol over channels/saml (liblasso and OpenSSL).
#pragma once

#include "services/saml_service.hpp"

namespace gongdan::channels {

class SamlClient : public services::SamlProtocol {
 public:
  Result<services::SamlRequest> authn_request(const SamlServiceProvider& sp,
                                              const SamlProvider& idp,
                                              std::string_view relay_state) override;
  Result<SamlAssertion> read_response(const SamlServiceProvider& sp, const SamlProvider& idp,
                                      std::string_view posted) override;
  Result<void> read_metadata(SamlProvider& idp) override;
  Result<void> check_certificate(std::string_view pem) override;
};

}  // namespace gongdan::channels
