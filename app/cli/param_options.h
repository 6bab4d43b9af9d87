// genrelab-cli options generated from the parameter tables (util/param_spec.h): one option per
// declared parameter that has a CLI flag, bound to the field, with the declared range as its check
// and the range in its help. A parameter added to a table appears here without another edit.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "util/param_spec.h"

namespace genrelab::cli {

/// The options added for one parameter table, to tell after parsing which ones the user gave.
template <class Owner>
class ParamOptions {
 public:
  /// Adds an option for every parameter of `specs` with a flag that passes `keep` (all when empty),
  /// bound to the field of `values` (which must outlive parsing).
  ParamOptions(CLI::App& app, const std::vector<Param<Owner>>& specs, Owner& values,
               const std::function<bool(const Param<Owner>&)>& keep = {}) {
    for (const auto& spec : specs)
      if (!spec.flag.empty() && (!keep || keep(spec))) options_.emplace_back(&spec, add(app, spec, values));
  }

  /// Copies the values the user gave from `parsed` into `target` (the others keep target's: e.g.
  /// the defaults of a model kind).
  void copy_given(const Owner& parsed, Owner& target) const {
    for (const auto& [spec, option] : options_)
      if (option->count() > 0) std::visit([&](auto member) { target.*member = parsed.*member; }, spec->field);
  }

 private:
  static CLI::Option* add(CLI::App& app, const Param<Owner>& spec, Owner& values) {
    const std::string help(spec.help);
    const std::string flag(spec.flag);
    return std::visit(
        [&](auto member) -> CLI::Option* {
          using T = std::decay_t<decltype(values.*member)>;
          if constexpr (std::is_same_v<T, bool>) {
            return app.add_flag(flag, values.*member, help);
          } else {
            auto* option = app.add_option(flag, values.*member, help);
            if constexpr (std::is_same_v<T, std::vector<int>>) option->delimiter(',');
            // CLI11 checks the closed range; the core refuses an open end with the declared range in words.
            if (spec.has_range())
              option->check(CLI::Range(spec.range.min, spec.range.max).description(spec.range.text(spec.is_integer())));
            return option;
          }
        },
        spec.field);
  }

  std::vector<std::pair<const Param<Owner>*, CLI::Option*>> options_;
};

}  // namespace genrelab::cli
