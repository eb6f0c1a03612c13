#include "cli/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "util/request_id.hpp"
#include "util/text.hpp"

namespace gongdan::cli {
namespace {

// %* in a text pattern: "[id] " inside a request's scope, nothing outside.
class RequestIdFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const auto& id = current_request_id();
    if (id.empty()) return;
    dest.push_back('[');
    dest.append(id.data(), id.data() + id.size());
    dest.append(std::string_view("] "));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>();
  }
};

// A JSON string's contents: quotes, backslashes and control characters escaped; bytes that are
// not UTF-8 (a header quoted from a broken mail) become U+FFFD, so every line stays valid JSON.
void append_json_string(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    auto code = text::decode_utf8(s, i);
    if (!code) {
      out += "\\ufffd";
      i = start + 1;
      continue;
    }
    const char32_t c = *code;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out.append(s.substr(start, i - start));
    }
  }
}

class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char time[40];
    std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%S", &utc);
    std::string line = "{\"time\":\"";
    line += time;
    line += fmt::format(".{:03}Z\",\"level\":\"", ms % 1000);
    const auto level = spdlog::level::to_string_view(msg.level);
    line.append(level.data(), level.size());
    line += '"';
    if (const auto& id = current_request_id(); !id.empty()) {
      line += ",\"request_id\":\"";
      line += id;  // is_valid_request_id: nothing to escape
      line += '"';
    }
    line += ",\"message\":\"";
    append_json_string(line, std::string_view(msg.payload.data(), msg.payload.size()));
    line += "\"}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

// Logs go to stderr, apart from what a command prints for its user on stdout (the listening
// line, a new admin's password, `user list`): a JSON log stays pure JSON.
void configure_logging(const std::string& level, const std::string& format) {
  auto logger =
      std::make_shared<spdlog::logger>("", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_level(spdlog::level::from_str(level));
  if (format == "json") {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    auto text = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    text->add_flag<RequestIdFlag>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %*%v");
    logger->set_formatter(std::move(text));
  }
  spdlog::set_default_logger(std::move(logger));
}

void configure_command_logging(const std::string& configured_level) {
  configure_logging(configured_level == "info" ? "warn" : configured_level);
}

}  // namespace gongdan::cli
