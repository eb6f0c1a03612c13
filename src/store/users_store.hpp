// Persistence of people (agents and customers). Functions run inside a read or write callback
// and take its Connection.
#pragma once

#include <optional>
#include <vector>

#include "domain/user.hpp"
#include "store/database.hpp"

namespace gongdan::store {

struct UserWithSecret {
  User user;
  std::optional<std::string> password_hash;
};

// The account columns every join with users selects (as "u"), in the order read_user_columns
// reads them from column `first` on.
inline constexpr std::string_view kUserAccountColumns =
    "u.id, u.role, u.email, u.name, u.locale, u.time_zone, u.active, u.created_at, u.updated_at, "
    "u.role_id";
inline constexpr int kUserAccountColumnCount = 10;
// The first nine account columns (without role_id), for reads that select them alone.
User read_user_columns(const Query& q, int first);
// All of kUserAccountColumns.
User read_account_columns(const Query& q, int first);
// Every column of a user as `alias` names them, for joins; read back (from column `first`) by
// read_user_at, which gives a user with id 0 when the join found none.
std::string user_columns(std::string_view alias);
inline constexpr int kUserColumnCount = 13;
User read_user_at(const Query& q, int first);

Result<std::int64_t> insert_user(Connection& c, const User& user,
                                 const std::optional<std::string>& password_hash);
// A user (without a password) unless the email is taken, by a row this transaction can see or by
// one another writer's transaction commits meanwhile (PostgreSQL waits for it): then nothing.
Result<std::optional<std::int64_t>> insert_user_unless_taken(Connection& c, const User& u);
Result<std::optional<UserWithSecret>> find_user_by_email(Connection& c, std::string_view email);
Result<std::optional<User>> find_user(Connection& c, std::int64_t id);
// Users with id greater than `after_id`, in id order, at most `limit`; with `organization_id`,
// only the customers in that organization.
Result<std::vector<User>> list_users(Connection& c, UserKind kind, std::int64_t after_id, int limit,
                                     std::optional<std::int64_t> organization_id = std::nullopt);
Result<void> update_user(Connection& c, const User& user);
Result<void> set_password_hash(Connection& c, std::int64_t user_id, std::string_view hash,
                               Millis now);
Result<std::int64_t> count_users(Connection& c);

}  // namespace gongdan::store

namespace gongdan::store {
// Users by id, for showing names beside ids (assignees, requesters, authors).
Result<std::vector<User>> find_users(Connection& c, const std::vector<std::int64_t>& ids);
}  // namespace gongdan::store
