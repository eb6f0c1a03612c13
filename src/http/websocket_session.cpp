#include "http/websocket_session.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>

#include <deque>

namespace gongdan::http {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace json = boost::json;

constexpr std::size_t kMaxQueued = 512;
constexpr std::size_t kMaxIncoming = 4096;

// Next: beast::tcp_stream, or beast::ssl_stream over one.
template <class Next>
class WebSocketSession final : public StreamClient,
                               public std::enable_shared_from_this<WebSocketSession<Next>> {
  using std::enable_shared_from_this<WebSocketSession<Next>>::shared_from_this;
  using std::enable_shared_from_this<WebSocketSession<Next>>::weak_from_this;

 public:
  template <class Connection>
  WebSocketSession(Connection&& connection, std::shared_ptr<TlsContext> tls, StreamHub& hub,
                   api::ApiContext& context, services::Principal principal, Viewer viewer,
                   std::optional<std::int64_t> only_ticket)
      : only_ticket_(only_ticket),
        tls_(std::move(tls)),
        ws_(std::forward<Connection>(connection)),
        hub_(hub),
        context_(context),
        principal_(std::move(principal)),
        viewer_(std::move(viewer)) {}

  ~WebSocketSession() override {
    if (joined_) hub_.leave(id_);
  }

  void start(BeastRequest request) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(kMaxIncoming);
    ws_.async_accept(request,
                     beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
  }

  void end() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      self->joined_ = false;  // the hub already forgot this connection
      if (!self->closed_) self->close();
    });
  }

  bool send(std::shared_ptr<const std::string> text) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)] {
      if (self->closed_) return;
      if (self->queue_.size() >= kMaxQueued) {
        self->close();  // too far behind: the client reconnects and reloads
        return;
      }
      self->queue_.push_back(text);
      if (self->queue_.size() == 1) self->write_next();
    });
    return true;
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return;
    id_ = hub_.join(weak_from_this(),
                    StreamMember{principal_.user.id, principal_.user.name, viewer_, principal_.via,
                                 principal_.credential_id, only_ticket_});
    joined_ = true;
    send(std::make_shared<const std::string>(
        json::serialize(json::object{{"type", "hello"}, {"user", principal_.user.id}})));
    read_next();
  }

  void read_next() {
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      closed_ = true;
      return;
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    handle(text);
    read_next();
  }

  void handle(const std::string& text) {
    boost::system::error_code ec;
    auto value = json::parse(text, ec);
    const auto* o = ec ? nullptr : value.if_object();
    const auto* type = o ? o->if_contains("type") : nullptr;
    if (!type || !type->is_string()) return reply_error("send a JSON object with a type");
    if (type->as_string() == "ping") {
      send(std::make_shared<const std::string>(R"({"type":"pong"})"));
      return;
    }
    if (type->as_string() == "work" && !only_ticket_) return work(*o);
    if (type->as_string() != "presence" || only_ticket_) return reply_error("unknown message type");
    const auto* number = o->if_contains("ticket");
    const auto* state = o->if_contains("state");
    if (!number || !number->is_int64() || !state || !state->is_string())
      return reply_error("presence needs ticket and state");
    const auto s = state->as_string();
    if (s != "viewing" && s != "replying" && s != "left")
      return reply_error("state is viewing, replying or left");
    // Presence only on tickets this person may see: the same check as GET /tickets/{number}.
    auto ticket = context_.tickets.get(principal_, number->as_int64());
    if (!ticket) return reply_error("no such ticket");
    hub_.set_presence(id_, *ticket, s);
  }

  // A handle-time heartbeat ({"type":"work","ticket":N,"ms":M}), as POST
  // /api/v1/tickets/{N}/work-time; a refusal is an error message with the route's text.
  void work(const json::object& o) {
    const auto* number = o.if_contains("ticket");
    const auto* ms = o.if_contains("ms");
    if (!number || !number->is_int64() || !ms || !ms->is_int64())
      return reply_error("work needs ticket and ms");
    auto* service = hub_.work_time();
    if (!service) return reply_error("time spent is not recorded here");
    auto counted = service->beat(principal_, number->as_int64(), ms->as_int64());
    if (!counted) return reply_error(counted.error().message);
  }

  void reply_error(std::string_view message) {
    send(std::make_shared<const std::string>(
        json::serialize(json::object{{"type", "error"}, {"message", message}})));
  }

  void write_next() {
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) {
      closed_ = true;
      queue_.clear();
      return;
    }
    queue_.pop_front();
    if (!queue_.empty()) write_next();
  }

  void close() {
    closed_ = true;
    queue_.clear();
    ws_.async_close(websocket::close_code::policy_error,
                    [self = shared_from_this()](beast::error_code) {});
  }

  std::optional<std::int64_t> only_ticket_;
  std::shared_ptr<TlsContext> tls_;  // before ws_, whose TLS stream was made with it
  websocket::stream<Next> ws_;
  beast::flat_buffer buffer_;
  StreamHub& hub_;
  api::ApiContext& context_;
  services::Principal principal_;
  Viewer viewer_;
  StreamHub::ClientId id_ = 0;
  bool joined_ = false;
  bool closed_ = false;
  std::deque<std::shared_ptr<const std::string>> queue_;  // used on the socket's executor only
};

}  // namespace

void start_websocket_session(WebSocketTransport transport, BeastRequest request, StreamHub& hub,
                             api::ApiContext& context, services::Principal principal, Viewer viewer,
                             std::optional<std::int64_t> only_ticket) {
  std::visit(
      [&]<class Connection>(Connection& connection) {
        using Next = std::conditional_t<std::is_same_v<Connection, net::ip::tcp::socket>,
                                        beast::tcp_stream, Connection>;
        auto session = std::make_shared<WebSocketSession<Next>>(
            std::move(connection), std::move(transport.tls), hub, context, std::move(principal),
            std::move(viewer), only_ticket);
        session->start(std::move(request));
      },
      transport.connection);
}

}  // namespace gongdan::http
