// The evaluation protocol options shared by train, compare and train-audio (--split, --rotate,
// --groups): declared once for CLI11, loaded once, described the same way in every report.
#pragma once

#include <filesystem>
#include <string>

#include "dataset/group_file.h"
#include "dataset/split_lists.h"

namespace CLI {
class App;
}

namespace genrelab::cli {

/// The evaluation protocol beyond plain track-grouped folds (train, compare, train-audio).
struct ProtocolArgs {
  std::string split;             // built-in split name ("fault-filtered") or a folder of train/valid/test.txt
  bool rotate = false;           // each part of the split held out in turn
  std::filesystem::path groups;  // CSV file,<group>: folds keep each group on one side
};

/// Adds --split, --rotate and --groups to a subcommand.
void add_protocol_options(CLI::App& command, ProtocolArgs& args);

/// The argument combinations load_protocol() refuses.
void check_protocol_args(const ProtocolArgs& args);

/// Reads the split lists (built-in name or folder) and the group file the arguments name into
/// `options` (ml::TrainerOptions or ml::CompareOptions: split, groups, rotate). Throws
/// FileError/TableError naming the file (and line), std::invalid_argument for --rotate without
/// --split or --split with --groups.
template <class Options>
void load_protocol(const ProtocolArgs& args, Options& options) {
  check_protocol_args(args);
  options.rotate = args.rotate;
  if (!args.split.empty()) options.split = dataset::load_split(args.split);
  if (!args.groups.empty()) options.groups = dataset::read_group_file(args.groups);
}

/// How a split's settings were chosen and its model scored, for reports.
std::string split_procedure(bool rotate);

}  // namespace genrelab::cli
