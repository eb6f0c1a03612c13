// The one create/read/update/delete path of every declared resource (domain/resource.hpp):
// who may read and write (the declaration's audience and ownership), the body checked against
// the fields, references to other resources checked, secrets sealed, the resource's own check,
// one write that stores the item and its audit entry, then what the change invalidates.
// A resource with behaviour of its own plugs it in through Hooks; the API sees only
// ResourceApi (JSON in, JSON out) through the Resources registry.
//
// Threads: every method may be called from any thread; state is the database's.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/resource.hpp"
#include "services/principal.hpp"

namespace gongdan {
class Clock;
}
namespace gongdan::store {
class Connection;
class Database;
}  // namespace gongdan::store

namespace gongdan::services {

class Directory;
class SecretBox;

// What the API calls. Answers are the items as the API shows them.
class ResourceApi {
 public:
  virtual ~ResourceApi() = default;
  virtual const ResourceInfo& info() const = 0;
  struct Page {
    std::vector<boost::json::object> items;
    std::optional<std::int64_t> next_after;  // the cursor of the next page, if any
  };
  // `limit` 0: every item (resources that are not paged).
  virtual Result<Page> list(const Principal& who, std::int64_t after, int limit) = 0;
  virtual Result<boost::json::object> get(const Principal& who, std::int64_t id) = 0;
  virtual Result<boost::json::object> create(const Principal& who,
                                             const boost::json::value& body) = 0;
  virtual Result<boost::json::object> update(const Principal& who, std::int64_t id,
                                             const boost::json::value& body) = 0;
  virtual Result<void> remove(const Principal& who, std::int64_t id) = 0;
  // What a new item holds before the caller's values (the form's defaults).
  virtual Values defaults() const = 0;
  // The error for an id that names nothing: "no such macro", or for keyed settings the item
  // they belong to ("no such department").
  virtual Error not_found() const = 0;
};

// A resource's own behaviour, on its domain type T (see ValueHooks for the form the service
// calls). Each is optional.
template <class T>
struct Hooks {
  // Inside the write, before the item is stored: checks that need more than one field or other
  // data (rule bodies, names in a catalog) and derived fields. `before`: the stored item on
  // update, null on create.
  std::function<Result<void>(store::Connection&, const Principal&, T& item, const T* before)> check;
  // Inside the write, before the item's row is deleted: may refuse (a kConflict that says who
  // still uses it, rather than a foreign key's complaint).
  std::function<Result<void>(store::Connection&, const T& item)> removing;
  // Inside the write, after the item's row was inserted, updated or deleted.
  std::function<Result<void>(store::Connection&, const T& item, Change)> written;
  // Around the whole write, whatever its outcome.
  std::function<void()> before_write;
  std::function<void()> after_write;
  // What the answer shows beyond the fields.
  std::function<void(const T&, boost::json::object&)> describe;
};

// The hooks on Values, as the service calls them (typed_hooks makes them from Hooks<T>), with
// two of their own.
struct ValueHooks : Hooks<Values> {
  // A new item's values before the body's: the domain type's defaults.
  std::function<Values()> blank;
  // Before the stored item is read: each given field's own syntax (the domain type's setters
  // may refuse a value), so a malformed body is a 400 whichever item it names.
  std::function<Result<void>(const Values& given)> syntax;
};

// A Hooks::check that needs the item alone: no database, not who writes, not the stored item.
template <class T>
auto item_check(std::function<Result<void>(T&)> check) {
  return [check = std::move(check)](store::Connection&, const Principal&, T& item, const T*) {
    return check(item);
  };
}

// The typed hooks over Values: each call turns the values into T (its setters may refuse them)
// and, after `check`, what the hook changed back into the values.
template <class T>
ValueHooks typed_hooks(const Resource<T>& r, Hooks<T> h) {
  ValueHooks out;
  out.blank = [&r] { return r.values(T{}); };
  out.syntax = [&r](const Values& given) {
    T scratch{};
    return r.apply(given, scratch);
  };
  out.before_write = std::move(h.before_write);
  out.after_write = std::move(h.after_write);
  out.check = [&r, check = std::move(h.check)](store::Connection& c, const Principal& who,
                                               Values& values,
                                               const Values* before) -> Result<void> {
    GONGDAN_ASSIGN(T item, r.make(values));
    if (!check) return {};
    std::optional<T> old;
    if (before) {
      GONGDAN_ASSIGN(old, r.make(*before));
    }
    GONGDAN_TRY(check(c, who, item, old ? &*old : nullptr));
    for (auto& [key, value] : r.values(item)) values[key] = value;
    return {};
  };
  if (h.removing)
    out.removing = [&r, removing = std::move(h.removing)](store::Connection& c,
                                                          const Values& values) -> Result<void> {
      GONGDAN_ASSIGN(T item, r.make(values));
      return removing(c, item);
    };
  if (h.written)
    out.written = [&r, written = std::move(h.written)](store::Connection& c, const Values& values,
                                                       Change change) -> Result<void> {
      GONGDAN_ASSIGN(T item, r.make(values));
      return written(c, item, change);
    };
  if (h.describe)
    out.describe = [&r, describe = std::move(h.describe)](const Values& values,
                                                          boost::json::object& json) {
      if (auto item = r.make(values)) describe(*item, json);
    };
  return out;
}

// What every resource service uses.
struct ResourceDeps {
  store::Database* db = nullptr;
  const Clock* clock = nullptr;
  Directory* directory = nullptr;
  const SecretBox* secrets = nullptr;  // for sealed secrets
};

class ResourceService final : public ResourceApi {
 public:
  // What a reference may name: a resource's name → its table and noun.
  struct Target {
    std::string table;
    std::string noun;
  };
  using Targets = std::map<std::string, Target, std::less<>>;

  ResourceService(const ResourceInfo& info, ResourceDeps deps, ValueHooks hooks,
                  const Targets& tables)
      : info_(info), deps_(deps), hooks_(std::move(hooks)), tables_(tables) {}

  const ResourceInfo& info() const override { return info_; }
  Result<Page> list(const Principal& who, std::int64_t after, int limit) override;
  Result<boost::json::object> get(const Principal& who, std::int64_t id) override;
  Result<boost::json::object> create(const Principal& who, const boost::json::value& body) override;
  Result<boost::json::object> update(const Principal& who, std::int64_t id,
                                     const boost::json::value& body) override;
  Result<void> remove(const Principal& who, std::int64_t id) override;
  Values defaults() const override;
  Error not_found() const override;

  // The stored item as `who` may see it (others' personal items do not exist; keyed settings
  // never saved are their defaults).
  Result<Values> find(const Principal& who, std::int64_t id);

 private:
  Result<void> may_read(const Principal& who) const;
  Result<void> may_change(const Principal& who, const Values& stored) const;
  Result<void> check_references(store::Connection& c, const Values& values) const;
  // Generated secrets (FieldSpec::generated) a create gives none of, or an update asks to
  // rotate, made here. Those the answer shows once: each such secret in clear, by key.
  Values generate_secrets(Values& given, Change change) const;
  // Keyed settings: the item they belong to exists (or id 0 names the defaults).
  Result<void> check_owner_item(store::Connection& c, std::int64_t id) const;
  // Inside a write: the stored item `who` changes or removes (none: keyed settings not saved yet).
  Result<std::optional<Values>> stored_item(store::Connection& c, const Principal& who,
                                            std::int64_t id) const;
  // What a write starts from: the stored item (none: the defaults), or for an update of a whole
  // item (Operations::put) the defaults with what a body cannot change kept.
  Values base_of(Change change, const std::optional<Values>& stored) const;
  // The audit action and target: "macro.update", "macro:7"; keyed settings are a change of the
  // item they belong to: "department.assignment", "department:7".
  std::pair<std::string, std::string> audit_names(Change change, std::int64_t id) const;
  void seal(Values& values) const;
  // Creates, updates or removes in one write: reads the stored item there (update, remove),
  // merges `given`, checks, stores, audits; invalidates after the commit. The item as stored.
  Result<Values> write(const Principal& who, Change change, std::int64_t id, Values given);
  boost::json::object answer(const Values& values) const;
  void invalidate() const;

  const ResourceInfo& info_;
  ResourceDeps deps_;
  ValueHooks hooks_;
  const Targets& tables_;
};

// Every declared resource, by name, in the order they were added (the routes' order).
class Resources {
 public:
  explicit Resources(ResourceDeps deps) : deps_(deps) {}
  template <class T>
  ResourceService& add(const Resource<T>& r, Hooks<T> hooks = {}) {
    return add_values(r.info, typed_hooks(r, std::move(hooks)));
  }
  ResourceService& add_values(const ResourceInfo& info, ValueHooks hooks);
  // What a reference may name that is not a declared resource ("agents": users, "agent").
  void add_target(std::string name, std::string table, std::string noun) {
    tables_[name] = {std::move(table), std::move(noun)};
  }
  ResourceService* find(std::string_view name) const;
  const std::vector<std::unique_ptr<ResourceService>>& all() const { return services_; }

 private:
  ResourceDeps deps_;
  ResourceService::Targets tables_;
  std::vector<std::unique_ptr<ResourceService>> services_;
};

}  // namespace gongdan::services
