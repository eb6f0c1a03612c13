// Released migrations never change: databases were migrated with their exact text, and a
// migration is recorded by number only, so an edit would reach new installs and no old one.
// The SHA-256 of each migration's SQL, recorded when it was released, holds the text to that.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "store/migrations.hpp"
#include "util/crypto.hpp"

namespace gongdan::store {
namespace {

TEST(SchemaText, EveryReleasedMigrationKeepsItsText) {
  const std::map<int, std::string> released = {
      {1, "275ac50d4c237f9409188d4a9892d0290077878d237fdf1bcf6f56b42c916885"},
      {2, "71b9acba8ff7a58ba1eb4a7b37bf68f9243d6e17f7cd7d384b2ce7861ceceed7"},
      {3, "42f886aa63da0df6ee9c30beb4051e6cf306c68396fc55f352c93b5089d52061"},
      {4, "ac25ea76d8e29f1dd76b8b155b52c88f3276206ba9efa53419b1c895d74a7642"},
      {5, "1a92babbaa82b72387cb58fefd06540345a473714a30ca49073c892c259ed040"},
      {6, "fdd46369e9b6571529d83dc7f615b8bddfa78161f5452c17460ba28af2981de2"},
      {7, "1d797e457532bd2765a9ad621ef1160a9db591eb2bdb0085d4f3e12fd2fe8a85"},
      {8, "72d0eb00bff747b18fc21ac2b3db265e0e4bfa4c195fd9c0a0461ee8ab4e1ec5"},
      {9, "76c8c8225df2365dd4e69615202a9ffc57c80dd0410a9efe710fef39b086f852"},
      {10, "51a896e874456b028fde68f4300966b10a7be31c3c5f3bd09e47e76ddc4f94a0"},
      {11, "5140565ddd45d6954b10965a26f45e8fe257cde394e90c684d79aee6e806fda4"},
      {12, "fc927250dbee1abf6bc2b26ccfe34b50c920279f73c27db39ab46aa8277b840b"},
      {13, "c92d7d391b589a151e99ef50564e4338babf061c17645e1ce835157ae9e713a6"},
      {14, "1562b277e70a6ce3abdb091894b3335f84a0d94d96820195fa9bafe6c8730032"},
  };
  for (const auto& migration : all_migrations()) {
    auto found = released.find(migration.version);
    if (found == released.end()) continue;  // newer than this list: record it once released
    EXPECT_EQ(crypto::sha256_hex(migration.sql), found->second)
        << "migration " << migration.version << " (" << migration.name << ") changed";
  }
}

}  // namespace
}  // namespace gongdan::store
