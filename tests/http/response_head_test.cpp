// How restbox-mock frames an answer (mock-server/http/src/connection_loop.hpp, ResponseHead):
// its own Content-Length and Connection whatever a handler set, HEAD with the GET's length, no
// length or body where HTTP forbids one, no header line a client could split in two.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "connection_loop.hpp"

namespace restbox::mock {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

core::HttpResponse Json(int status, std::string body) {
  core::HttpResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

TEST(ResponseHead, FramesTheBodyItselfAndKeepsTheConnectionOpen) {
  core::HttpResponse r = Json(200, R"({"ok":true})");
  r.headers.Set("Content-Length", "999");  // a handler's framing headers are replaced
  r.headers.Set("Transfer-Encoding", "chunked");
  r.headers.Set("Connection", "close");
  r.headers.Set("X-Request-Id", "rid-1");
  std::size_t body = 0;
  ResponseFraming framing;
  framing.keep_alive_timeout = std::chrono::seconds(5);
  framing.keep_alive_max = 100;
  std::string head = ResponseHead(r, framing, body);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: rid-1\r\n"
            "Content-Length: 11\r\nKeep-Alive: timeout=5, max=100\r\n\r\n");
  EXPECT_EQ(body, 11u);
}

TEST(ResponseHead, CloseAndHttp10KeepAlive) {
  std::size_t body = 0;
  ResponseFraming close;
  close.close = true;
  EXPECT_THAT(ResponseHead(Json(400, "{}"), close, body),
              HasSubstr("\r\nConnection: close\r\n\r\n"));
  ResponseFraming http10;
  http10.http10 = true;
  std::string head = ResponseHead(Json(200, "{}"), http10, body);
  EXPECT_THAT(head, HasSubstr("\r\nConnection: keep-alive\r\nKeep-Alive: timeout="));
}

TEST(ResponseHead, HeadAnnouncesTheLengthOfTheGetAndSendsNoBody) {
  core::HttpResponse r = Json(200, "");
  r.headers.Set("Content-Length", "1234");  // what the mock says a GET would carry
  ResponseFraming head_request;
  head_request.head_request = true;
  std::size_t body = 99;
  EXPECT_THAT(ResponseHead(r, head_request, body), HasSubstr("Content-Length: 1234\r\n"));
  EXPECT_EQ(body, 0u);
  // Without a declared length (static files, the landing document): the body's, not sent.
  std::string text = ResponseHead(Json(200, "abc"), head_request, body);
  EXPECT_THAT(text, HasSubstr("Content-Length: 3\r\n"));
  EXPECT_EQ(body, 0u);
  r.headers.Set("Content-Length", "12x");  // not a length: the body's
  EXPECT_THAT(ResponseHead(r, head_request, body), HasSubstr("Content-Length: 0\r\n"));
}

TEST(ResponseHead, NoBodyAndNoLengthWhereHttpForbidsThem) {
  for (int status : {204, 304, 101}) {
    SCOPED_TRACE(status);
    core::HttpResponse r = Json(status, "should not be sent");
    std::size_t body = 99;
    std::string head = ResponseHead(r, ResponseFraming{}, body);
    EXPECT_THAT(head, Not(HasSubstr("Content-Length")));
    EXPECT_EQ(body, 0u);
  }
}

TEST(ResponseHead, HeaderLinesThatCouldSplitAreLeftOut) {
  core::HttpResponse r;
  r.status = 200;
  r.body = "x";
  r.headers.Add("X-Good", "fine");
  r.headers.Add("X-Split", "a\r\nSet-Cookie: evil=1");
  r.headers.Add("X-Lf", "a\nb");
  r.headers.Add("X-Nul", std::string("a\0b", 3));
  r.headers.Add("Bad Name", "v");
  r.headers.Add("", "v");
  std::size_t body = 0;
  std::string head = ResponseHead(r, ResponseFraming{}, body);
  EXPECT_THAT(head, HasSubstr("X-Good: fine\r\n"));
  EXPECT_THAT(head, Not(HasSubstr("evil")));
  EXPECT_THAT(head, Not(HasSubstr("X-Lf")));
  EXPECT_THAT(head, Not(HasSubstr("X-Nul")));
  EXPECT_THAT(head, Not(HasSubstr("Bad Name")));
  // A body without a type is announced as text, like any HTTP server would.
  EXPECT_THAT(head, HasSubstr("Content-Type: text/plain\r\n"));
}

TEST(ResponseHead, UnknownStatusesKeepAnEmptyReasonPhrase) {
  std::size_t body = 0;
  EXPECT_TRUE(
      ResponseHead(Json(599, "{}"), ResponseFraming{}, body).starts_with("HTTP/1.1 599 \r\n"));
}

}  // namespace
}  // namespace restbox::mock
