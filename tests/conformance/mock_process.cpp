#include "mock_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include "run_command.hpp"

namespace restbox::conformance {
namespace {

using Clock = std::chrono::steady_clock;

// Process supervision polls (a child's exit, a port opening); these are not test timing.
constexpr auto kPollStep = std::chrono::milliseconds(20);

// Binds 127.0.0.1:0 without listening, with SO_REUSEPORT/SO_REUSEADDR: the port stays ours until
// the server (cpp-httplib sets the same options) binds it too, so no other process can take it
// in between.
int ReservePort(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

bool Exited(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

namespace {

SimpleResponse Request(const std::string& host, int port, const std::string& path,
                       const std::string* body, int timeout_ms) {
  httplib::Client client(host, port);
  auto timeout = std::chrono::milliseconds(timeout_ms);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  SimpleResponse out;
  auto res = body ? client.Post(path.c_str(), *body, "application/json") : client.Get(path.c_str());
  if (res) {
    out.status = res->status;
    out.body = res->body;
  }
  return out;
}

}  // namespace

SimpleResponse HttpGet(const std::string& host, int port, const std::string& path, int timeout_ms) {
  return Request(host, port, path, nullptr, timeout_ms);
}

SimpleResponse HttpPost(const std::string& host, int port, const std::string& path,
                        const std::string& body, int timeout_ms) {
  return Request(host, port, path, &body, timeout_ms);
}

MockProcess::MockProcess(std::string binary, std::vector<std::string> extra_args)
    : binary_(std::move(binary)), extra_args_(std::move(extra_args)) {
  reservation_fd_ = ReservePort(port_);
}

MockProcess::~MockProcess() {
  Stop();
  ReleaseReservation();
  if (!log_path_.empty()) std::remove(log_path_.c_str());
}

void MockProcess::ReleaseReservation() {
  if (reservation_fd_ >= 0) ::close(reservation_fd_);
  reservation_fd_ = -1;
}

std::string MockProcess::Output() const {
  if (log_path_.empty()) return {};
  std::ifstream in(log_path_, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string MockProcess::Start(int ready_timeout_ms, bool need_admin_api) {
  if (pid_ > 0) return {};
  if (port_ <= 0) return "could not reserve a loopback port";
  if (::access(binary_.c_str(), X_OK) != 0) return "restbox-mock not found at " + binary_;
  bool exited_early = false;
  std::string problem = TryStart(ready_timeout_ms, need_admin_api, exited_early);
  if (!problem.empty() && exited_early && reservation_fd_ >= 0) {
    // A server that does not share the reserved port (no SO_REUSEPORT): free it and try again.
    ReleaseReservation();
    problem = TryStart(ready_timeout_ms, need_admin_api, exited_early);
  }
  ReleaseReservation();
  return problem;
}

std::string MockProcess::TryStart(int ready_timeout_ms, bool need_admin_api, bool& exited_early) {
  exited_early = false;
  if (log_path_.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/restbox-mock-XXXXXX";
    int fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      log_path_ = pattern;
    }
  }
  std::vector<std::string> args = {binary_, "--host", "127.0.0.1", "--port", std::to_string(port_)};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::string problem;
  const int pid = testing::Spawn(args, {.output_path = log_path_}, problem);
  if (pid < 0) return problem;
  pid_ = pid;

  const auto deadline = Clock::now() + std::chrono::milliseconds(ready_timeout_ms);
  while (Clock::now() < deadline) {
    if (Exited(pid_)) {
      pid_ = -1;
      exited_early = true;
      return "restbox-mock exited before answering; its output:\n" + Output();
    }
    auto health = HttpGet("127.0.0.1", port_, "/__restbox/health", 500);
    health_status_ = health.status;
    if (health.status == 200 || (health.status != 0 && !need_admin_api)) return {};
    if (health.status != 0) {
      return "restbox-mock answers GET /__restbox/health with " + std::to_string(health.status) +
             " (is the admin API in this build?): " + health.body;
    }
    std::this_thread::sleep_for(kPollStep);
  }
  return "restbox-mock did not answer within " + std::to_string(ready_timeout_ms) +
         " ms; its output:\n" + Output();
}

void MockProcess::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  bool gone = false;
  while (!(gone = Exited(pid_)) && Clock::now() < deadline) std::this_thread::sleep_for(kPollStep);
  if (!gone) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

}  // namespace restbox::conformance
