#include "services/import_service.hpp"

#include <functional>

#include <boost/json.hpp>

#include "domain/attachment_name.hpp"
#include "domain/department.hpp"
#include "domain/search_text.hpp"
#include "markup/html_sanitizer.hpp"
#include "markup/html_text.hpp"
#include "services/catalog/catalog_resources.hpp"
#include "services/ticket_write.hpp"
#include "store/attachments_store.hpp"
#include "store/catalog_store.hpp"
#include "store/database.hpp"
#include "store/import_store.hpp"
#include "store/resource_store.hpp"
#include "store/search_index.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr std::string_view kTicket = "ticket";
constexpr std::string_view kUser = "user";
constexpr std::string_view kOrganization = "organization";
constexpr std::size_t kMaxFieldValue = 1000;

// Letters and digits of `s`, the rest as '-', for an address made up for a person without one.
std::string address_part(std::string_view s) {
  std::string out;
  for (char ch : s.substr(0, 64))
    out.push_back(std::isalnum(static_cast<unsigned char>(ch))
                      ? static_cast<char>(std::tolower(static_cast<unsigned char>(ch)))
                      : '-');
  return out.empty() ? "unknown" : out;
}

std::vector<std::string> import_domains(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& d : raw) {
    if (auto domain = organization_domain(d)) out.push_back(std::move(*domain));
  }
  return out;
}

// A ticket checked and converted before its transaction: nothing in the write can fail on
// what the source held.
struct PreparedMessage {
  Message message;
  std::string author_ref;
  std::string body_index;
  std::vector<Attachment> attachments;  // blobs stored already
};

struct PreparedTicket {
  const ImportTicket* in = nullptr;
  Ticket ticket;
  std::string subject_index;
  std::vector<PreparedMessage> messages;
};

Result<std::string> subject_of(const ImportTicket& in) {
  std::string subject = text::strip_controls(in.subject);
  if (subject.empty() && !in.messages.empty()) {
    const auto& body = in.messages.front().body;
    subject = text::cut_utf8(text::strip_controls(body.substr(0, body.find('\n'))), 120);
  }
  if (subject.empty()) subject = "(no subject)";
  if (subject.size() > kMaxSubjectLength) subject = text::cut_utf8(subject, kMaxSubjectLength);
  return validate_subject(subject);
}

// Writes the organizations that neither `known` nor `written` has (source ref → id), adding to
// `written`; one of the same name here is matched instead.
Result<void> write_organizations(store::Connection& c, std::string_view source,
                                 const std::vector<ImportOrganization>& organizations,
                                 const std::unordered_map<std::string, std::int64_t>& known,
                                 std::unordered_map<std::string, std::int64_t>& written, Millis now,
                                 ImportCounts& added) {
  const auto& organization = organization_resource();
  for (const auto& o : organizations) {
    if (known.contains(o.ref) || written.contains(o.ref)) continue;
    const auto name = text::cut_utf8(text::strip_controls(o.name), 200);
    GONGDAN_ASSIGN(auto id, store::find_organization_by_name(c, name));
    if (!id) {
      Organization org{
          0, name, import_domains(o.domains), false, "", text::cut_utf8(o.notes, 10000), now, now};
      GONGDAN_ASSIGN(id, store::insert_item(c, organization.info, organization.values(org)));
      ++added.organizations;
    }
    GONGDAN_TRY(store::put_import_ref(c, source, kOrganization, o.ref, *id));
    written[o.ref] = *id;
  }
  return {};
}

// Defines the custom fields of `field_refs` the catalog lacks, labelled as the source labels
// them (`labels`, else the ref).
Result<void> write_fields(store::Connection& c, const std::vector<std::string>& field_refs,
                          const std::unordered_map<std::string, std::string>& field_keys,
                          const std::unordered_map<std::string, std::string>& labels,
                          const Catalog& catalog) {
  const auto& field = field_resource();
  for (const auto& ref : field_refs) {
    const auto& key = field_keys.at(ref);
    bool known = false;
    for (const auto& f : catalog.fields) known = known || f.key == key;
    if (known) continue;
    auto label = labels.contains(ref) ? labels.at(ref) : ref;
    FieldDefinition def;
    def.key = key;
    def.label = text::cut_utf8(text::strip_controls(label), 200);
    GONGDAN_TRY(store::insert_item(c, field.info, field.values(def)));
  }
  return {};
}

// A message converted before the write, its files stored; none when it has no text nor files.
Result<std::optional<PreparedMessage>> prepare_message(const ImportMessage& m,
                                                       const std::string& channel,
                                                       AttachmentFiles& files) {
  PreparedMessage out;
  out.author_ref = m.author_ref;
  out.message.internal = m.internal;
  out.message.channel = channel;
  out.message.created_at = m.created_at;
  if (!m.html.empty()) out.message.html = markup::sanitize_html(m.html);
  out.message.body = m.body.empty() && !m.html.empty() ? markup::html_to_text(m.html) : m.body;
  if (out.message.body.size() > kMaxBodyLength || out.message.html.size() > kMaxBodyLength)
    return fail(ErrorCode::kInvalidArgument, "a message is larger than 512 KiB");
  if (out.message.body.empty() && m.attachments.empty()) return std::nullopt;
  out.body_index = search::index_text(out.message.body);
  for (const auto& a : m.attachments) {
    GONGDAN_ASSIGN(auto blob, files.put(a.bytes));
    Attachment row;
    row.sha256 = blob.sha256;
    row.size = static_cast<std::int64_t>(blob.size);
    row.content_type = blob.detected_type;
    row.claimed_type = normalize_media_type(a.content_type);
    row.filename = sanitize_filename(a.filename);
    row.created_at = m.created_at;
    out.attachments.push_back(std::move(row));
  }
  return out;
}

// `field_keys`: a field ref to its custom field key.
Result<PreparedTicket> prepare_ticket(const ImportTicket& in, const Catalog& catalog,
                                      std::unordered_map<std::string, std::string>& field_keys,
                                      AttachmentFiles& files) {
  PreparedTicket p;
  p.in = &in;
  auto& t = p.ticket;
  GONGDAN_ASSIGN(t.subject, subject_of(in));
  const auto* status = catalog.default_status(in.category);
  if (!status)
    return fail(ErrorCode::kInvalidArgument,
                "no active status in category " + std::string(category_name(in.category)));
  set_status(t, *status, in.created_at);
  t.priority = in.priority;
  t.type = in.type;
  t.channel = is_known_channel(in.channel) ? in.channel : "api";
  auto tags = normalize_tags(in.tags);
  if (!tags) return fail(ErrorCode::kInvalidArgument, "tags: " + tags.error().message);
  t.tags = std::move(*tags);
  boost::json::object fields;
  for (const auto& [ref, value] : in.fields) {
    if (value.size() > kMaxFieldValue)
      return fail(ErrorCode::kInvalidArgument, "field " + ref + " is longer than 1,000 characters");
    fields[field_keys[ref]] = text::strip_controls(value, true);
  }
  t.custom_fields = boost::json::serialize(fields);
  p.subject_index = search::index_text(t.subject);
  for (const auto& m : in.messages) {
    GONGDAN_ASSIGN(auto message, prepare_message(m, t.channel, files));
    if (message) p.messages.push_back(std::move(*message));
  }
  return p;
}

// The user a source's person ref became (a placeholder made when the source no longer lists
// them); `at` dates a placeholder.
using PersonOf = std::function<Result<std::int64_t>(const std::string& ref, Millis at)>;

// Writes a prepared ticket, its messages and their attachments with `w`; returns its id.
// `agents` are the users who may be assignees, `organizations` the source's to ours.
Result<std::int64_t> write_ticket(
    TicketWrite& w, PreparedTicket& p, const PersonOf& person,
    const std::unordered_set<std::int64_t>& agents,
    const std::unordered_map<std::string, std::int64_t>& organizations, ImportCounts& counts) {
  const auto& in = *p.in;
  Ticket t = p.ticket;
  GONGDAN_ASSIGN(t.requester_id, person(in.requester_ref, in.created_at));
  if (!in.assignee_ref.empty()) {
    GONGDAN_ASSIGN(auto assignee, person(in.assignee_ref, in.created_at));
    if (agents.contains(assignee)) t.assignee_id = assignee;
  }
  if (auto it = organizations.find(in.organization_ref); it != organizations.end())
    t.organization_id = it->second;
  GONGDAN_ASSIGN(auto stored, w.insert(std::move(t), std::move(p.subject_index)));
  std::optional<Millis> first_response;
  for (auto& m : p.messages) {
    GONGDAN_ASSIGN(auto author, person(m.author_ref.empty() ? in.requester_ref : m.author_ref,
                                       m.message.created_at));
    m.message.author_id = author;
    w.now = m.message.created_at;
    const bool response = !m.message.internal && agents.contains(author);
    GONGDAN_ASSIGN(auto message,
                   w.add_message(stored, std::move(m.message), false, std::move(m.body_index)));
    if (response && !first_response) first_response = message.created_at;
    for (auto& a : m.attachments) {
      a.uploader_id = author;
      a.message_id = message.id;
      GONGDAN_TRY(store::insert_attachment(w.c, a));
      ++counts.attachments;
    }
    ++counts.messages;
  }
  std::optional<Millis> solved;
  if (!is_unsolved(stored.category)) solved = in.solved_at.value_or(in.updated_at);
  GONGDAN_TRY(store::set_imported_times(w.c, stored.id, std::max(in.updated_at, in.created_at),
                                        solved, first_response));
  return stored.id;
}

}  // namespace

std::string import_field_key(std::string_view source, std::string_view field_ref) {
  std::string key;
  for (char ch : field_ref) {
    const auto c = static_cast<unsigned char>(ch);
    key.push_back(std::isalnum(c) && c < 0x80 ? static_cast<char>(std::tolower(c)) : '_');
  }
  if (key.empty() || !(key[0] >= 'a' && key[0] <= 'z'))
    key = address_part(source).substr(0, 20) + "_" + key;
  for (auto& ch : key)
    if (ch == '-') ch = '_';
  return key.substr(0, 64);
}

ImportService::ImportService(store::Database& db, Directory& directory, AttachmentFiles& files,
                             const Clock& clock)
    : db_(db), directory_(directory), files_(files), clock_(clock) {}

Result<void> ImportService::load(std::string_view source) {
  if (loaded_source_ == source) return {};
  return db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(users_, store::load_import_refs(c, source, kUser));
    GONGDAN_ASSIGN(organizations_, store::load_import_refs(c, source, kOrganization));
    GONGDAN_ASSIGN(tickets_, store::load_import_refs(c, source, kTicket));
    agents_.clear();
    for (std::int64_t after = 0;;) {
      GONGDAN_ASSIGN(auto page, store::list_users(c, UserKind::kAgents, after, 500));
      if (page.empty()) break;
      for (const auto& u : page)
        if (u.role != Role::kLightAgent) agents_.insert(u.id);
      after = page.back().id;
    }
    loaded_source_ = std::string(source);
    return {};
  });
}

Result<std::int64_t> ImportService::position(std::string_view source) {
  std::int64_t out = 0;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out, store::import_position(c, source));
    return {};
  }));
  return out;
}

Result<bool> ImportService::has_ticket(std::string_view source, const std::string& ref) {
  GONGDAN_TRY(load(source));
  return tickets_.contains(ref);
}

Result<void> ImportService::import_directory(std::string_view source, const ImportData& data,
                                             ImportCounts& counts) {
  GONGDAN_TRY(load(source));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  // The fields the tickets use, with the labels the source gave them.
  std::unordered_map<std::string, std::string> labels(data.field_labels.begin(),
                                                      data.field_labels.end());
  std::vector<std::string> field_refs;
  for (const auto& t : data.tickets)
    for (const auto& [ref, value] : t.fields)
      if (!field_keys_.contains(ref)) {
        field_keys_[ref] = import_field_key(source, ref);
        field_refs.push_back(ref);
      }
  const Millis now = clock_.now_ms();
  std::unordered_map<std::string, std::int64_t> new_users, new_organizations;
  std::unordered_set<std::int64_t> new_agents;
  ImportCounts added;
  auto written = db_.exclusive([&](store::Connection& c) -> Result<void> {
    new_users.clear();
    new_organizations.clear();
    new_agents.clear();
    added = {};
    GONGDAN_TRY(write_organizations(c, source, data.organizations, organizations_,
                                    new_organizations, now, added));
    GONGDAN_TRY(write_fields(c, field_refs, field_keys_, labels, *catalog));
    for (const auto& p : data.people) {
      if (users_.contains(p.ref) || new_users.contains(p.ref)) continue;
      std::string email = p.email;
      if (email.empty() || !text::looks_like_email(email))
        email = address_part(source) + "-" + address_part(p.ref) + "@import.invalid";
      GONGDAN_ASSIGN(auto existing, store::find_user_by_email(c, email));
      std::int64_t id = 0;
      if (existing) {
        id = existing->user.id;
        if (is_agent_role(existing->user.role)) new_agents.insert(id);
        ++added.matched;
      } else {
        User u;
        u.role = p.agent ? Role::kAgent : Role::kCustomer;
        u.active = !p.agent;
        u.email = email;
        u.name = text::cut_utf8(text::strip_controls(p.name), kMaxNameLength);
        u.created_at = u.updated_at = now;
        GONGDAN_ASSIGN(auto inserted, store::insert_user_unless_taken(c, u));
        if (!inserted) return fail(ErrorCode::kConflict, "a person changed meanwhile: " + email);
        id = *inserted;
        if (p.agent) {
          new_agents.insert(id);
          ++added.agents;
        } else {
          GONGDAN_TRY(
              db_.search_index().index_contact(c, id, search::contact_text(u.name, u.email)));
          ++added.contacts;
        }
        auto org = organizations_.find(p.organization_ref);
        auto new_org = new_organizations.find(p.organization_ref);
        if (!p.agent && (org != organizations_.end() || new_org != new_organizations.end()))
          GONGDAN_TRY(store::set_organization_of_user(
              c, id, org != organizations_.end() ? org->second : new_org->second));
      }
      GONGDAN_TRY(store::put_import_ref(c, source, kUser, p.ref, id));
      new_users[p.ref] = id;
    }
    return {};
  });
  if (!written) return written;
  users_.insert(new_users.begin(), new_users.end());
  organizations_.insert(new_organizations.begin(), new_organizations.end());
  agents_.insert(new_agents.begin(), new_agents.end());
  counts.organizations += added.organizations;
  counts.contacts += added.contacts;
  counts.agents += added.agents;
  counts.matched += added.matched;
  directory_.invalidate_catalog();
  return {};
}

Result<void> ImportService::import_tickets(std::string_view source,
                                           std::span<const ImportTicket> tickets,
                                           std::int64_t position_after, ImportCounts& counts,
                                           std::vector<ImportProblem>& problems) {
  GONGDAN_TRY(load(source));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const Millis now = clock_.now_ms();
  std::vector<PreparedTicket> ready;
  std::unordered_set<std::string> in_batch;
  ImportCounts added;
  for (const auto& in : tickets) {
    if (tickets_.contains(in.ref) || !in_batch.insert(in.ref).second) {
      ++added.already;
      continue;
    }
    auto prepared = prepare_ticket(in, *catalog, field_keys_, files_);
    if (!prepared) {
      problems.push_back({in.where, prepared.error().message});
      ++added.failed;
      continue;
    }
    ready.push_back(std::move(*prepared));
  }

  std::unordered_map<std::string, std::int64_t> new_users, new_tickets;
  ImportCounts written_counts;
  const Principal root = Principal::system();
  auto written = db_.exclusive([&](store::Connection& c) -> Result<void> {
    new_users.clear();
    new_tickets.clear();
    written_counts = {};
    // A person the source names but did not list (deleted there): a placeholder, so the
    // ticket keeps who wrote what.
    auto person = [&](const std::string& ref, Millis at) -> Result<std::int64_t> {
      if (auto it = users_.find(ref); it != users_.end()) return it->second;
      if (auto it = new_users.find(ref); it != new_users.end()) return it->second;
      User u;
      u.email = address_part(source) + "-" + address_part(ref) + "@import.invalid";
      u.name = std::string(source) + " " + ref.substr(0, 64);
      u.created_at = u.updated_at = at;
      GONGDAN_ASSIGN(auto existing, store::find_user_by_email(c, u.email));
      std::int64_t id = 0;
      if (existing) {
        id = existing->user.id;
      } else {
        GONGDAN_ASSIGN(auto inserted, store::insert_user_unless_taken(c, u));
        if (!inserted) return fail(ErrorCode::kConflict, "a person changed meanwhile");
        id = *inserted;
        GONGDAN_TRY(db_.search_index().index_contact(c, id, search::contact_text(u.name, u.email)));
        ++written_counts.contacts;
      }
      GONGDAN_TRY(store::put_import_ref(c, source, kUser, ref, id));
      new_users[ref] = id;
      return id;
    };
    for (auto& p : ready) {
      const auto& in = *p.in;
      TicketWrite w{c, *catalog, root, in.created_at, "import", db_};
      GONGDAN_ASSIGN(auto id, write_ticket(w, p, person, agents_, organizations_, written_counts));
      GONGDAN_TRY(store::put_import_ref(c, source, kTicket, in.ref, id));
      new_tickets[in.ref] = id;
      ++written_counts.tickets;
    }
    return store::save_import_position(c, source, position_after, now);
  });
  if (!written) return written;
  users_.insert(new_users.begin(), new_users.end());
  tickets_.insert(new_tickets.begin(), new_tickets.end());
  counts.tickets += written_counts.tickets;
  counts.messages += written_counts.messages;
  counts.attachments += written_counts.attachments;
  counts.contacts += written_counts.contacts;
  counts.already += added.already;
  counts.failed += added.failed;
  return {};
}

}  // namespace gongdan::services
