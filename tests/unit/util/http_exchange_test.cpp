#include "util/http_exchange.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace gongdan {
namespace {

// A one-exchange HTTP server on a free loopback port: keeps the request it read and answers
// `answer` whole.
class OneShotServer {
 public:
  explicit OneShotServer(std::string answer) : answer_(std::move(answer)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&addr), len), 0);
    EXPECT_EQ(listen(listener_, 1), 0);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneShotServer() {
    if (thread_.joinable()) thread_.join();
    close(listener_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/in"; }
  const std::string& request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  void serve() {
    const int fd = accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    char buf[4096];
    // Headers, then as much body as Content-Length says.
    while (request_.find("\r\n\r\n") == std::string::npos || !body_complete()) {
      const auto n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      request_.append(buf, static_cast<std::size_t>(n));
    }
    for (std::size_t sent = 0; sent < answer_.size();) {
      // The client may hang up on an answer too long for it: no SIGPIPE then.
      const auto n = send(fd, answer_.data() + sent, answer_.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    close(fd);
  }
  bool body_complete() const {
    const auto end = request_.find("\r\n\r\n");
    const auto at = request_.find("Content-Length: ");
    if (at == std::string::npos || at > end) return true;
    return request_.size() - end - 4 >= std::stoul(request_.substr(at + 16));
  }

  std::string answer_;
  int listener_ = -1;
  int port_ = 0;
  std::string request_;
  std::thread thread_;
};

std::string refusal(std::size_t body_size) {
  return "HTTP/1.1 400 Bad Request\r\nContent-Length: " + std::to_string(body_size) +
         "\r\nConnection: close\r\n\r\n" + std::string(body_size, 'x');
}

TEST(HttpExchange, PostsTheBodyAndDropsAnAnswerOverTheBound) {
  OneShotServer server(refusal(200000));
  const std::string body = "raw message";
  HttpCall call{server.url(), {"Content-Type: message/rfc822"}};
  call.body = body;
  call.max_bytes = 64 * 1024;
  auto answer = http_exchange(call);
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->too_long);
  EXPECT_FALSE(answer->done);
  EXPECT_TRUE(answer->body.empty());
  const auto& request = server.request();
  EXPECT_EQ(request.rfind("POST /in HTTP/1.1\r\n", 0), 0U);
  EXPECT_NE(request.find("Content-Type: message/rfc822\r\n"), std::string::npos);
  EXPECT_EQ(request.substr(request.size() - body.size()), body);
}

TEST(HttpExchange, KeepsTheStartOfAnOverlongAnswerWhenAsked) {
  OneShotServer server(refusal(200000));
  HttpCall call{server.url(), {}};
  call.max_bytes = 64 * 1024;
  call.keep_truncated = true;
  auto answer = http_exchange(call);
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->done);
  EXPECT_FALSE(answer->too_long);
  EXPECT_EQ(answer->status, 400);
  EXPECT_EQ(answer->body, std::string(64 * 1024, 'x'));
  EXPECT_EQ(server.request().rfind("GET /in HTTP/1.1\r\n", 0), 0U);
}

}  // namespace
}  // namespace gongdan
