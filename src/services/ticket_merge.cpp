// Merge, split and links: commands that touch two tickets in one write.
#include "services/ticket_write.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"

namespace gongdan::services {
namespace {

// Merging, splitting and linking are for staff with tickets.merge.
Result<void> agents_only(const Viewer& viewer, std::string_view what) {
  if (viewer.is_agent() && viewer.can(Permission::kMergeTickets)) return {};
  return fail(ErrorCode::kPermissionDenied, "only agents may " + std::string(what) + " tickets");
}

}  // namespace

Result<Ticket> TicketsService::merge(const Principal& who, std::int64_t source_number,
                                     std::int64_t target_number) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_TRY(agents_only(viewer, "merge"));
  if (source_number == target_number)
    return fail(ErrorCode::kInvalidArgument, "a ticket cannot be merged into itself", "into");
  const Status* closed = catalog->default_status(StatusCategory::kClosed);
  if (!closed) return fail(ErrorCode::kConflict, "no active status in the closed category");
  Ticket result;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto source, visible_ticket(c, viewer, source_number));
    auto target_found = visible_ticket(c, viewer, target_number);
    if (!target_found) {
      auto error = target_found.error();
      error.field = "into";
      return fail(std::move(error));
    }
    auto target = *target_found;
    if (source.merged_into) return fail(ErrorCode::kConflict, "this ticket is already merged");
    if (target.merged_into)
      return fail(ErrorCode::kConflict, "the target was itself merged into another ticket", "into");
    const Millis now = clock_.now_ms();
    TicketWrite w{c, *catalog, who, now, "merge", db_, &hooks_};
    w.assigner = assigner_;
    GONGDAN_TRY(store::move_messages(c, source.id, target.id));
    GONGDAN_TRY(store::move_events(c, source.id, target.id));
    GONGDAN_ASSIGN(auto followers, store::list_followers(c, source.id));
    GONGDAN_TRY(store::add_follower(c, target.id, source.requester_id));
    for (auto f : followers) GONGDAN_TRY(store::add_follower(c, target.id, f));
    Ticket closed_source = source;
    set_status(closed_source, *closed, now);
    closed_source.merged_into = target.number;
    GONGDAN_ASSIGN(auto saved_source, w.save(source, closed_source));
    GONGDAN_TRY(
        w.event(target.id, "merged_from", std::nullopt, "#" + std::to_string(source.number)));
    Ticket touched = target;
    GONGDAN_ASSIGN(result, w.save(target, touched));
    GONGDAN_TRY(w.publish(events_, "ticket.updated", saved_source));
    GONGDAN_TRY(w.publish(events_, "ticket.updated", result));
    return {};
  }));
  return result;
}

Result<Ticket> TicketsService::split(const Principal& who, std::int64_t number,
                                     std::int64_t message_id) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_TRY(agents_only(viewer, "split"));
  Ticket created;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto source, visible_ticket(c, viewer, number));
    GONGDAN_ASSIGN(auto message, store::find_message(c, message_id));
    if (!message || message->ticket_id != source.id)
      return fail(ErrorCode::kNotFound, "no such message on this ticket", "message_id");
    GONGDAN_ASSIGN(auto first, store::list_messages(c, source.id, true, 0, 1));
    if (!first.empty() && first.front().id == message_id)
      return fail(ErrorCode::kInvalidArgument, "the first message cannot be split off",
                  "message_id");
    const Millis now = clock_.now_ms();
    TicketWrite w{c, *catalog, who, now, "split", db_, &hooks_};
    Ticket fresh = source;
    fresh.id = 0;
    fresh.merged_into.reset();
    fresh.first_response_at.reset();
    fresh.solved_at.reset();
    std::string subject = "Split from #" + std::to_string(source.number) + ": " + source.subject;
    if (subject.size() > kMaxSubjectLength) subject = source.subject;
    fresh.subject = subject;
    if (const auto* open = catalog->default_status(StatusCategory::kOpen))
      set_status(fresh, *open, now);
    GONGDAN_ASSIGN(created, w.insert(fresh));
    GONGDAN_TRY(store::move_message(c, message_id, created.id));
    GONGDAN_TRY(store::put_link(c, created.id, source.id, "related"));
    GONGDAN_TRY(store::put_link(c, source.id, created.id, "related"));
    GONGDAN_TRY(w.event(source.id, "split_to", std::nullopt, "#" + std::to_string(created.number)));
    GONGDAN_TRY(w.publish(events_, "ticket.created", created));
    return {};
  }));
  return created;
}

Result<void> TicketsService::link(const Principal& who, std::int64_t number, std::int64_t other,
                                  LinkKind kind) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_TRY(agents_only(viewer, "link"));
  if (number == other)
    return fail(ErrorCode::kInvalidArgument, "a ticket cannot link to itself", "ticket");
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto a, visible_ticket(c, viewer, number));
    auto b = visible_ticket(c, viewer, other);
    if (!b) return fail(ErrorCode::kNotFound, "no such ticket", "ticket");
    TicketWrite w{c, *catalog, who, clock_.now_ms(), "api", db_};
    GONGDAN_TRY(store::put_link(c, a.id, b->id, link_kind_name(kind)));
    GONGDAN_TRY(store::put_link(c, b->id, a.id, link_kind_name(reverse_link(kind))));
    GONGDAN_TRY(w.event(a.id, "link", std::nullopt,
                        std::string(link_kind_name(kind)) + " #" + std::to_string(b->number)));
    return w.event(
        b->id, "link", std::nullopt,
        std::string(link_kind_name(reverse_link(kind))) + " #" + std::to_string(a.number));
  });
}

Result<void> TicketsService::unlink(const Principal& who, std::int64_t number, std::int64_t other) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_TRY(agents_only(viewer, "unlink"));
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto a, visible_ticket(c, viewer, number));
    auto b = visible_ticket(c, viewer, other);
    if (!b) return fail(ErrorCode::kNotFound, "no such link");
    GONGDAN_ASSIGN(bool removed, store::delete_link(c, a.id, b->id));
    if (!removed) return fail(ErrorCode::kNotFound, "no such link");
    GONGDAN_TRY(store::delete_link(c, b->id, a.id));
    TicketWrite w{c, *catalog, who, clock_.now_ms(), "api", db_};
    return w.event(a.id, "link", "#" + std::to_string(b->number), std::nullopt);
  });
}

Result<std::vector<TicketLink>> TicketsService::links(const Principal& who, std::int64_t number) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  std::vector<TicketLink> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto ticket, visible_ticket(c, viewer, number));
    GONGDAN_ASSIGN(out, store::list_links(c, ticket.id));
    // Links to tickets the viewer cannot see are left out, so they reveal nothing.
    std::vector<TicketLink> visible;
    for (auto& l : out)
      if (visible_ticket(c, viewer, l.other_number)) visible.push_back(std::move(l));
    out = std::move(visible);
    return {};
  }));
  return out;
}

}  // namespace gongdan::services
