// Ownership of GMime (GObject) references in C++: GPtr<T> unrefs on destruction.
//
// Contract: internal to the email channel; construct a GPtr only from a reference you own (a
// *_new or construct call), never from a borrowed pointer (a get_* call).
#pragma once

#include <glib-object.h>

#include <memory>

namespace gongdan::email {

struct GObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};

template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

}  // namespace gongdan::email
