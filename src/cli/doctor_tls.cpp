// `gongdan doctor`'s look at the built-in server's TLS files (cli/doctor.hpp): they load as the
// server would load them (readable, PEM, the key belongs to the certificate), and the
// certificate is not about to expire.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include "cli/doctor.hpp"
#include "http/tls.hpp"

namespace gongdan::cli::doctor {
namespace {

std::string utc(std::chrono::sys_seconds when) {
  return fmt::format("{:%Y-%m-%d %H:%M} UTC",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(when)));
}

}  // namespace

void check_tls(const Config& config, Findings& out) {
  if (config.tls_cert.empty()) return;  // plain HTTP, usually behind a proxy that does TLS
  auto facts = http::inspect_tls_files(config.tls_cert, config.tls_key);
  if (!facts) {
    out.error("tls", facts.error().message,
              "point tls_cert at the PEM certificate chain (the server's certificate first) and "
              "tls_key at its unencrypted PEM private key, both readable by this user");
    return;
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto expires = utc(facts->not_after);
  const auto subject = facts->subject + " (" + config.tls_cert + ")";
  if (facts->not_after <= now) {
    out.error("tls", "the certificate " + subject + " expired on " + expires,
              "renew it, replace the files and send the server SIGHUP (systemctl reload gongdan)");
  } else if (facts->not_before > now) {
    out.error("tls", "the certificate " + subject + " is valid only from " + utc(facts->not_before),
              "check this machine's clock, or use a certificate that is valid now");
  } else if (facts->not_after - now < std::chrono::days(14)) {
    const auto days = std::chrono::floor<std::chrono::days>(facts->not_after - now).count();
    out.warn("tls",
             "the certificate " + subject + " expires in " + std::to_string(days) + " day(s), on " +
                 expires,
             "renew it, replace the files and send the server SIGHUP (systemctl reload gongdan)");
  } else {
    out.ok("tls", "the certificate " + subject + " and its key match; valid until " + expires);
  }
}

}  // namespace gongdan::cli::doctor
