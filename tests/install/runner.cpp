// restbox_install_runner <restbox-mock> <program> [args...]: starts restbox-mock on a free
// loopback port, runs <program> [args...] <base-url>, stops the mock, and exits with the
// program's exit code (2 when the mock could not be started).

#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "mock_process.hpp"

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <restbox-mock> <program> [args...]\n", argv[0]);
    return 2;
  }
  restbox::conformance::MockProcess mock(argv[1]);
  // The consumer only needs the service endpoints: any HTTP answer means the mock is up.
  std::string problem = mock.Start(15'000, /*need_admin_api=*/false);
  if (!problem.empty()) {
    std::fprintf(stderr, "cannot start restbox-mock: %s\n", problem.c_str());
    return 2;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  args.push_back(mock.base_url());
  std::vector<char*> child_argv;
  for (auto& a : args) child_argv.push_back(a.data());
  child_argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, child_argv[0], nullptr, nullptr, child_argv.data(), environ);
  if (rc != 0) {
    std::fprintf(stderr, "cannot run %s: %s\n", child_argv[0], std::strerror(rc));
    return 2;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  mock.Stop();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  std::fprintf(stderr, "%s did not exit normally (status %d)\n", child_argv[0], status);
  return 1;
}
