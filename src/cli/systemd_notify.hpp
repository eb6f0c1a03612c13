// systemd's readiness protocol (sd_notify(3)), written out: one datagram to the unix socket named
// by NOTIFY_SOCKET. A Type=notify unit counts as started only once READY=1 arrives, so units
// ordered after gongdan (and `systemctl start`) wait until it listens. Without NOTIFY_SOCKET
// (not run by systemd) it does nothing.
#pragma once

#include <string_view>

namespace gongdan::cli {

// Sends `state` ("READY=1\nSTATUS=…", "STOPPING=1"); returns false when there is no socket to
// send to or the send failed (never fatal: the server works the same without systemd).
bool notify_systemd(std::string_view state);

}  // namespace gongdan::cli
