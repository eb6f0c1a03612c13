// One live-updates connection: a WebSocket on /api/v1/stream, accepted after the upgrade
// request was authenticated like any API call. Sends hub events; reads presence messages
// ({"type":"presence","ticket":12,"state":"viewing|replying|left"}) and pings. A chat
// visitor's connection (only_ticket) hears its one ticket and sends pings only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "api/context.hpp"
#include "http/stream_hub.hpp"
#include "http/wire.hpp"

namespace gongdan::http {

void start_websocket_session(boost::asio::ip::tcp::socket socket, BeastRequest request,
                             StreamHub& hub, api::ApiContext& context,
                             services::Principal principal, Viewer viewer,
                             std::optional<std::int64_t> only_ticket = std::nullopt);

}  // namespace gongdan::http
