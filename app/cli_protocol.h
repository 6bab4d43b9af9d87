// The evaluation protocol options shared by train, compare and train-audio (--split, --rotate,
// --groups): declared once for CLI11, loaded once, described the same way in every report.
#pragma once

#include <optional>
#include <string>

#include "cli_commands.h"
#include "dataset/group_file.h"
#include "dataset/split_lists.h"

namespace CLI {
class App;
}

namespace genrelab::cli {

/// Adds --split, --rotate and --groups to a subcommand.
void add_protocol_options(CLI::App& command, ProtocolArgs& args);

struct Protocol {
  std::optional<dataset::SplitLists> split;
  std::optional<dataset::GroupFile> groups;
  bool rotate = false;
};

/// Reads the split lists (built-in name or folder) and the group file the arguments name. Throws
/// FileError/TableError naming the file (and line), std::invalid_argument for --rotate without
/// --split or --split with --groups.
Protocol load_protocol(const ProtocolArgs& args);

}  // namespace genrelab::cli
