// A resource an admin configures (a department, a trigger, a macro …), declared once: its fields
// (type, limits, labels in both languages), who reads and who writes it, where it is stored and
// what a change to it invalidates. Everything else is derived from the declaration: the
// service's list/get/create/update/delete (services/resource_service.hpp), the routes and the
// OpenAPI schemas (api/resource_routes.cpp), and the admin form in the desk, which reads the
// declarations from GET /api/v1/resources.
//
// Values cross the layers as a flat JSON object keyed by field (`Values`): the API's body is
// checked into one (read_body), the store reads and writes one, and a Resource<T> turns one into
// the domain type T and back through its accessors. Pure: no I/O.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "util/result.hpp"

namespace gongdan {

// A text in both languages of the interface.
struct Words {
  std::string_view en;
  std::string_view zh;

  bool operator==(const Words&) const = default;
};

enum class FieldKind {
  kId,         // the item's id, set by the store
  kText,       // one line: trimmed, control characters removed
  kLongText,   // several lines
  kInteger,    //
  kBoolean,    //
  kChoice,     // one of `choices`
  kReference,  // the id of an item of the resource named by `references`
  kJson,       // structured data (a rule body, a calendar); the resource's own check reads it
  kTextList,   // a list of one-line texts
  kSecret,     // written, never read back: answers say only whether one is set
  kTime,       // an instant the server sets (created_at, updated_at)
};
std::string_view field_kind_name(FieldKind type);

// Who may read, or write, a resource.
// kWritingAgents: admins, supervisors and agents; not light agents, who read only.
// Who reads or writes a resource: anyone signed in, staff, staff with kb.manage ("writing
// agents"), staff with users.manage, staff with settings.manage ("admins").
enum class Audience { kSignedIn, kAgents, kWritingAgents, kUserManagers, kAdmins };
std::string_view audience_name(Audience audience);

// How items belong to people.
enum class Ownership {
  kShared,    // every item is everyone's in the audience
  kPersonal,  // an item is its owner's (`owner_id`), or shared by an admin (no owner); others'
              // personal items do not exist for you, and only admins change shared ones
};

// What a committed change makes stale.
enum class Invalidates {
  kNothing,
  kSettings,  // rules, policies, statuses, departments … on every node (Directory)
  kViewers,   // who sees which tickets (memberships, organizations)
};

struct FieldSpec {
  std::string_view key;  // the JSON member
  FieldKind kind = FieldKind::kText;
  Words label{};
  Words help{};
  std::string_view column{};  // where it is stored; empty: `key`; "-": not stored. Fields that
                              // share a column are stored there as one JSON object.
  std::string_view group{};   // in the API, a member of this object ("targets")
  bool required = false;      // must be given on create
  bool create_only = false;   // given on create, never changed
  bool read_only = false;     // set by the server
  bool nullable = false;      // null is a value
  std::int64_t min = 0;       // text: bytes at least; integer: smallest
  std::int64_t max = 0;       // text: bytes at most (0: 200, long text 64 KiB); integer: largest
                              // (min and max both 0: any)
  std::vector<std::string_view> choices{};
  std::string_view references{};    // kReference: the referenced resource's name
  std::string_view schema{};        // kJson: its JSON Schema as JSON text (documents and forms)
  std::string_view example{};       // kJson: an example as JSON text (the form's placeholder)
  std::string_view shown_as{};      // kSecret: the answer's boolean member; empty: has_<key>
  char separator = 0;               // kTextList stored as one text joined by it; 0: a JSON array
  bool unique = false;              // no two items share it (a unique index)
  bool fold_case = false;           // unique in lower case: compared in a copy, <column>_norm
  bool sealed = false;              // kSecret: stored encrypted by the service
  bool generated = false;           // kSecret: the server makes a random one when a new item
                                    // gives none, and anew when an update's body says
                                    // "rotate_<key>": true; the answer to that write (only)
                                    // shows it, as <key>
  bool hidden = false;              // in no answer: kept for the server's own use (a webhook's
                                    // secret, the time settings were saved)
  std::string_view default_json{};  // a new item's value, as JSON text, when it is not the
                                    // domain type's own default

  std::string_view stored_in() const { return column.empty() ? key : column; }
  bool stored() const { return column != "-"; }
  // May a request body carry it (on create / on update)?
  bool writable(bool creating) const {
    return kind != FieldKind::kId && kind != FieldKind::kTime && !read_only &&
           (creating || !create_only);
  }
  // The longest text it takes, in bytes.
  std::int64_t max_bytes() const;
  // The body member that asks for a new generated secret: "rotate_<key>".
  std::string rotate_key() const { return "rotate_" + std::string(key); }

  bool operator==(const FieldSpec&) const = default;
};

struct Operations {
  bool list = true;
  bool get = true;
  bool create = true;
  bool update = true;
  bool remove = false;
  bool put = false;  // an update is a PUT of the whole item (what it leaves out takes its
                     // default), not a PATCH of the members given

  bool operator==(const Operations&) const = default;
};

// Settings kept per item of another resource, one each (a department's mail settings): the
// item's id is that item's id, stored in `column`. They are never created or removed: one never
// saved reads as the declared defaults, and an update (always a PUT) inserts or updates it.
struct Keyed {
  std::string_view by;        // the resource they belong to ("departments"); empty: not keyed
  std::string_view column;    // where the id is stored ("department_id")
  std::string_view defaults;  // the path's name for id 0, the settings every item without its
                              // own falls back on ("default"); empty: there are none

  bool operator==(const Keyed&) const = default;
};

struct ResourceInfo {
  std::string_view name;     // "macros": the path segment and the desk's i18n key
  std::string_view noun;     // "macro": audit actions (macro.create) and errors ("no such macro")
  Words title;               // "Macros" / "宏"
  std::string path{};        // "/api/v1/macros"; empty: /api/v1/<name>
  std::string_view tag;      // the OpenAPI tag
  std::string_view table{};  // empty: `name`
  std::string_view order_by = "id";
  Audience read = Audience::kAgents;
  Audience write = Audience::kAdmins;
  Ownership ownership = Ownership::kShared;
  Invalidates invalidates = Invalidates::kNothing;
  Operations ops{};
  bool paged = false;             // lists take ?limit and ?cursor
  std::string_view body_field{};  // the request body is this field's value itself
  std::string_view item_path{};   // one item's path when it is not path + "/{id}"; the name in
                                  // braces is the id's ("/api/v1/departments/{id}/assignment")
  Keyed keyed{};
  std::vector<FieldSpec> fields;

  const FieldSpec* field(std::string_view key) const;
  // "no such macro", as an error.
  Error not_found() const;
  bool is_keyed() const { return !keyed.by.empty(); }
  // Where the item's id is: its member in Values (the kId field's key, else "id") and its column.
  std::string_view id_key() const;
  std::string_view id_column() const { return is_keyed() ? keyed.column : "id"; }
  // One item's route, and the name of its id in it.
  std::string item_route() const;
  std::string_view item_param() const;
  // Fills what was left to its default: the path and the table.
  void complete();

  bool operator==(const ResourceInfo&) const = default;
};

// A field's label; the server's own fields (id, created_at, updated_at) need not declare one.
Words label_of(const FieldSpec& f);

// Field values by key, flat (groups are only the API's shape).
using Values = boost::json::object;

enum class Change { kCreate, kUpdate, kRemove };
std::string_view change_name(Change change);

// Refuses values that lack a required field ("is required", naming it): a new item, or a whole
// item put in place of the stored one.
Result<void> require_fields(const ResourceInfo& info, const Values& given);

// Checks a request body against the declaration: unknown members, read-only and create-only
// ones, types, limits and choices are errors that name the field ("targets.resolution_minutes").
// Texts come back trimmed and cleaned. On create, required fields must be there. Only the given
// fields are returned (a new item's others are its defaults: services/resource_service.hpp),
// and on update "rotate_<key>": true for a generated secret the body asks to be made anew.
Result<Values> read_body(const ResourceInfo& info, const boost::json::value& body, bool creating);

// The answer for an item: every field but secrets (shown as has_<key>), times as ISO 8601, and
// grouped fields inside their group; a keyed resource's id 0 by its name ("default").
boost::json::object describe(const ResourceInfo& info, const Values& values);

// --- Declaring in one line ---------------------------------------------------------------------
//
// A field says its kind, key, label and help (what it does, or what empty means) in one call,
// then only what sets it apart, a word each:
//
//   text_field("tier", {"Tier", "等级"}).max(64)
//   choice_field("category", {"Category", "类别"}, {"new", "open"}, {"What it means.", "含义。"})
//       .required().create_only()
//
// and a resource its name, noun, title and tag, then what is not the default:
//
//   resource_info("statuses", "status", {"Statuses", "状态"}, "settings")
//       .order_by("position, id").read_by(Audience::kSignedIn).invalidates(Invalidates::kSettings)
//
// A builder converts to what it built (FieldSpec, ResourceInfo), so it goes wherever that does:
// field_of, unheld, declare. Each step returns a changed copy; a FieldSpec or ResourceInfo
// written out member by member works as well.
template <class Built, class Self>
class Builder {
 public:
  explicit Builder(Built built) : built_(std::move(built)) {}
  operator Built() const { return built_; }  // NOLINT(google-explicit-constructor): see above
  const Built& built() const { return built_; }

 protected:
  template <class M, class V>
  Self with(M Built::*member, V value) const {
    Self out = static_cast<const Self&>(*this);
    out.built_.*member = std::move(value);
    return out;
  }

 private:
  Built built_;
};

class FieldBuilder : public Builder<FieldSpec, FieldBuilder> {
 public:
  using Builder::Builder;
  FieldBuilder label(Words words) const { return with(&FieldSpec::label, words); }
  FieldBuilder help(Words words) const { return with(&FieldSpec::help, words); }
  // The flags of FieldSpec, by their names there.
  FieldBuilder required() const { return with(&FieldSpec::required, true); }
  FieldBuilder create_only() const { return with(&FieldSpec::create_only, true); }
  FieldBuilder read_only() const { return with(&FieldSpec::read_only, true); }
  FieldBuilder nullable() const { return with(&FieldSpec::nullable, true); }
  FieldBuilder unique() const { return with(&FieldSpec::unique, true); }
  FieldBuilder fold_case() const { return unique().with(&FieldSpec::fold_case, true); }
  FieldBuilder sealed() const { return with(&FieldSpec::sealed, true); }
  FieldBuilder generated() const { return with(&FieldSpec::generated, true); }
  FieldBuilder hidden() const { return with(&FieldSpec::hidden, true); }
  // Limits: bytes of a text, values of an integer.
  FieldBuilder min(std::int64_t n) const { return with(&FieldSpec::min, n); }
  FieldBuilder max(std::int64_t n) const { return with(&FieldSpec::max, n); }
  FieldBuilder range(std::int64_t lo, std::int64_t hi) const { return min(lo).max(hi); }
  // Where it is stored, and where it sits in the API's object.
  FieldBuilder column(std::string_view name) const { return with(&FieldSpec::column, name); }
  FieldBuilder group(std::string_view name) const { return with(&FieldSpec::group, name); }
  // kJson: its JSON Schema and an example, both as JSON text.
  FieldBuilder schema(std::string_view schema, std::string_view example) const {
    return with(&FieldSpec::schema, schema).with(&FieldSpec::example, example);
  }
  FieldBuilder shown_as(std::string_view member) const {
    return with(&FieldSpec::shown_as, member);
  }
  FieldBuilder separator(char c) const { return with(&FieldSpec::separator, c); }
  // kTextList: the items it may hold, each at most once (an ordered choice of some of them).
  FieldBuilder choices(std::vector<std::string_view> items) const {
    return with(&FieldSpec::choices, std::move(items));
  }
  FieldBuilder default_json(std::string_view json) const {
    return with(&FieldSpec::default_json, json);
  }
};

// One field of each kind (FieldKind): its key, its label and what it does.
FieldBuilder text_field(std::string_view key, Words label, Words help = {});
FieldBuilder long_text_field(std::string_view key, Words label, Words help = {});
FieldBuilder integer_field(std::string_view key, Words label, Words help = {});
FieldBuilder switch_field(std::string_view key, Words label, Words help = {});
FieldBuilder choice_field(std::string_view key, Words label, std::vector<std::string_view> choices,
                          Words help = {});
// The id of an item of the resource named `resource`.
FieldBuilder reference_field(std::string_view key, std::string_view resource, Words label,
                             Words help = {});
FieldBuilder json_field(std::string_view key, Words label, Words help = {});
FieldBuilder list_field(std::string_view key, Words label, Words help = {});
FieldBuilder secret_field(std::string_view key, Words label, Words help = {});
FieldBuilder time_field(std::string_view key, Words label = {});  // set by the server
FieldBuilder id_field(std::string_view key = "id");               // set by the store

// Fields most resources declare alike, so their declarations say only what is their own.
FieldBuilder name_field(std::int64_t max = 200);         // "name": required, 1 to `max` bytes
FieldBuilder unique_name_field(std::int64_t max = 200);  // the same, and unique whatever the case
// "position": the list's order; a new item's is `default_json`.
FieldBuilder position_field(Words help = {}, std::string_view default_json = "0");
FieldBuilder active_field();  // "active": a switch, on for a new item
// "department": a department the item belongs to, or none (null); `help` says what none means.
FieldBuilder department_field(Words help);
// The personal/shared pair every Ownership::kPersonal resource declares.
FieldBuilder owner_field();
FieldBuilder shared_field();

class InfoBuilder : public Builder<ResourceInfo, InfoBuilder> {
 public:
  using Builder::Builder;
  InfoBuilder path(std::string path) const { return with(&ResourceInfo::path, std::move(path)); }
  InfoBuilder table(std::string_view name) const { return with(&ResourceInfo::table, name); }
  InfoBuilder order_by(std::string_view sql) const { return with(&ResourceInfo::order_by, sql); }
  InfoBuilder read_by(Audience who) const { return with(&ResourceInfo::read, who); }
  InfoBuilder written_by(Audience who) const { return with(&ResourceInfo::write, who); }
  InfoBuilder personal() const { return with(&ResourceInfo::ownership, Ownership::kPersonal); }
  InfoBuilder invalidates(Invalidates what) const { return with(&ResourceInfo::invalidates, what); }
  InfoBuilder ops(Operations ops) const { return with(&ResourceInfo::ops, ops); }
  InfoBuilder paged() const { return with(&ResourceInfo::paged, true); }
  InfoBuilder body_field(std::string_view key) const {
    return with(&ResourceInfo::body_field, key);
  }
  // Settings kept per item of another resource, at `item_path`: see Keyed.
  InfoBuilder keyed(Keyed keyed, std::string_view item_path) const {
    return with(&ResourceInfo::keyed, keyed).with(&ResourceInfo::item_path, item_path);
  }
};

// A resource's name, noun, title and OpenAPI tag (see ResourceInfo).
InfoBuilder resource_info(std::string_view name, std::string_view noun, Words title,
                          std::string_view tag);

// --- Typed access: a resource's fields read from and written to its domain type ----------------

template <class T>
struct Accessor {
  std::function<boost::json::value(const T&)> get;
  // Receives a value read_body accepted; may still refuse it (a field's own syntax).
  std::function<Result<void>(T&, const boost::json::value&)> set;
};

template <class T>
struct Bound {
  FieldSpec spec;
  Accessor<T> access;
};

template <class T>
struct Resource {
  ResourceInfo info;
  std::vector<Accessor<T>> access;  // by the index of info.fields; empty for unheld fields

  Values values(const T& item) const {
    Values out;
    for (std::size_t i = 0; i < access.size(); ++i)
      if (access[i].get) out[info.fields[i].key] = access[i].get(item);
    return out;
  }
  // Sets every given value that the type holds.
  Result<void> apply(const Values& values, T& item) const {
    for (std::size_t i = 0; i < access.size(); ++i) {
      if (!access[i].set) continue;
      if (const auto* v = values.if_contains(info.fields[i].key)) {
        if (auto done = access[i].set(item, *v); !done) {
          auto error = std::move(done).error();
          if (error.field.empty()) error.field = std::string(info.fields[i].key);
          return fail(std::move(error));
        }
      }
    }
    return {};
  }
  Result<T> make(const Values& values) const {
    T item{};
    if (auto done = apply(values, item); !done) return fail(std::move(done).error());
    return item;
  }
};

template <class T>
Resource<T> declare(ResourceInfo info, std::vector<Bound<T>> fields) {
  Resource<T> r{std::move(info), {}};
  r.info.complete();
  for (auto& f : fields) {
    r.info.fields.push_back(f.spec);
    r.access.push_back(std::move(f.access));
  }
  return r;
}

namespace resource_detail {

template <class M>
boost::json::value to_json(const M& m) {
  if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    boost::json::array out;
    for (const auto& s : m) out.emplace_back(s);
    return out;
  } else if constexpr (std::is_same_v<M, boost::json::value>) {
    return m;
  } else if constexpr (requires { m.has_value(); }) {
    if (!m) return nullptr;
    return to_json(*m);
  } else if constexpr (std::is_same_v<M, bool>) {
    return m;
  } else if constexpr (std::is_integral_v<M>) {
    return static_cast<std::int64_t>(m);
  } else {
    return boost::json::string(m);
  }
}

template <class M>
void from_json(const boost::json::value& v, M& m) {
  if constexpr (std::is_same_v<M, std::vector<std::string>>) {
    m.clear();
    if (v.is_array())
      for (const auto& s : v.get_array())
        if (s.is_string()) m.emplace_back(s.get_string());
  } else if constexpr (std::is_same_v<M, boost::json::value>) {
    m = v;
  } else if constexpr (requires { m.has_value(); }) {
    if (v.is_null()) {
      m.reset();
    } else {
      typename M::value_type inner{};
      from_json(v, inner);
      m = std::move(inner);
    }
  } else if constexpr (std::is_same_v<M, bool>) {
    m = v.is_bool() ? v.get_bool() : v.is_int64() && v.get_int64() != 0;
  } else if constexpr (std::is_integral_v<M>) {
    m = v.is_int64() ? static_cast<M>(v.get_int64()) : M{};
  } else {
    m = v.is_string() ? std::string(v.get_string()) : std::string();
  }
}

template <class M>
struct Unwrapped {
  using type = M;
};
template <class M>
struct Unwrapped<std::optional<M>> {
  using type = M;
};

// The kind a member's type says, for a spec that leaves it at kText: a switch, an integer, a
// list of texts, JSON. Other kinds (long text, a choice, a reference, a time …) are declared.
template <class M>
constexpr FieldKind kind_of(FieldKind declared) {
  using V = typename Unwrapped<M>::type;
  if (declared != FieldKind::kText) return declared;
  if constexpr (std::is_same_v<V, bool>) return FieldKind::kBoolean;
  if constexpr (std::is_integral_v<V>) return FieldKind::kInteger;
  if constexpr (std::is_same_v<V, std::vector<std::string>>) return FieldKind::kTextList;
  if constexpr (std::is_same_v<V, boost::json::value>) return FieldKind::kJson;
  return declared;
}

}  // namespace resource_detail

// A field held in a member of T (text, numbers, switches, lists, JSON, optionals of them). Its
// kind, left out, is the member's: see resource_detail::kind_of.
template <class T, class M>
Bound<T> field_of(M T::*member, FieldSpec spec) {
  spec.kind = resource_detail::kind_of<M>(spec.kind);
  Accessor<T> a;
  a.get = [member](const T& item) { return resource_detail::to_json(item.*member); };
  a.set = [member](T& item, const boost::json::value& v) -> Result<void> {
    resource_detail::from_json(v, item.*member);
    return {};
  };
  return {std::move(spec), std::move(a)};
}

// A field held in a member whose value has a syntax of its own: after the value is set, `check`
// may refuse it or put it in its one spelling (it sees the whole item: a calendar's name comes
// from its spec).
template <class T, class M>
Bound<T> field_of(M T::*member, FieldSpec spec,
                  std::type_identity_t<std::function<Result<void>(T&)>> check) {
  auto bound = field_of(member, std::move(spec));
  bound.access.set = [member, check = std::move(check)](
                         T& item, const boost::json::value& v) -> Result<void> {
    resource_detail::from_json(v, item.*member);
    return check(item);
  };
  return bound;
}

// A field held in an enum member, by its names: a choice.
template <class T, class E>
Bound<T> field_of(E T::*member, FieldSpec spec, std::string_view (*name)(E),
                  std::optional<E> (*parse)(std::string_view)) {
  if (spec.kind == FieldKind::kText) spec.kind = FieldKind::kChoice;
  Accessor<T> a;
  a.get = [member, name](const T& item) {
    return boost::json::value(boost::json::string(name(item.*member)));
  };
  a.set = [member, parse](T& item, const boost::json::value& v) -> Result<void> {
    auto parsed = v.is_string() ? parse(v.get_string()) : std::nullopt;
    if (!parsed) return fail(ErrorCode::kInvalidArgument, "is not a known value");
    item.*member = *parsed;
    return {};
  };
  return {std::move(spec), std::move(a)};
}

// A field T does not hold (`shared`, or one a hook reads from the values).
template <class T>
Bound<T> unheld(FieldSpec spec) {
  return {std::move(spec), {}};
}

}  // namespace gongdan
