#pragma once
// The transport conformance suite: what core::Transport promises (transport.hpp, DESIGN rule 2),
// checked once and instantiated for every transport (conformance_<transport>_test.cpp):
// - any HTTP status is a response value, never an error;
// - response header names are found whatever their case, and repeated headers keep every value;
// - the method, the request headers and the body (binary-safe, non-ASCII UTF-8) arrive intact;
// - a request over its timeout completes exactly once, with kTimeout;
// - a request cancelled before sending or while in flight completes exactly once, with
//   kCancelled (nothing reaches the server when cancelled before sending);
// - a completion is never called twice, also when a late answer, a cancel and the answer race.
//
// A transport joins with a harness type (a typed test parameter) that owns the transport and
// something answering every request with ConformanceAnswer():
//   core::Transport& transport();
//   std::string Url(std::string_view path);   // what to put in HttpRequest::url
//   int Received();                // requests that reached the server so far
//   bool WaitUntilStalled(int n);  // n requests to "/stall" are being held (bounded wait)
//   void Release();                // answer every held "/stall" request: 200 "late"
//   void Elapse(core::Duration d); // let `d` pass for the transport's timers: a manual clock's
//                                  // Advance, or nothing where the transport keeps real time
//                                  // (then the bounded waits below cover it)
// Waits are bounded (kWait) and event-driven, never sleeps.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "restbox/core/context.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/transport.hpp"

namespace restbox::testing {

inline constexpr auto kWait = std::chrono::seconds(20);  // upper bound of any wait

// A gate a server handler can wait on until the test opens it (a server that "stalls").
class Latch final {
 public:
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, kWait, [&] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Counts events and lets the test wait (bounded) until a number is reached.
class Counter final {
 public:
  void Add() {
    std::lock_guard lock(mutex_);
    ++count_;
    cv_.notify_all();
  }
  bool WaitFor(int n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, kWait, [&] { return count_ >= n; });
  }
  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int count_ = 0;
};

// Receives the results of one request and counts them (a second call is a broken transport).
class Inbox final {
 public:
  core::TransportCompletion Completion() {
    return [this](core::Result<core::HttpResponse> r) {
      std::lock_guard lock(mutex_);
      results_.push_back(std::move(r));
      cv_.notify_all();
    };
  }
  // The first result, waiting for it (bounded).
  core::Result<core::HttpResponse> Wait() {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, kWait, [&] { return !results_.empty(); }))
      return core::MakeError(core::ErrorKind::kProtocol, "test: no completion within the bound");
    return results_.front();
  }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return results_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<core::Result<core::HttpResponse>> results_;
};

// The request as the server saw it.
struct ServerRequest {
  std::string method;
  std::string path;
  core::Headers headers;
  std::string body;
};

// "/a/b" of "http://host:port/a/b?q" or of "/a/b?q".
inline std::string PathOf(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    auto slash = url.find('/', scheme + 3);
    url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  }
  return std::string(url.substr(0, url.find('?')));
}

// What every conformance server answers ("/stall" is the harness's own: it holds the request).
//   /status/N  status N, body "status N" (none for 204), Location on a 302
//   /echo      the request body back, its method, body size, Content-Type and X-Custom in headers
//   /multi     two Set-Cookie headers and one X-Mixed-Case, empty body
//   otherwise  404 "no route"
inline core::HttpResponse ConformanceAnswer(const ServerRequest& request) {
  core::HttpResponse response;
  response.status = 200;
  const std::string_view path = request.path;
  if (path.starts_with("/status/")) {
    response.status = std::stoi(std::string(path.substr(8)));
    if (response.status == 302) response.headers.Set("Location", "/status/200");
    if (response.status != 204) response.body = "status " + std::to_string(response.status);
    response.headers.Set("Content-Type", "text/plain");
  } else if (path == "/echo") {
    response.headers.Set("X-Method", request.method);
    response.headers.Set("X-Body-Size", std::to_string(request.body.size()));
    response.headers.Set("X-Content-Type", request.headers.GetOr("Content-Type", ""));
    response.headers.Set("X-Echo-Custom", request.headers.GetOr("X-Custom", ""));
    response.headers.Set("Content-Type", "application/octet-stream");
    response.body = request.body;
  } else if (path == "/multi") {
    response.headers.Add("Set-Cookie", "a=1");
    response.headers.Add("Set-Cookie", "b=2");
    response.headers.Set("X-Mixed-Case", "v");
    response.headers.Set("Content-Type", "text/plain");
  } else {
    response.status = 404;
    response.body = "no route";
    response.headers.Set("Content-Type", "text/plain");
  }
  return response;
}

template <typename Harness>
class TransportConformance : public ::testing::Test {
 protected:
  core::HttpRequest Request(core::Method method, std::string_view path, std::string body = {}) {
    core::HttpRequest r;
    r.method = method;
    r.url = harness_.Url(path);
    r.body = std::move(body);
    return r;
  }
  core::Result<core::HttpResponse> Exchange(core::HttpRequest request,
                                            const core::Context& context = {}) {
    Inbox inbox;
    harness_.transport().Send(std::move(request), context, inbox.Completion());
    auto r = inbox.Wait();
    EXPECT_EQ(inbox.count(), 1u);
    return r;
  }
  // After a call ended early: the held request is answered late, and one more exchange through the
  // same transport shows it still works and gives any late second completion time to show up.
  void ReleaseAndCheckOneCompletion(Inbox& inbox) {
    harness_.Release();
    auto next = Exchange(Request(core::Method::kGet, "/status/200"));
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ(next->status, 200);
    EXPECT_EQ(inbox.count(), 1u);
  }

  Harness harness_;
};

TYPED_TEST_SUITE_P(TransportConformance);

TYPED_TEST_P(TransportConformance, AnyStatusIsAValueAndRedirectsAreNotFollowed) {
  for (int status : {200, 201, 204, 302, 400, 404, 429, 500, 503}) {
    SCOPED_TRACE(status);
    auto r = this->Exchange(this->Request(core::Method::kGet, "/status/" + std::to_string(status)));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(r->body, status == 204 ? "" : "status " + std::to_string(status));
  }
  auto unrouted = this->Exchange(this->Request(core::Method::kGet, "/no-such-path"));
  ASSERT_TRUE(unrouted.ok()) << unrouted.error().message;
  EXPECT_EQ(unrouted->status, 404);
  EXPECT_EQ(unrouted->body, "no route");
}

TYPED_TEST_P(TransportConformance, ResponseHeaderNamesIgnoreCaseAndKeepEveryValue) {
  auto r = this->Exchange(this->Request(core::Method::kGet, "/multi"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->headers.GetOr("x-mixed-case", ""), "v");
  EXPECT_EQ(r->headers.GetOr("X-MIXED-CASE", ""), "v");
  EXPECT_EQ(r->headers.GetOr("content-type", ""), "text/plain");
  EXPECT_EQ(r->headers.GetOr("CONTENT-TYPE", ""), "text/plain");
  std::vector<std::string> cookies;
  for (const auto& [name, value] : r->headers) {
    if (core::EqualsIgnoreCase(name, "set-cookie")) cookies.push_back(value);
  }
  EXPECT_EQ(cookies, (std::vector<std::string>{"a=1", "b=2"}));
}

TYPED_TEST_P(TransportConformance, MethodsAndBodiesArriveIntact) {
  for (core::Method m :
       {core::Method::kPost, core::Method::kPut, core::Method::kPatch, core::Method::kDelete}) {
    SCOPED_TRACE(core::ToString(m));
    std::string body = "{\"method\":\"" + std::string(core::ToString(m)) + "\"}";
    auto request = this->Request(m, "/echo", body);
    request.headers.Set("Content-Type", "application/json");
    auto r = this->Exchange(request);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->headers.GetOr("X-Method", ""), core::ToString(m));
    EXPECT_EQ(r->body, body);
    EXPECT_EQ(r->headers.GetOr("X-Content-Type", ""), "application/json");
  }
  // Non-ASCII UTF-8 (2-, 3- and 4-byte sequences) and a NUL byte, counted in bytes.
  const std::string utf8 =
      "{\"name\":\"Zo\xC3\xAB \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC "
      "\xF0\x9F\x9A\x80\"}" +
      std::string(1, '\0') + "end";
  auto request = this->Request(core::Method::kPost, "/echo", utf8);
  request.headers.Set("Content-Type", "application/json; charset=utf-8");
  auto r = this->Exchange(request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->headers.GetOr("X-Body-Size", ""), std::to_string(utf8.size()));
  EXPECT_TRUE(r->body == utf8);
  EXPECT_EQ(r->headers.GetOr("X-Content-Type", ""), "application/json; charset=utf-8");
}

TYPED_TEST_P(TransportConformance, BodylessDeleteAndEmptyPut) {
  auto del = this->Exchange(this->Request(core::Method::kDelete, "/echo"));
  ASSERT_TRUE(del.ok()) << del.error().message;
  EXPECT_EQ(del->headers.GetOr("X-Method", ""), "DELETE");
  EXPECT_EQ(del->headers.GetOr("X-Body-Size", ""), "0");
  auto put = this->Exchange(this->Request(core::Method::kPut, "/echo"));
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(put->headers.GetOr("X-Method", ""), "PUT");
  EXPECT_EQ(put->headers.GetOr("X-Body-Size", ""), "0");
}

TYPED_TEST_P(TransportConformance, RequestHeadersArriveIntact) {
  auto request = this->Request(core::Method::kGet, "/echo");
  request.headers.Set("X-Custom", "value with spaces");
  auto r = this->Exchange(request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->headers.GetOr("X-Echo-Custom", ""), "value with spaces");
}

TYPED_TEST_P(TransportConformance, BodiesWithoutContentTypeAreNotLabelled) {
  auto r = this->Exchange(this->Request(core::Method::kPost, "/echo", "raw bytes"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "raw bytes");
  EXPECT_EQ(r->headers.GetOr("X-Content-Type", "?"), "");  // e.g. not as a form
}

TYPED_TEST_P(TransportConformance, ARequestOverItsTimeoutCompletesOnceWithKTimeout) {
  core::Context context;
  context.timeout = std::chrono::milliseconds(200);
  Inbox inbox;
  this->harness_.transport().Send(this->Request(core::Method::kGet, "/stall"), context,
                                  inbox.Completion());
  this->harness_.Elapse(std::chrono::milliseconds(200));
  auto r = inbox.Wait();
  ASSERT_FALSE(r.ok()) << r->status;
  EXPECT_EQ(r.error().kind, core::ErrorKind::kTimeout) << r.error().message;
  this->ReleaseAndCheckOneCompletion(inbox);
}

TYPED_TEST_P(TransportConformance, ACancelBeforeSendingCompletesOnceWithoutSending) {
  core::Context context;
  context.cancellation = std::make_shared<core::CancellationSource>();
  context.cancellation->Cancel();
  auto r = this->Exchange(this->Request(core::Method::kGet, "/echo"), context);
  ASSERT_FALSE(r.ok()) << r->status;
  EXPECT_EQ(r.error().kind, core::ErrorKind::kCancelled);
  EXPECT_EQ(this->harness_.Received(), 0);
}

TYPED_TEST_P(TransportConformance, ACancelInFlightCompletesOnceWithKCancelled) {
  core::Context context;
  context.cancellation = std::make_shared<core::CancellationSource>();
  Inbox inbox;
  this->harness_.transport().Send(this->Request(core::Method::kGet, "/stall"), context,
                                  inbox.Completion());
  ASSERT_TRUE(this->harness_.WaitUntilStalled(1));  // the server is holding it
  EXPECT_EQ(inbox.count(), 0u);
  context.cancellation->Cancel();
  auto r = inbox.Wait();
  ASSERT_FALSE(r.ok()) << r->status;
  EXPECT_EQ(r.error().kind, core::ErrorKind::kCancelled);
  context.cancellation->Cancel();  // a second cancel changes nothing
  this->ReleaseAndCheckOneCompletion(inbox);
}

TYPED_TEST_P(TransportConformance, ACancelRacingTheAnswerCompletesOnce) {
  constexpr int kRounds = 100;
  std::vector<std::atomic<int>> calls(kRounds);
  std::atomic<int> wrong{0};
  Counter done;
  std::vector<std::shared_ptr<core::CancellationSource>> sources;
  for (int i = 0; i < kRounds; ++i) {
    core::Context context;
    context.cancellation = std::make_shared<core::CancellationSource>();
    sources.push_back(context.cancellation);
    this->harness_.transport().Send(
        this->Request(core::Method::kGet, "/status/200"), context,
        [&, i](core::Result<core::HttpResponse> r) {
          if (!(r.ok() ? r->status == 200 : r.error().kind == core::ErrorKind::kCancelled)) ++wrong;
          ++calls[static_cast<std::size_t>(i)];
          done.Add();
        });
  }
  std::thread canceller([&] {
    for (auto& s : sources) s->Cancel();
  });
  canceller.join();
  ASSERT_TRUE(done.WaitFor(kRounds));
  // One more exchange: a second completion of any round would have arrived by now.
  auto next = this->Exchange(this->Request(core::Method::kGet, "/status/200"));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(wrong.load(), 0);
  for (int i = 0; i < kRounds; ++i) EXPECT_EQ(calls[static_cast<std::size_t>(i)].load(), 1) << i;
}

REGISTER_TYPED_TEST_SUITE_P(TransportConformance, AnyStatusIsAValueAndRedirectsAreNotFollowed,
                            ResponseHeaderNamesIgnoreCaseAndKeepEveryValue,
                            MethodsAndBodiesArriveIntact, BodylessDeleteAndEmptyPut,
                            RequestHeadersArriveIntact, BodiesWithoutContentTypeAreNotLabelled,
                            ARequestOverItsTimeoutCompletesOnceWithKTimeout,
                            ACancelBeforeSendingCompletesOnceWithoutSending,
                            ACancelInFlightCompletesOnceWithKCancelled,
                            ACancelRacingTheAnswerCompletesOnce);

}  // namespace restbox::testing
