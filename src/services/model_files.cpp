#include "services/model_files.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "store/database.hpp"
#include "store/triage_store.hpp"

namespace gongdan::services {

ModelFiles::ModelFiles(store::Database& db, std::string data_directory)
    : db_(db), folder_(std::move(data_directory) + "/triage") {}

std::string ModelFiles::path(std::int64_t id) const {
  return fmt::format("{}/model-{}.bin", folder_, id);
}

Result<void> ModelFiles::with_file(
    std::int64_t id, store::Connection* c,
    const std::function<Result<void>(const std::string& path)>& load) {
  std::lock_guard lock(mutex_);
  const std::string file = path(id);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    std::optional<std::string> bytes;
    auto read = [&](store::Connection& r) -> Result<void> {
      GONGDAN_ASSIGN(bytes, store::triage_model_bytes(r, id));
      return {};
    };
    GONGDAN_TRY(c ? read(*c) : db_.read(read));
    if (!bytes) return fail(ErrorCode::kNotFound, "no such model");
    std::filesystem::create_directories(folder_, ec);
    // Written aside and renamed: a crash never leaves a half-written model under its name.
    const std::string temporary = file + ".part";
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
      if (!out) return fail(ErrorCode::kInternal, "cannot write " + temporary);
    }
    std::filesystem::rename(temporary, file, ec);
    if (ec) return fail(ErrorCode::kInternal, "cannot write " + file + ": " + ec.message());
  }
  return load(file);
}

}  // namespace gongdan::services
