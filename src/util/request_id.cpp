#include "util/request_id.hpp"

#include <sodium.h>

#include <array>

namespace gongdan {
namespace {

thread_local const std::string* t_request_id = nullptr;

}  // namespace

const std::string& current_request_id() {
  static const std::string kNone;
  return t_request_id != nullptr ? *t_request_id : kNone;
}

std::string new_request_id() {
  std::array<unsigned char, 8> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0xF]);
  }
  return id;
}

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

RequestIdScope::RequestIdScope(std::string id) : id_(std::move(id)), previous_(t_request_id) {
  t_request_id = &id_;
}

RequestIdScope::~RequestIdScope() { t_request_id = previous_; }

}  // namespace gongdan
