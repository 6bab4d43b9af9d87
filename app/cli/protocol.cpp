#include "protocol.h"

#include <stdexcept>

#include <CLI/CLI.hpp>

namespace genrelab::cli {

void add_protocol_options(CLI::App& command, ProtocolArgs& args) {
  std::string names;
  for (const auto& n : dataset::builtin_split_names()) names += (names.empty() ? "" : ", ") + n;
  command.add_option(
      "--split", args.split,
      "Predefined split instead of folds: a built-in name (" + names +
          ": GTZAN's artist-disjoint split) or a folder holding train.txt, valid.txt and test.txt. "
          "Settings are chosen on valid only; the model is refitted on train+valid and scored once on test");
  command.add_flag("--rotate", args.rotate,
                   "With --split: each part is the held-out part in turn (settings chosen on inner folds of the other "
                   "two); reports the mean and each part");
  command.add_option("--groups", args.groups,
                     "CSV 'file,<group>' (e.g. file,artist): folds keep each group on one side (unseen artists "
                     "when the groups are artists)");
}

void check_protocol_args(const ProtocolArgs& args) {
  if (args.rotate && args.split.empty()) throw std::invalid_argument("--rotate needs --split");
  if (!args.split.empty() && !args.groups.empty())
    throw std::invalid_argument("--split fixes the held-out rows: --groups has no use with it");
}

std::string split_procedure(bool rotate) {
  return rotate ? "settings chosen on inner folds of the two other parts only; refitted on the two other parts and "
                  "scored once on the held-out part"
                : "settings chosen on the valid part (fitted on train) only; refitted on train+valid and scored once "
                  "on test";
}

}  // namespace genrelab::cli
