// One live-updates connection: a WebSocket on /api/v1/stream, accepted after the upgrade
// request was authenticated like any API call. Sends hub events; reads presence messages
// ({"type":"presence","ticket":12,"state":"viewing|replying|left"}), handle-time heartbeats
// ({"type":"work","ticket":12,"ms":30000}) and pings. A chat
// visitor's connection (only_ticket) hears its one ticket and sends pings only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <variant>

#include "api/context.hpp"
#include "http/stream_hub.hpp"
#include "http/tls.hpp"
#include "http/wire.hpp"

namespace gongdan::http {

// The connection an HTTP session hands over: a plain socket, or a TLS stream past its
// handshake together with the context it was made with (kept alive as long as the stream).
struct WebSocketTransport {
  std::variant<boost::asio::ip::tcp::socket, boost::beast::ssl_stream<boost::beast::tcp_stream>>
      connection;
  std::shared_ptr<TlsContext> tls;
};

void start_websocket_session(WebSocketTransport transport, BeastRequest request, StreamHub& hub,
                             api::ApiContext& context, services::Principal principal, Viewer viewer,
                             std::optional<std::int64_t> only_ticket = std::nullopt);

}  // namespace gongdan::http
