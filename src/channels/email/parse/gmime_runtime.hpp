// GMime's process-wide initialisation, done once whichever thread asks first.
//
// Contract: ensure_gmime() may be called from any thread, any number of times; only the first
// call initialises, the others wait for it to finish. GMime is never shut down (its state lives
// until the process exits), so parsed objects stay valid on every thread.
#pragma once

namespace gongdan::email {

void ensure_gmime();

}  // namespace gongdan::email
