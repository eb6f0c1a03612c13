#include "channels/identity/oidc_client.hpp"

#include <curl/curl.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

#include "util/http_exchange.hpp"

namespace gongdan::channels {
namespace {

std::string form_encode(CURL* h, const std::vector<std::pair<std::string, std::string>>& form) {
  std::string out;
  for (const auto& [name, value] : form) {
    char* n = curl_easy_escape(h, name.data(), static_cast<int>(name.size()));
    char* v = curl_easy_escape(h, value.data(), static_cast<int>(value.size()));
    out += (out.empty() ? "" : "&") + std::string(n) + "=" + v;
    curl_free(n);
    curl_free(v);
  }
  return out;
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

BIGNUM* number(const std::string& bytes) {
  return BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                   static_cast<int>(bytes.size()), nullptr);
}

// The key as OpenSSL holds it, built from the JWK's numbers.
PkeyPtr public_key(const Jwk& key) {
  PkeyPtr out(nullptr, EVP_PKEY_free);
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  std::string point;
  const bool rsa = key.kty == "RSA";
  if (rsa) {
    n = number(key.n);
    e = number(key.e);
    OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, n);
    OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, e);
  } else {
    point = "\x04" + key.x + key.y;  // uncompressed
    OSSL_PARAM_BLD_push_utf8_string(build, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  }
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, rsa ? "RSA" : "EC", nullptr);
  EVP_PKEY* pkey = nullptr;
  if (ctx && params && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1)
    out.reset(pkey);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(build);
  BN_free(n);
  BN_free(e);
  return out;
}

// A JWS ES256 signature is r||s, 32 bytes each; OpenSSL verifies DER.
std::string der_of_raw_ecdsa(const std::string& raw) {
  if (raw.size() != 64) return {};
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, number(raw.substr(0, 32)), number(raw.substr(32)));
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig, &der);
  std::string out = length > 0 ? std::string(reinterpret_cast<char*>(der), length) : "";
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

}  // namespace

Result<services::HttpReply> OidcClient::get(std::string_view url, std::string_view bearer_token) {
  return exchange(url, nullptr, bearer_token, "", "");
}

Result<services::HttpReply> OidcClient::post_form(
    std::string_view url, const std::vector<std::pair<std::string, std::string>>& form,
    std::string_view user, std::string_view password) {
  CURL* h = curl_easy_init();
  if (!h) return fail(ErrorCode::kInternal, "cannot start an HTTP client");
  const std::string body = form_encode(h, form);
  curl_easy_cleanup(h);
  return exchange(url, &body, "", user, password);
}

Result<services::HttpReply> OidcClient::exchange(std::string_view url, const std::string* form_body,
                                                 std::string_view bearer_token,
                                                 std::string_view user, std::string_view password) {
  HttpCall call{std::string(url), {"Accept: application/json"}};
  if (!bearer_token.empty())
    call.headers.push_back("Authorization: Bearer " + std::string(bearer_token));
  if (form_body) call.body = *form_body;
  call.user = user;
  call.password = password;
  call.timeout_ms = timeout_seconds_ * 1000;
  GONGDAN_ASSIGN(auto answer, http_exchange(call));
  if (answer.too_long) return fail(ErrorCode::kUnavailable, "the answer is over 1 MiB");
  if (!answer.done) return fail(ErrorCode::kUnavailable, answer.error);
  services::HttpReply out;
  out.status = answer.status;
  out.body = std::move(answer.body);
  return out;
}

bool OidcClient::verify_signature(const Jwk& key, const Jwt& token) {
  if ((token.alg == "RS256") != (key.kty == "RSA")) return false;
  const std::string signature =
      token.alg == "ES256" ? der_of_raw_ecdsa(token.signature) : token.signature;
  auto pkey = public_key(key);
  if (!pkey || signature.empty()) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1)
    return false;
  return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(token.signing_input.data()),
                          token.signing_input.size()) == 1;
}

}  // namespace gongdan::channels
