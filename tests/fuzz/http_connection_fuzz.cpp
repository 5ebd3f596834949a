// libFuzzer target: restbox-mock's connection code (mock-server/http/src/connection_loop.hpp:
// the event loop, pipelining, refusals, closing) on arbitrary bytes sent over a real loopback
// connection. One ConnectionLoop runs for the whole session with a handler that echoes what it
// got; each input is sent on a fresh connection, which is then half-closed, and the bytes that
// come back must be exactly what the request reader alone (request_reader.hpp) makes of the
// input: one 200 per request in order (until one asks to close), then the reader's error status
// if it ends in one, and nothing else (interim 100 Continue answers aside). A connection the
// server never finishes (nothing for 5 s before its close) is a failure too.
// Built by the fuzz preset (tests/fuzz/CMakeLists.txt); ctest --preset fuzz -R http_ runs it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "connection_loop.hpp"
#include "request_reader_transcript.hpp"

namespace {

using namespace restbox::mock;

void Check(bool ok, const char* what, std::string_view detail = {}) {
  if (!ok) {
    std::fprintf(stderr, "http_connection_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
  }
}

// Answers every request with 200 and what it was, in the body (as the transcript writes it), and
// every refusal with its status.
class Echo final : public ConnectionHandler {
 public:
  std::optional<restbox::core::HttpResponse> Screen(const RequestHead&) override {
    return std::nullopt;
  }
  Answer Respond(Incoming& in) override {
    Answer a;
    if (in.failure) {
      a.response.status = in.failure->status;
      return a;
    }
    const RequestHead& h = in.head;
    a.response.status = 200;
    std::string line = h.method + " " + h.target + " HTTP/1." + std::to_string(h.minor_version);
    if (!h.keep_alive) line += " close";
    if (h.expect_continue) line += " continue";
    // HEAD answers carry no body: the echo goes in a header then (hex, any bytes allowed).
    line += " body=" + in.body;
    std::string hex;
    for (unsigned char c : line) {
      hex += "0123456789abcdef"[c >> 4];
      hex += "0123456789abcdef"[c & 15];
    }
    a.response.headers.Set("X-Echo", hex);
    return a;
  }
};

struct Server {
  Server() : loop(echo, Limits()) {
    Check(!loop.Listen("127.0.0.1", 0), "cannot listen");
    thread = std::thread([this] { loop.Run(); });
  }
  static ConnectionLimits Limits() {
    ConnectionLimits limits;
    limits.workers = 2;
    return limits;
  }
  Echo echo;
  ConnectionLoop loop;
  std::thread thread;  // runs until the process ends
};

std::string FromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// The answers in `stream`, as the transcript writes requests, or errors as "<error NNN>".
std::vector<std::string> Answers(const std::string& stream) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < stream.size()) {
    Check(stream.compare(pos, 9, "HTTP/1.1 ") == 0, "not a status line", stream.substr(pos, 80));
    std::size_t end = stream.find("\r\n\r\n", pos);
    Check(end != std::string::npos, "an answer without the end of its head", stream.substr(pos));
    std::string head = stream.substr(pos, end + 2 - pos);
    pos = end + 4;
    const int status = std::atoi(head.substr(9, 3).c_str());
    std::size_t length = 0;
    std::string echo;
    for (std::size_t line = head.find("\r\n"); line + 2 < head.size();) {
      std::size_t next = head.find("\r\n", line + 2);
      std::string_view field(head.data() + line + 2, next - line - 2);
      if (field.starts_with("Content-Length: ")) length = std::stoul(std::string(field.substr(16)));
      if (field.starts_with("X-Echo: ")) echo = FromHex(field.substr(8));
      line = next;
    }
    Check(pos + length <= stream.size(), "an answer shorter than its Content-Length");
    pos += length;
    if (status == 100) continue;
    out.push_back(status == 200 ? echo : "<error " + std::to_string(status) + ">");
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server* server = new Server();  // shared by every input, never torn down
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // What the reader alone makes of the input, cut to what a server answers: up to the first
  // request that closes the connection, with errors as their status only.
  std::vector<std::string> expected;
  for (const std::string& e : restbox::mock::testing::ReaderTranscript(input, 0)) {
    if (e == "<partial>") break;
    if (e.starts_with("<error ")) {
      expected.push_back(e.substr(0, e.find('>') + 1));
      break;
    }
    expected.push_back(e);
    // "METHOD target HTTP/1.x [close] [continue] body=...": no space in the first three, but
    // the target may itself read "body=..." (AD body= HTTP/1.0), so the three go first.
    std::string_view flags = e;
    for (int i = 0; i < 3; ++i) flags.remove_prefix(std::min(flags.size(), flags.find(' ') + 1));
    if (flags.starts_with("close")) break;
  }

  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server->loop.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int connected;
  do {
    connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  } while (connected != 0 && errno == EINTR);
  Check(connected == 0 || errno == EISCONN, "cannot connect");  // EISCONN: done while interrupted
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  // Inputs are small (-max_len): they fit in the socket's buffer, so sending first cannot block
  // on a server that waits for us to read.
  // EINTR is retried everywhere: libFuzzer's -timeout watchdog is a SIGALRM every few seconds,
  // and a socket call with SO_RCVTIMEO set is never restarted after a signal (signal(7)), so one
  // alarm landing in a recv used to fail the run as "never closed" (the intermittent failure
  // under load, which only made recv waits longer).
  for (std::size_t off = 0; off < input.size();) {
    ssize_t n = ::send(fd, input.data() + off, input.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the server may close early (after a refusal)
    off += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string got;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      got.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    Check(n == 0 || errno == ECONNRESET,
          n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
              ? "the server never closed the connection (nothing for 5 s)"
              : "the connection failed otherwise than by a close or a reset",
          got);
    break;
  }
  ::close(fd);
  Check(Answers(got) == expected, "the connection answered otherwise than the reader reads", got);
  return 0;
}
