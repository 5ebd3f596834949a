#pragma once
// Runs a program for a test and collects what it printed: argv (no shell), extra environment
// variables, a working directory and a time limit. Native only.

#include <map>
#include <string>
#include <vector>

namespace restbox::testing {

struct CommandResult {
  int exit_code = -1;    // the program's exit code; -1 when it could not run, 124 on the time limit
  std::string output;    // stdout and stderr, interleaved
  bool timed_out = false;
};

struct CommandOptions {
  std::map<std::string, std::string> env;  // set (or replaced) in the child's environment
  std::string cwd;                         // "" = the test's own
  int timeout_ms = 120'000;                // then SIGKILL
};

CommandResult RunCommand(const std::vector<std::string>& argv, const CommandOptions& options = {});

// Writes `text` to `path` (creating parent folders); false on failure.
bool WriteFile(const std::string& path, const std::string& text);
std::string ReadFile(const std::string& path);

}  // namespace restbox::testing
