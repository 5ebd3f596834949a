#pragma once
// Runs the restbox-mock program for a test: on a free loopback port, until the test is done.
// Used by the conformance sweep (a gtest Environment) and by the install test's runner.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace restbox::conformance {

class MockProcess final {
 public:
  // Reserves a free loopback port at once (so the base URL is known before the server runs);
  // nothing is started yet. `binary` is the restbox-mock executable; `extra_args` are appended
  // to `--host 127.0.0.1 --port <port>`.
  explicit MockProcess(std::string binary, std::vector<std::string> extra_args = {});
  ~MockProcess();  // Stop()
  MockProcess(const MockProcess&) = delete;
  MockProcess& operator=(const MockProcess&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Spawns the server and waits (at most `ready_timeout_ms`) until it answers
  // GET /__restbox/health. Returns "" when it answers 200 (any HTTP answer when
  // `need_admin_api` is false), else what went wrong, with the server's own output. Starting
  // twice is a no-op.
  std::string Start(int ready_timeout_ms = 15'000, bool need_admin_api = true);
  // The status the last health check got (0 = no HTTP answer).
  int health_status() const { return health_status_; }
  // SIGTERM, then SIGKILL if it has not exited within a bound; reaps the process.
  void Stop();
  bool running() const { return pid_ > 0; }
  // What the server wrote to stdout/stderr so far.
  std::string Output() const;

 private:
  std::string TryStart(int ready_timeout_ms, bool need_admin_api, bool& exited_early);
  void ReleaseReservation();

  std::string binary_;
  std::vector<std::string> extra_args_;
  int reservation_fd_ = -1;
  int port_ = 0;
  pid_t pid_ = -1;
  int health_status_ = 0;
  std::string log_path_;
};

// GET `url` with a bounded wait; returns the status (0 when there is no HTTP answer) and body.
struct SimpleResponse {
  int status = 0;
  std::string body;
};
SimpleResponse HttpGet(const std::string& host, int port, const std::string& path,
                       int timeout_ms = 1000);
// POST `body` as application/json to `path`, the same way.
SimpleResponse HttpPost(const std::string& host, int port, const std::string& path,
                        const std::string& body, int timeout_ms = 1000);

}  // namespace restbox::conformance
