// An agent's in-app notification as the API answers it (schema Notification): the list of
// notification_handlers, and the live stream's "notification.created", documented with the
// common schemas.
#pragma once

#include "api/answer_shape.hpp"
#include "domain/notification.hpp"

namespace gongdan::api {

extern const AnswerShape<Notification> kNotificationShape;

}  // namespace gongdan::api
