// The database as services' headers name it: by reference only, so that the layers above
// (api, channels, http), which include those headers, never see store/ (src/layers.txt).
#pragma once

namespace gongdan::store {
class Database;
class Connection;
}  // namespace gongdan::store
