// Inbound sources: IM bots, customer-service apps and PBXs whose webhooks bring customers in.
// Each source is a declared resource (`inbound-sources`, admins only) with its secrets sealed
// like mailbox passwords. What its webhook delivers, once channels/im has checked the signature
// and parsed the body, is taken in here in one write:
//   - the provider's event id is claimed first (UNIQUE per source), so a provider's retries of
//     one event make one message, however they race;
//   - the sender is found by the identity the provider knows them by (provider_identities),
//     or becomes a new contact (named as the provider names them; no address is mailed);
//   - the message is added to the ticket the sender's last message went to while it is
//     unsolved, or opens a new ticket (channel "im"; "phone" for calls) in the source's
//     department, assigned like any other.
// An agent's public reply on such a ticket goes back through the same source: a row in the IM
// outbox and its job (jobs/im_reply_job), with the job queue's retries and dead letters.
//
// Threads: every method may be called from any thread; state is the database's.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/inbound_source.hpp"
#include "domain/resource.hpp"
#include "services/attachment_files.hpp"
#include "services/directory.hpp"
#include "services/job_queue.hpp"
#include "services/provider_files.hpp"
#include "services/provider_requests.hpp"
#include "services/resource_service.hpp"
#include "services/secret_box.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_events_bus.hpp"
#include "services/ticket_hooks.hpp"
#include "services/tickets_service.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

const Resource<InboundSource>& inbound_source_resource();

// A source with its secrets opened, for its endpoint's checks and for sending replies.
struct OpenedSource {
  InboundSource source;
  std::string signing_secret;
  std::string api_token;
  std::string aes_key;
};

enum class InboundResult { kCreated, kAdded, kDuplicate };

struct InboundOutcome {
  InboundResult result = InboundResult::kCreated;
  std::int64_t ticket_number = 0;
  std::int64_t message_id = 0;
};

// A call the PBX reported (channels/im parse_call_event), as the service needs it.
struct CallReport {
  std::string event_id;
  std::string kind;  // ringing, answered, missed, ended
  std::string number;
  std::string name;
  std::string direction = "inbound";
  std::optional<std::int64_t> agent_id;
  std::int64_t duration_seconds = 0;
  std::string recording_url;
};

struct CallOutcome {
  bool duplicate = false;
  std::int64_t contact_id = 0;
  std::vector<std::int64_t> open_tickets;     // numbers, newest first
  std::optional<std::int64_t> ticket_number;  // a missed call's new ticket, or the logged one
};

class InboundService final : public ReplyMailer {
 public:
  InboundService(store::Database& db, const Clock& clock, Directory& directory,
                 TicketEventBus& events, const SecretBox& secrets, JobQueue& jobs)
      : db_(db),
        clock_(clock),
        directory_(directory),
        events_(events),
        secrets_(secrets),
        jobs_(jobs) {}

  // Declares the resource with its checks.
  void add_to(Resources& resources);
  // The tickets service's hooks (SLA, webhooks), run inside each write as in any other.
  void set_ticket_hooks(const std::vector<TicketHook*>* hooks) { hooks_ = hooks; }
  void set_assigner(Assigner* assigner) { assigner_ = assigner; }
  // New tickets run the creation triggers through it (TicketsService::run_creation_triggers).
  void set_tickets(class TicketsService* tickets) { tickets_ = tickets; }

  // The active source behind an endpoint, secrets opened; kNotFound otherwise.
  Result<OpenedSource> source(std::int64_t id);
  // Takes one checked message in (see above). Its files (at most kMaxInboundFiles) are each an
  // im_file job (jobs/im_file_job) queued in the same write; a message of files alone reads as
  // their names.
  Result<InboundOutcome> take(const InboundSource& source, InboundMessage message);
  // For that job: the fetched bytes stored and attached to message `message_id` (once, however
  // often the job runs), and an "attachment.created" live event for its ticket, so an open desk
  // shows the file without a reload. kInvalidArgument when the message is gone or the file empty.
  Result<void> attach_file(std::int64_t message_id, std::string_view name,
                           std::string_view claimed_type, std::string_view bytes);
  // For that job: how a WeCom, Feishu or DingTalk file is fetched (provider_media), with the
  // source's app secret; nullopt when the source lacks its app id or secret.
  std::optional<ImDelivery> media_request(const OpenedSource& source,
                                          std::string_view reference) const;
  // Where fetched files are stored (the attachments' blob store); set when the install opens.
  void set_files(AttachmentFiles* files) { files_ = files; }
  // A PBX's call event: the caller is matched by phone (a contact is made for an unknown
  // number); ringing notifies the agent it names with the contact's open tickets; a missed
  // call opens a ticket; an ended call with a recording logs the call on the newest open one.
  Result<CallOutcome> take_call(const InboundSource& source, const CallReport& call);

  // ReplyMailer: an agent's public reply on a ticket whose last message came from a source
  // that takes replies (generic with a reply URL; Telegram, WeCom, DingTalk and Feishu with
  // their app's credentials) is queued back to its sender.
  Result<void> on_public_reply(store::Connection& c, const Ticket& ticket, const Message& message,
                               const MailCopies& copies) override;
  Result<void> on_customer_ticket(store::Connection&, const Ticket&) override { return {}; }

  // WeCom customer service: a callback said messages wait for `open_kfid`; one im_sync job
  // (jobs/im_sync_job) pulls them with the callback's token, however often WeCom repeats it.
  Result<void> queue_sync(const InboundSource& source, std::string_view sync_token,
                          std::string_view open_kfid);
  // For that job: the next kf/sync_msg call, from the cursor the last pull left (nothing when
  // the source lacks its CorpID or Secret), and the cursor to keep once a page is taken in.
  Result<std::optional<ImDelivery>> sync_request(const OpenedSource& source,
                                                 std::string_view sync_token,
                                                 std::string_view open_kfid);
  Result<void> save_sync_cursor(std::int64_t source_id, std::string_view cursor);

  // A reply's files (its attachments, at most kMaxInboundFiles) each go by an im_reply_file job
  // (jobs/im_reply_file_job) queued with the reply, for Telegram, WeCom, Feishu and DingTalk
  // sources (services/provider_files). For that job: the reply's source, recipient and file,
  // or nothing when the reply or the file is gone; kInvalidArgument when its source was removed
  // or takes no replies now.
  struct FileToSend {
    OpenedSource source;
    std::string external_id;
    ReplyFile file;
  };
  Result<std::optional<FileToSend>> prepare_reply_file(std::int64_t outbound_id,
                                                       std::int64_t attachment_id);
  // The secret a provider's access token is asked for with (DingTalk's is its signing secret;
  // Telegram's bot token).
  static std::string_view app_secret(const OpenedSource& source);

  // For the reply job: what outbound reply `id` posts, or nothing when it is gone or sent.
  Result<std::optional<ImDelivery>> prepare_reply(std::int64_t id);
  // One try: `error` empty when the provider took it; `last` when the job gives up after it.
  Result<void> record_reply_attempt(std::int64_t id, std::string_view error, bool last);
  // How replies sent back through a source stand, by ticket message.
  Result<std::map<std::int64_t, OutboundIm>> replies(const std::vector<std::int64_t>& message_ids);

 private:
  struct Taking;  // take()'s steps (inbound_taking.cpp)

  Result<void> check(const InboundSource& source) const;
  Result<OpenedSource> opened(InboundSource source) const;

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  TicketEventBus& events_;
  const SecretBox& secrets_;
  JobQueue& jobs_;
  AttachmentFiles* files_ = nullptr;
  const std::vector<TicketHook*>* hooks_ = nullptr;
  Assigner* assigner_ = nullptr;
  class TicketsService* tickets_ = nullptr;
};

}  // namespace gongdan::services
