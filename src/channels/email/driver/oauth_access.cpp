#include "channels/email/driver/oauth_access.hpp"

#include <curl/curl.h>

#include <chrono>
#include <map>
#include <mutex>

#include "channels/identity/oidc_client.hpp"

namespace gongdan::email {
namespace {

using Clock = std::chrono::steady_clock;

struct Entry {
  std::string access_token;
  Clock::time_point expires{};
  std::string refresh_token;  // the newest the endpoint handed; empty: the client's own
};

struct Cache {
  std::mutex mutex;
  std::map<std::string, Entry> entries;
};

Cache& cache() {
  static Cache c;
  return c;
}

std::string key_of(const OAuthClient& client) {
  return client.token_url + '\n' + client.client_id + '\n' + client.refresh_token;
}

}  // namespace

Result<std::string> oauth_access_token(const OAuthClient& client) {
  const std::string key = key_of(client);
  std::string refresh = client.refresh_token;
  {
    std::lock_guard lock(cache().mutex);
    if (auto it = cache().entries.find(key); it != cache().entries.end()) {
      if (!it->second.access_token.empty() && Clock::now() < it->second.expires)
        return it->second.access_token;
      if (!it->second.refresh_token.empty()) refresh = it->second.refresh_token;
    }
  }
  std::vector<std::pair<std::string, std::string>> form{
      {"grant_type", "refresh_token"}, {"refresh_token", refresh}, {"client_id", client.client_id}};
  if (!client.client_secret.empty()) form.emplace_back("client_secret", client.client_secret);
  if (!client.scope.empty()) form.emplace_back("scope", client.scope);
  channels::OidcClient http(10);
  auto reply = http.post_form(client.token_url, form, "", "");
  if (!reply)
    return fail(ErrorCode::kUnavailable,
                "OAuth2 token endpoint " + client.token_url + ": " + reply.error().message);
  auto tokens = read_oauth_token_answer(reply->status, reply->body);
  if (!tokens) return fail(ErrorCode::kUnavailable, "OAuth2: " + tokens.error().message);
  std::lock_guard lock(cache().mutex);
  auto& entry = cache().entries[key];
  entry.access_token = tokens->access_token;
  // A minute early, so a token never expires between this answer and the server's check.
  const auto lifetime = std::max<std::int64_t>(tokens->expires_in_seconds - 60, 0);
  entry.expires = Clock::now() + std::chrono::seconds(lifetime);
  if (!tokens->refresh_token.empty()) entry.refresh_token = tokens->refresh_token;
  return entry.access_token;
}

void forget_oauth_access_token(const OAuthClient& client) {
  std::lock_guard lock(cache().mutex);
  if (auto it = cache().entries.find(key_of(client)); it != cache().entries.end())
    it->second.access_token.clear();
}

std::optional<std::string> rotated_refresh_token(const OAuthClient& client) {
  std::lock_guard lock(cache().mutex);
  auto it = cache().entries.find(key_of(client));
  if (it == cache().entries.end() || it->second.refresh_token.empty() ||
      it->second.refresh_token == client.refresh_token)
    return std::nullopt;
  return it->second.refresh_token;
}

void set_mail_login(void* handle, const std::string& user, const std::string& password,
                    const std::string& bearer) {
  auto* curl = static_cast<CURL*>(handle);
  curl_easy_setopt(curl, CURLOPT_USERNAME, user.c_str());
  if (bearer.empty()) {
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
  } else {
    curl_easy_setopt(curl, CURLOPT_XOAUTH2_BEARER, bearer.c_str());
    curl_easy_setopt(curl, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
  }
}

}  // namespace gongdan::email
