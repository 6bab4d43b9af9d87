// Parameters declared once: each field of a parameter struct (ml::ModelParams, ml::TrainParams,
// ml::AudioCnnOptions, features::ExtractionParams) has one Param entry — its key, range, CLI flag,
// GUI label, help and which data chose its default — from which the core validation and JSON
// reading/writing here, the CLI options (app/cli/param_options.h) and the GUI controls
// (ui/views/param_form.h) are generated. Adding a parameter is its field plus one entry.
// Thread-safety: plain constant data; the functions are pure.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/json_field.h"

namespace genrelab {

/// An interval of allowed values: [min, max] with either end open. Integers print as "1..4096".
struct ParamRange {
  double min = 0.0;
  double max = 0.0;
  bool min_open = false;
  bool max_open = false;

  bool contains(double v) const noexcept {
    return std::isfinite(v) && (min_open ? v > min : v >= min) && (max_open ? v < max : v <= max);
  }
  /// "1..4096" for integers, "[0, 100]", "(0, 1e6]" for reals.
  std::string text(bool integer) const;
};

/// A number as people write it in ranges and messages: 4096, 0.5, 1e-9, 1e6.
std::string format_param_number(double v);

template <class Owner>
struct Param {
  using Field = std::variant<int Owner::*, double Owner::*, bool Owner::*, std::int64_t Owner::*,
                             std::uint64_t Owner::*, std::vector<int> Owner::*>;
  std::string_view key{};  ///< JSON key, what errors name, the GUI control's object name
  Field field{};
  ParamRange range{};        ///< unused for bools and unsigned seeds; for lists, each element's
  std::string_view flag{};   ///< CLI long option ("--conv-filters"); empty: not an option
  std::string_view label{};  ///< GUI label ("Conv 1 filters"); empty: no GUI control
  std::string_view help{};   ///< one line: CLI help and GUI tooltip
  /// Which data chose the default (shown in help); empty for a library or literature default.
  std::string_view chosen_on{};
  /// When the parameter is used (e.g. only by one model kind); null: always.
  bool (*applies)(const Owner&) = nullptr;
  /// Files written by every version hold it: reading fails without it (others keep their default).
  bool required_in_json = false;

  bool applies_to(const Owner& o) const { return applies == nullptr || applies(o); }
  bool is_flag() const { return std::holds_alternative<bool Owner::*>(field); }
  bool is_integer() const {
    return !std::holds_alternative<double Owner::*>(field) && !std::holds_alternative<bool Owner::*>(field);
  }
  bool is_list() const { return std::holds_alternative<std::vector<int> Owner::*>(field); }
  bool has_range() const { return !is_flag() && !std::holds_alternative<std::uint64_t Owner::*>(field); }

  /// The value as a number (bools 0/1; lists: not numbers, NaN).
  double number(const Owner& o) const {
    return std::visit(
        [&](auto member) -> double {
          using T = std::decay_t<decltype(o.*member)>;
          if constexpr (std::is_same_v<T, std::vector<int>>) return std::nan("");
          else return static_cast<double>(o.*member);
        },
        field);
  }
  /// Sets a number (rounded for integer fields; not for lists).
  void set_number(Owner& o, double v) const {
    std::visit(
        [&](auto member) {
          using T = std::decay_t<decltype(o.*member)>;
          if constexpr (std::is_same_v<T, bool>) o.*member = v != 0.0;
          else if constexpr (std::is_same_v<T, double>) o.*member = v;
          else if constexpr (!std::is_same_v<T, std::vector<int>>) o.*member = static_cast<T>(std::llround(v));
        },
        field);
  }
  /// The value as text ("64", "0.3", "256,128", "true").
  std::string text(const Owner& o) const {
    return std::visit(
        [&](auto member) -> std::string {
          using T = std::decay_t<decltype(o.*member)>;
          if constexpr (std::is_same_v<T, bool>) return o.*member ? "true" : "false";
          else if constexpr (std::is_same_v<T, std::vector<int>>) {
            std::string s;
            for (int v : o.*member) s += (s.empty() ? "" : ",") + std::to_string(v);
            return s;
          } else if constexpr (std::is_same_v<T, double>) return format_param_number(o.*member);
          else return std::to_string(o.*member);
        },
        field);
  }
  /// "<key> must be in <range> (got <value>)" when out of range, else empty.
  std::string problem(const Owner& o) const {
    if (!has_range()) return {};
    if (is_list()) {
      for (int v : o.*std::get<std::vector<int> Owner::*>(field))
        if (!range.contains(v))
          return std::string(key) + "[i] must be in " + range.text(true) + " (got " + std::to_string(v) + ")";
      return {};
    }
    const double v = number(o);
    if (range.contains(v)) return {};
    return std::string(key) + " must be in " + range.text(is_integer()) + " (got " + text(o) + ")";
  }
};

/// Throws std::invalid_argument ("<prefix><key> must be in ...") for the first parameter in use
/// whose value is out of range.
template <class Owner>
void check_params(const std::vector<Param<Owner>>& params, const Owner& o, std::string_view prefix = {}) {
  for (const auto& p : params)
    if (p.applies_to(o))
      if (auto problem = p.problem(o); !problem.empty()) throw std::invalid_argument(std::string(prefix) + problem);
}

/// Writes every parameter to the object `j` under its key.
template <class Owner>
void params_to_json(const std::vector<Param<Owner>>& params, const Owner& o, nlohmann::json& j) {
  for (const auto& p : params) std::visit([&](auto member) { j[std::string(p.key)] = o.*member; }, p.field);
}

/// Reads every parameter from the object `j`: required ones must be there (json_field's errors),
/// the others keep their value in `o` when absent.
template <class Owner>
void params_from_json(const std::vector<Param<Owner>>& params, const nlohmann::json& j, Owner& o) {
  for (const auto& p : params) {
    const std::string key(p.key);
    if (!p.required_in_json && !j.contains(key)) continue;
    std::visit([&](auto member) { o.*member = json_field<std::decay_t<decltype(o.*member)>>(j, key.c_str()); },
               p.field);
  }
}

}  // namespace genrelab
