// An answer object declared once: its members in order, each a JSON key, how it is read from the
// C++ value and its JSON Schema. The writer (write) and the OpenAPI schema (schema) both come
// from the one list, so an answer cannot send a key its schema lacks, or the other way round.
//
//   using namespace shape;
//   const AnswerShape<JobRecord> kJobShape{
//       integer("id", &JobRecord::id),
//       text("kind", &JobRecord::kind).describe("webhook, sla_timer, …"),
//       member("state", &JobRecord::state, schema::ref("JobState")),
//       instant("run_at", &JobRecord::run_at),
//       stored_json("payload", &JobRecord::payload, schema::any())};
//   router.define_schema("Job", kJobShape.schema());
//   return json_response(200, kJobShape.write(job));
//
// A member read from a std::optional is null when empty, and its schema nullable(...). For
// answers that are a plain function of one value; an answer computed with service calls, or one
// whose keys differ per reader, is written by hand.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "api/schema.hpp"
#include "util/clock.hpp"
#include "util/iso_time.hpp"

namespace gongdan::api {

template <class T>
struct AnswerMember {
  std::string_view key;
  std::function<boost::json::value(const T&)> read;
  schema::Schema schema;

  AnswerMember describe(std::string_view text) const {
    return AnswerMember{key, read, schema.describe(text)};
  }
};

template <class T>
class AnswerShape {
 public:
  AnswerShape(std::initializer_list<AnswerMember<T>> members) : members_(members) {}

  // The answer: every member, in the declared order.
  boost::json::object write(const T& value) const {
    boost::json::object out;
    out.reserve(members_.size());
    for (const auto& m : members_) out.emplace(m.key, m.read(value));
    return out;
  }
  // A shape is its own writer, for items_answer/page_answer.
  boost::json::object operator()(const T& value) const { return write(value); }

  // Its schema: a closed object of every member, all required.
  schema::Schema schema() const {
    std::vector<std::pair<std::string_view, schema::Schema>> properties;
    properties.reserve(members_.size());
    for (const auto& m : members_) properties.emplace_back(m.key, m.schema);
    return schema::object(properties).require_all();
  }

 private:
  std::vector<AnswerMember<T>> members_;
};

namespace shape {

template <class V>
struct is_optional : std::false_type {};
template <class V>
struct is_optional<std::optional<V>> : std::true_type {};

// A member stored as it is (a number, a text, a flag), or null; `schema` is the value's, made
// nullable for an optional.
template <class T, class V>
AnswerMember<T> member(std::string_view key, V T::*field, schema::Schema schema) {
  if constexpr (is_optional<V>::value) {
    return {key,
            [field](const T& t) {
              const auto& v = t.*field;
              return v ? boost::json::value(*v) : boost::json::value(nullptr);
            },
            schema::nullable(std::move(schema))};
  } else {
    return {key, [field](const T& t) { return boost::json::value(t.*field); }, std::move(schema)};
  }
}

template <class T, class V>
AnswerMember<T> integer(std::string_view key, V T::*field) {
  return member(key, field, schema::integer());
}

template <class T, class V>
AnswerMember<T> text(std::string_view key, V T::*field) {
  return member(key, field, schema::string());
}

template <class T, class V>
AnswerMember<T> boolean(std::string_view key, V T::*field) {
  return member(key, field, schema::boolean());
}

// An instant (Millis) as "2026-11-28T15:30:00.000Z".
template <class T, class V>
AnswerMember<T> instant(std::string_view key, V T::*field) {
  if constexpr (is_optional<V>::value) {
    return {key,
            [field](const T& t) {
              const auto& v = t.*field;
              return v ? boost::json::value(iso_time(*v)) : boost::json::value(nullptr);
            },
            schema::nullable(schema::date_time())};
  } else {
    return {key, [field](const T& t) { return boost::json::value(iso_time(t.*field)); },
            schema::date_time()};
  }
}

// A member holding JSON text (a job's payload, an audit entry's detail), written parsed; text
// that does not parse is written as {}.
template <class T>
AnswerMember<T> stored_json(std::string_view key, std::string T::*field, schema::Schema schema) {
  return {key,
          [field](const T& t) {
            boost::system::error_code ec;
            boost::json::value parsed = boost::json::parse(t.*field, ec);
            if (ec) return boost::json::value(boost::json::object{});
            return parsed;
          },
          std::move(schema)};
}

// A member that is itself an answer object (null when an empty optional), written and described
// by `inner`, which must outlive this shape (both are constants).
template <class T, class V>
AnswerMember<T> nested(std::string_view key, V T::*field, const AnswerShape<V>& inner) {
  return {key, [field, &inner](const T& t) { return boost::json::value(inner.write(t.*field)); },
          inner.schema()};
}
template <class T, class V>
AnswerMember<T> nested(std::string_view key, std::optional<V> T::*field,
                       const AnswerShape<V>& inner) {
  return {key,
          [field, &inner](const T& t) {
            const auto& v = t.*field;
            return v ? boost::json::value(inner.write(*v)) : boost::json::value(nullptr);
          },
          schema::nullable(inner.schema())};
}

// A list of answer objects, each written and described by `inner`.
template <class T, class V>
AnswerMember<T> list_of(std::string_view key, std::vector<V> T::*field,
                        const AnswerShape<V>& inner) {
  return {key,
          [field, &inner](const T& t) {
            boost::json::array items;
            for (const auto& v : t.*field) items.push_back(inner.write(v));
            return boost::json::value(std::move(items));
          },
          schema::array_of(inner.schema())};
}

// A value derived from the object (a name for an enum, a count, a parsed payload).
template <class T, class Read>
AnswerMember<T> computed(std::string_view key, Read read, schema::Schema schema) {
  return {key, [read](const T& t) { return boost::json::value(read(t)); }, std::move(schema)};
}

}  // namespace shape
}  // namespace gongdan::api
