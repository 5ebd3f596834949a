#pragma once
// Runs a program for a test and collects what it printed: argv (no shell), extra environment
// variables, a working directory and a time limit. Native only.

#include <map>
#include <string>
#include <vector>

namespace restbox::testing {

struct CommandResult {
  int exit_code = -1;  // the program's exit code; -1 when it could not run, 124 on the time limit
  std::string output;  // stdout and stderr, interleaved
  bool timed_out = false;
};

struct CommandOptions {
  std::map<std::string, std::string> env;  // set (or replaced) in the child's environment
  std::string cwd;                         // "" = the test's own
  int timeout_ms = 120'000;                // then SIGKILL
};

CommandResult RunCommand(const std::vector<std::string>& argv, const CommandOptions& options = {});

// Where a Spawned program's stdout and stderr go: to `fd` when it is >= 0, else appended to the
// file `path` when it is not empty, else wherever the test's own go. Stdin is /dev/null.
struct SpawnOptions {
  std::map<std::string, std::string> env;  // set (or replaced) in the child's environment
  std::string cwd;                         // "" = the test's own
  int output_fd = -1;
  std::string output_path;
  bool truncate_output = false;  // output_path emptied first instead of appended to
};

// Starts argv[0] (searched in PATH when it has no slash) in the background: its pid, or -1 with
// `problem` saying why. The caller waits for it (waitpid).
int Spawn(const std::vector<std::string>& argv, const SpawnOptions& options, std::string& problem);

// Writes `text` to `path` (creating parent folders); false on failure.
bool WriteFile(const std::string& path, const std::string& text);
std::string ReadFile(const std::string& path);

}  // namespace restbox::testing
