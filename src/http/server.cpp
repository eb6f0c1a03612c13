#include "http/server.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include <thread>

#include "api/json.hpp"
#include "http/static_files.hpp"
#include "http/tls.hpp"
#include "http/websocket_session.hpp"
#include "http/wire.hpp"
#include "util/request_id.hpp"
#include "util/text.hpp"
#include "util/thread_name.hpp"

namespace gongdan::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Server::Impl {
  ServerOptions options;
  const api::Dispatcher& dispatcher;
  Metrics& metrics;
  StreamHub& hub;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::signal_set> signals;
  // With tls_cert and tls_key: the context new connections get, and SIGHUP to reload it.
  std::unique_ptr<TlsContexts> tls;
  std::unique_ptr<net::signal_set> reload_signal;
  std::unique_ptr<net::thread_pool> workers;
  StaticFiles static_files;
  std::size_t next_context = 1;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  // Bytes of request bodies sessions have reserved (being read or handled).
  std::atomic<std::size_t> body_bytes{0};

  bool reserve_body(std::size_t bytes) {
    auto held = body_bytes.load();
    do {
      if (held + bytes > options.body_memory_limit) return false;
    } while (!body_bytes.compare_exchange_weak(held, held + bytes));
    return true;
  }

  Impl(ServerOptions o, const api::Dispatcher& d, Metrics& m, StreamHub& h)
      : options(std::move(o)), dispatcher(d), metrics(m), hub(h), static_files(options.web_root) {
    for (int i = 0; i < std::max(1, options.io_threads); ++i) {
      contexts.push_back(std::make_unique<net::io_context>(1));
      guards.push_back(net::make_work_guard(*contexts.back()));
    }
    workers = std::make_unique<net::thread_pool>(std::max(1, options.worker_threads));
  }

  void accept();
  void wait_for_reload();
  void begin_stop();
};

namespace {

// A request that only reads can run on the I/O thread; anything else may wait for a commit or
// hash a password, so it goes to the worker pool.
bool runs_inline(const api::Request& request) { return api::is_safe_method(request.method); }

// POST /api/v1/kb/articles/<id>/files (a raw body too): an article's image or document.
bool is_kb_files_target(std::string_view target) {
  constexpr std::string_view kHead = "/api/v1/kb/articles/";
  if (!target.starts_with(kHead)) return false;
  target.remove_prefix(kHead.size());
  const auto digits = target.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos) return false;
  target.remove_prefix(digits);
  return target == "/files" || target.starts_with("/files?");
}

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection, plain or TLS (Stream): reads requests one after another (keep-alive), hands
// an upgrade to a WebSocket session.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

 public:
  // `tls` is the context of the connection's whole life (null for plain): a reload replaces
  // the server's, not this one.
  Session(tcp::socket&& socket, Server::Impl& server, std::shared_ptr<TlsContext> tls)
      : tls_(std::move(tls)), stream_(open(std::move(socket), tls_.get())), server_(server) {
    beast::error_code ec;
    auto endpoint = lowest().socket().remote_endpoint(ec);
    if (!ec) peer_ip_ = endpoint.address().to_string();
  }

  ~Session() { release_body(); }

  void start() {
    if constexpr (kTls) {
      // A client that sends nothing, or garbage, is cut off like a slow request.
      lowest().expires_after(server_.options.request_timeout);
      stream_.async_handshake(
          net::ssl::stream_base::server,
          beast::bind_front_handler(&Session::on_handshake, shared_from_this()));
    } else {
      read_next();
    }
  }

 private:
  static Stream open(tcp::socket&& socket, TlsContext* tls) {
    if constexpr (kTls)
      return Stream(std::move(socket), *tls);
    else
      return Stream(std::move(socket));
  }

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void on_handshake(beast::error_code ec) {
    if (ec) return close_socket();  // not TLS, an old version, no shared cipher …
    handshake_done_ = true;
    read_next();
  }

  void release_body() {
    if (body_reserved_) server_.body_bytes.fetch_sub(std::exchange(body_reserved_, 0));
  }

  void read_next() {
    release_body();
    if (server_.stopping) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    // The largest limit of any route: Beast checks Content-Length against it while reading the
    // header, before on_header picks the route's own limit.
    parser_->body_limit(std::max(server_.options.upload_limit, server_.options.mail_limit));
    lowest().expires_after(server_.options.request_timeout);
    beast_http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  // The body limit depends on the request: files may be large, everything else is small.
  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    const auto& header = parser_->get();
    const auto content_type = header[beast_http::field::content_type];
    const bool carries_files =
        header.method() == beast_http::verb::post &&
        (content_type.starts_with("multipart/form-data") ||
         header.target() == "/api/v1/attachments" ||
         header.target().starts_with("/api/v1/attachments?") ||
         is_kb_files_target({header.target().data(), header.target().size()}));
    // Raw mail (mailgate) has its own limit: a message is one body, attachments and all.
    const bool carries_mail = header.method() == beast_http::verb::post &&
                              (header.target() == "/api/v1/mail/inbound" ||
                               header.target().starts_with("/api/v1/mail/inbound?"));
    const std::size_t limit = carries_mail    ? server_.options.mail_limit
                              : carries_files ? server_.options.upload_limit
                                              : server_.options.body_limit;
    const auto length = parser_->content_length();
    if (length && *length > limit) return on_read_error(beast_http::error::body_limit);
    parser_->body_limit(limit);
    // Who sends a large body is known from its headers: a stranger's is refused unread.
    if (carries_mail || carries_files) {
      api::Request head;
      if (to_api_head(header, head)) {
        apply_client_address(head, peer_ip_, server_.options.trusted_proxies);
        head.secure = head.secure || kTls;
        request_id_ = head.request_id;
        if (auto refused = server_.dispatcher.admit_head(head))
          return refuse_unread(std::move(*refused), "unread_body");
      }
    }
    // The memory of bodies in flight is bounded: what cannot be held now waits its turn.
    const std::size_t bytes =
        length ? static_cast<std::size_t>(*length) : (parser_->chunked() ? limit : 0);
    if (bytes > 0 && !server_.reserve_body(bytes)) {
      Error busy{ErrorCode::kUnavailable,
                 "the server is reading as many large requests as it holds at once; try again "
                 "shortly",
                 {}};
      busy.retry_after_seconds = 2;
      return refuse_unread(api::error_response(busy), "body_memory_full");
    }
    body_reserved_ = bytes;
    if (beast::iequals(header[beast_http::field::expect], "100-continue")) {
      // The client waits for this before it sends the body (curl does for large ones).
      auto go_on = std::make_shared<beast_http::response<beast_http::empty_body>>(
          beast_http::status::continue_, header.version());
      return beast_http::async_write(
          stream_, *go_on,
          [self = shared_from_this(), go_on](beast::error_code error, std::size_t) {
            if (error) return self->close();
            self->read_body();
          });
    }
    read_body();
  }

  void read_body() {
    beast_http::async_read(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  // Answers a request without reading its body, then closes the connection (the unread body
  // would otherwise be taken for the next request).
  void refuse_unread(api::Response response, std::string route) {
    server_.in_flight.fetch_add(1);
    started_ = Clock::now();
    keep_alive_ = false;
    unread_body_ = true;
    version_ = parser_->get().version();
    route_ = std::move(route);
    respond(std::move(response), std::string(parser_->get().method_string()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    server_.in_flight.fetch_add(1);
    started_ = Clock::now();
    auto beast_request = parser_->release();
    if (beast::websocket::is_upgrade(beast_request)) return upgrade(std::move(beast_request));
    version_ = beast_request.version();
    keep_alive_ = beast_request.keep_alive();
    auto request = std::make_shared<api::Request>();
    if (auto converted = to_api_request(beast_request, *request); !converted) {
      keep_alive_ = false;
      route_ = "bad_request";
      return respond(api::error_response(converted.error()), "?");
    }
    apply_client_address(*request, peer_ip_, server_.options.trusted_proxies);
    request->secure = request->secure || kTls;
    request_id_ = request->request_id;
    if (auto page = server_.static_files.serve(*request)) {
      route_ = "static";
      return respond(std::move(*page), request->method);
    }
    if (runs_inline(*request)) {
      auto response = server_.dispatcher.handle(*request, route_);
      return respond(std::move(response), request->method);
    }
    if (defer(request)) return;
    net::post(*server_.workers, [self = shared_from_this(), request] {
      std::string route;
      auto response = self->server_.dispatcher.handle(*request, route);
      net::post(self->stream_.get_executor(), [self, request, route = std::move(route),
                                               response = std::move(response)]() mutable {
        self->route_ = std::move(route);
        self->respond(std::move(response), request->method);
      });
    });
  }

  // A write whose route can answer after its commit runs here on the I/O thread, and the
  // writer's completion comes back to this thread: no worker thread is held per request.
  bool defer(const std::shared_ptr<api::Request>& request) {
    auto executor = stream_.get_executor();
    api::Reply reply{
        [executor](std::function<void()> work) { net::post(executor, std::move(work)); },
        [self = shared_from_this(), executor, method = request->method](api::Response r) {
          net::post(executor, [self, method, r = std::move(r)]() mutable {
            self->respond(std::move(r), method);
          });
        }};
    std::string route;
    if (!server_.dispatcher.handle_deferred(request, route, std::move(reply))) return false;
    route_ = std::move(route);
    return true;
  }

  // Only /api/v1/stream upgrades, only for a signed-in caller, only from our own origin (a
  // page elsewhere must not ride the agent's cookie into the stream).
  void upgrade(BeastRequest beast_request) {
    version_ = beast_request.version();
    keep_alive_ = false;
    route_ = "/api/v1/stream";
    BeastRequest copy = beast_request;
    api::Request request;
    auto reject = [&](ErrorCode code, std::string message) {
      respond(api::error_response({code, std::move(message), {}}), "GET");
    };
    if (!to_api_request(copy, request) ||
        (request.path != "/api/v1/stream" && request.path != "/api/v1/chat/stream"))
      return reject(ErrorCode::kNotFound, "no such resource");
    apply_client_address(request, peer_ip_, server_.options.trusted_proxies);
    if (request.path == "/api/v1/chat/stream") return upgrade_visitor(beast_request, request);
    auto origin = request.header("origin");
    auto host = request.header("host");
    if (origin && (!host || (*origin != "http://" + std::string(*host) &&
                             *origin != "https://" + std::string(*host))))
      return reject(ErrorCode::kPermissionDenied, "cross-origin stream connections are refused");
    if (auto admitted = server_.dispatcher.identify_reader(request); !admitted)
      return reject(admitted.error().code, admitted.error().message);
    auto viewer = server_.dispatcher.context().directory.viewer(*request.principal);
    if (!viewer) return reject(viewer.error().code, viewer.error().message);
    server_.metrics.count_request(route_, "GET", 101, 0);
    server_.in_flight.fetch_sub(1);
    start_websocket_session(hand_over(), std::move(beast_request), server_.hub,
                            server_.dispatcher.context(), std::move(*request.principal),
                            std::move(*viewer));
  }

  // A chat visitor's stream: proved by the chat's token (no cookie rides along, so any site's
  // page may open it), hearing its one ticket.
  void upgrade_visitor(BeastRequest& beast_request, api::Request& request) {
    route_ = "/api/v1/chat/stream";
    auto reject = [&](const Error& e) { respond(api::error_response(e), "GET"); };
    auto& context = server_.dispatcher.context();
    if (!context.chat) return reject({ErrorCode::kNotFound, "no such resource", {}});
    auto id = text::parse_id(request.query_value("session").value_or(""));
    auto token = request.query_value("token").value_or("");
    if (!id) return reject({ErrorCode::kInvalidArgument, "send ?session= and ?token=", "session"});
    auto side = context.chat->as_visitor(*id, token);
    if (!side) return reject(side.error());
    auto viewer = context.directory.viewer(side->who);
    if (!viewer) return reject(viewer.error());
    server_.metrics.count_request(route_, "GET", 101, 0);
    server_.in_flight.fetch_sub(1);
    start_websocket_session(hand_over(), std::move(beast_request), server_.hub, context,
                            std::move(side->who), std::move(*viewer), side->ticket.number);
  }

  // The connection, for a WebSocket session; this session does nothing with it afterwards.
  WebSocketTransport hand_over() {
    if constexpr (kTls) {
      lowest().expires_never();  // the WebSocket keeps its own time-outs
      return WebSocketTransport{std::move(stream_), tls_};
    } else {
      return WebSocketTransport{stream_.release_socket(), nullptr};
    }
  }

  void on_read_error(beast::error_code ec) {
    // Socket errors, time-outs and a clean end of stream just close; only a parse error from
    // Beast's HTTP category deserves an answer.
    static const auto& http_category =
        beast_http::make_error_code(beast_http::error::end_of_stream).category();
    if (ec == beast_http::error::end_of_stream || ec.category() != http_category) return close();
    // Anything else is a malformed request: answer once, then close.
    unsigned status = 400;
    std::string message = "the request is not valid HTTP/1.1";
    if (ec == beast_http::error::header_limit) {
      status = 431;
      message = "the request headers are too large";
    } else if (ec == beast_http::error::body_limit) {
      status = 413;
      message = "the request body is larger than the configured limit";
    }
    server_.in_flight.fetch_add(1);
    started_ = Clock::now();
    keep_alive_ = false;
    unread_body_ = true;
    version_ = 11;
    route_ = "malformed";
    api::json::object inner{{"code", status == 413   ? "payload_too_large"
                                     : status == 431 ? "request_header_fields_too_large"
                                                     : "invalid_argument"},
                            {"message", message}};
    auto response = api::json_response(status, api::json::object{{"error", std::move(inner)}});
    respond(std::move(response), "?");
  }

  void respond(api::Response&& response, const std::string& method) {
    const unsigned status = response.status;
    std::string request_id = std::exchange(request_id_, {});
    if (request_id.empty()) request_id = new_request_id();
    response.set_header("X-Request-Id", request_id);
    // Browsers then refuse plain HTTP to this host for max-age; only over TLS (RFC 6797 8.1).
    if (tls_ && server_.options.hsts_max_age > 0)
      response.set_header("Strict-Transport-Security",
                          "max-age=" + std::to_string(server_.options.hsts_max_age));
    const bool keep_alive = keep_alive_ && !server_.stopping;
    response_ = std::make_shared<BeastResponse>(
        to_beast_response(std::move(response), version_, keep_alive));
    const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    server_.metrics.count_request(route_, method, status, seconds);
    if (server_.options.access_log) {
      RequestIdScope id(request_id);
      spdlog::info("{} {} {} {} {:.1f}ms", peer_ip_, method, route_, status, seconds * 1000);
    }
    lowest().expires_after(server_.options.request_timeout);
    beast_http::async_write(stream_, *response_,
                            beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    server_.in_flight.fetch_sub(1);
    release_body();
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    if (!ec && unread_body_) return linger();
    if (ec || !keep_alive) return close();
    read_next();
  }

  // After refusing a body unread: stop sending, and drop what the client still sends for a
  // moment, so closing does not reset the connection before the client has read the answer.
  void linger() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().expires_after(std::chrono::seconds(1));
    discard_ = std::make_shared<std::array<char, 16384>>();
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(*discard_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close_socket();
                              self->drain();
                            });
  }

  // TLS says goodbye (close_notify) before the socket closes, so the client can tell the end
  // from a cut connection; a client that does not answer within seconds is cut anyway.
  void close() {
    if constexpr (kTls) {
      if (handshake_done_) {
        lowest().expires_after(std::chrono::seconds(5));
        return stream_.async_shutdown(
            [self = shared_from_this()](beast::error_code) { self->close_socket(); });
      }
    }
    close_socket();
  }

  void close_socket() {
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest().socket().close(ec);
  }

  std::shared_ptr<TlsContext> tls_;  // before stream_, which uses it
  Stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  std::shared_ptr<BeastResponse> response_;
  std::string peer_ip_;
  std::string route_;
  std::string request_id_;  // of the request being answered
  Clock::time_point started_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  std::size_t body_reserved_ = 0;  // of server_.body_bytes, until the answer is written
  bool unread_body_ = false;       // the answer refused a body it did not read
  std::shared_ptr<std::array<char, 16384>> discard_;
  bool handshake_done_ = false;  // TLS only
};

}  // namespace

void Server::Impl::accept() {
  auto& context = *contexts[next_context++ % contexts.size()];
  acceptor->async_accept(context, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || stopping) return;
      spdlog::warn("accept failed: {}", ec.message());
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      if (tls)
        std::make_shared<Session<TlsStream>>(std::move(socket), *this, tls->current())->start();
      else
        std::make_shared<Session<PlainStream>>(std::move(socket), *this, nullptr)->start();
    }
    accept();
  });
}

// SIGHUP: the certificate and key are read again; connections open keep theirs, new ones get
// the new pair. A pair that does not load leaves the old one serving, and the log says why.
// Without TLS it changes nothing (and no longer ends the process, as it did by default).
void Server::Impl::wait_for_reload() {
  reload_signal->async_wait([this](beast::error_code error, int) {
    if (error) return;
    if (!tls)
      spdlog::info("SIGHUP: nothing to reload (no tls_cert is set)");
    else if (auto reloaded = tls->reload())
      spdlog::info("SIGHUP: loaded the TLS certificate and key again; new connections use them");
    else
      spdlog::error("SIGHUP: kept the current TLS certificate: {}", reloaded.error().message);
    wait_for_reload();
  });
}

void Server::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  net::post(*contexts[0], [this] {
    beast::error_code ec;
    if (acceptor) acceptor->close(ec);
    if (signals) signals->cancel(ec);
    if (reload_signal) reload_signal->cancel(ec);
  });
}

Server::Server(ServerOptions options, const api::Dispatcher& dispatcher, Metrics& metrics,
               StreamHub& hub)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher, metrics, hub)) {}

Server::~Server() = default;

bool Server::serves_tls() const { return !impl_->options.tls_cert.empty(); }

Result<unsigned short> Server::listen() {
  if (serves_tls()) {
    GONGDAN_ASSIGN(auto first, make_tls_context(impl_->options.tls_cert, impl_->options.tls_key));
    impl_->tls = std::make_unique<TlsContexts>(impl_->options.tls_cert, impl_->options.tls_key,
                                               std::move(first));
  }
  beast::error_code ec;
  auto address = net::ip::make_address(impl_->options.host, ec);
  if (ec) return fail(ErrorCode::kInvalidArgument, "not an IP address: " + impl_->options.host);
  tcp::endpoint endpoint{address, impl_->options.port};
  auto acceptor = std::make_unique<tcp::acceptor>(*impl_->contexts[0]);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(ErrorCode::kUnavailable, "cannot listen on " + impl_->options.host + ":" +
                                             std::to_string(impl_->options.port) + ": " +
                                             ec.message());
  auto port = acceptor->local_endpoint().port();
  impl_->acceptor = std::move(acceptor);
  // Signals are caught from here on, before anyone is told the port: a SIGTERM sent the moment
  // the listening line appears must still drain and exit cleanly.
  auto& impl = *impl_;
  impl.signals = std::make_unique<net::signal_set>(*impl.contexts[0], SIGINT, SIGTERM);
  impl.signals->async_wait([&impl](beast::error_code error, int signal) {
    if (error) return;
    spdlog::info("signal {} received; finishing in-flight requests", signal);
    impl.begin_stop();
  });
  impl.reload_signal = std::make_unique<net::signal_set>(*impl.contexts[0], SIGHUP);
  impl.wait_for_reload();
  return port;
}

void Server::run() {
  auto& impl = *impl_;
  impl.accept();
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl.contexts.size(); ++i)
    threads.emplace_back([&impl, i] {
      name_this_thread("gd-io");
      impl.contexts[i]->run();
    });
  std::thread drainer([&impl] {
    name_this_thread("gd-drain");
    while (!impl.stopping) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto deadline = Clock::now() + impl.options.drain_timeout;
    while (impl.in_flight > 0 && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (impl.in_flight > 0)
      spdlog::warn("{} requests still running at shutdown", impl.in_flight.load());
    for (auto& context : impl.contexts) context->stop();
  });
  impl.contexts[0]->run();  // the main thread keeps the process name (pkill, ps)
  for (auto& t : threads) t.join();
  drainer.join();
  impl.workers->join();
}

void Server::stop() { impl_->begin_stop(); }

}  // namespace gongdan::http
