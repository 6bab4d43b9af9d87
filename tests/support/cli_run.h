// Runs genrelab-cli as a user would and reads what it prints. The including test target defines
// GENRELAB_CLI as the path of the binary.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace genrelab::test::cli {

struct Run {
  int exit_code = -1;
  std::string out;  ///< standard output (standard error is discarded unless asked for)
};

/// How to run: extra environment ("NAME=value", set for this run only) and whether standard error
/// is appended to `out`.
struct RunOptions {
  std::vector<std::string> env;
  bool with_stderr = false;
};

/// Single-quotes an argument for the shell.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline Run run(const std::vector<std::string>& args, const RunOptions& options = {}) {
  std::string cmd;
  if (!options.env.empty()) {
    cmd = "env";
    for (const auto& e : options.env) cmd += " " + shell_quote(e);
    cmd += " ";
  }
  cmd += shell_quote(GENRELAB_CLI);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += options.with_stderr ? " 2>&1" : " 2>/dev/null";
  Run r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  while (const auto n = fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// Runs and parses standard output as JSON; a failure is recorded when the exit code differs or
/// the output is not JSON.
inline nlohmann::json run_json(const std::vector<std::string>& args, int expected_exit = 0) {
  const auto r = run(args);
  EXPECT_EQ(r.exit_code, expected_exit) << r.out;
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception&) {
    ADD_FAILURE() << "not JSON: " << r.out;
    return {};
  }
}

}  // namespace genrelab::test::cli
