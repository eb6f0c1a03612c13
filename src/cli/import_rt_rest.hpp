// `gongdan import rt --url https://rt.example.com/REST/2.0 --token T`: imports a running
// Request Tracker over REST2 (channels/rt_rest), with the same checkpoints and import refs as
// an export's folder. Users and the list of ticket ids are read first; then each batch of
// tickets is fetched (record, history, attachments) and written in one transaction. A ticket an
// earlier run wrote is not fetched again.
#pragma once

#include <string>
#include <string_view>

#include "cli/config.hpp"
#include "cli/import_run.hpp"

namespace gongdan::cli {

// The exit status: 0 all imported, 1 some records left out (named on stderr), 2 not run.
int run_rt_rest_import(const Config& config, std::string_view format_name, const ImportArgs& args,
                       const std::string& token);

}  // namespace gongdan::cli
