// The similar tickets' sentence vectors (issue 22): one row per solved ticket, made by the
// vector model `model_id` (a triage_models row of field "similar") from its subject and tags,
// stored as little-endian float32s. services/ticket_vectors keeps them in memory on each node.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct TicketVectorRow {
  std::int64_t ticket_id = 0;
  std::vector<float> vector;
  Millis stored_at = 0;
};

// Adds or replaces ticket `ticket_id`'s vector.
Result<void> put_ticket_vector(Connection& c, std::int64_t ticket_id, std::int64_t model_id,
                               std::span<const float> vector, Millis now);
Result<void> drop_ticket_vector(Connection& c, std::int64_t ticket_id);
// The vectors of every ticket `requester_id` requested (their erasure rewrites the subjects).
Result<void> drop_requester_vectors(Connection& c, std::int64_t requester_id);
// Up to `limit` vectors of model `model_id` with ticket ids above `after_id`, in id order.
Result<std::vector<TicketVectorRow>> ticket_vectors(Connection& c, std::int64_t model_id,
                                                    std::int64_t after_id, int limit);
// Model `model_id`'s vectors stored at or after `since` (what another node added), up to `limit`.
Result<std::vector<TicketVectorRow>> ticket_vectors_since(Connection& c, std::int64_t model_id,
                                                          Millis since, int limit);
// Up to `limit` tickets whose vector is of another model than `model_id`.
Result<std::vector<std::int64_t>> tickets_of_other_models(Connection& c, std::int64_t model_id,
                                                          int limit);
// Which of `ids` have a vector.
Result<std::vector<std::int64_t>> tickets_with_vectors(Connection& c,
                                                       const std::vector<std::int64_t>& ids);

}  // namespace gongdan::store
