#include "channels/identity/saml_client.hpp"

#include "channels/saml/saml_reader.hpp"

namespace gongdan::channels {

Result<services::SamlRequest> SamlClient::authn_request(const SamlServiceProvider& sp,
                                                        const SamlProvider& idp,
                                                        std::string_view relay_state) {
  GONGDAN_ASSIGN(auto request, saml::make_authn_request(sp, idp, relay_state));
  return services::SamlRequest{std::move(request.url), std::move(request.id)};
}

Result<SamlAssertion> SamlClient::read_response(const SamlServiceProvider& sp,
                                                const SamlProvider& idp, std::string_view posted) {
  return saml::read_saml_response(sp, idp, posted);
}

Result<void> SamlClient::read_metadata(SamlProvider& idp) { return saml::read_idp_metadata(idp); }

Result<void> SamlClient::check_certificate(std::string_view pem) {
  return saml::check_certificate(pem);
}

}  // namespace gongdan::channels
