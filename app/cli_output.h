// What every genrelab-cli command prints the same way: JSON results and errors.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace genrelab::cli {

/// Prints `j` on stdout, indented by 2; invalid UTF-8 in strings (file names may hold any bytes)
/// is replaced rather than aborting after the work is done.
void print_json(const nlohmann::json& j);
/// Reports an error, as {"error": message} on stdout with --json, else "error: message" on
/// stderr, and returns the exit code 1.
int error_exit(const std::string& message, bool as_json);

}  // namespace genrelab::cli
