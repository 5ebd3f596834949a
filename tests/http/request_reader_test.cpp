// restbox-mock's HTTP/1.1 request reader (mock-server/http/src/request_reader.hpp) without
// sockets: what it accepts, every framing rule it enforces, its limits, and that the result never
// depends on how the byte stream was cut (one byte at a time included).
#include "request_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "request_reader_transcript.hpp"

namespace restbox::mock {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReaderTranscript;

// The stream read whole, and in pieces of 1, 2, 3, 5 and 7 bytes, gives the same result.
std::vector<std::string> Read(const std::string& stream, RequestReaderLimits limits = {}) {
  std::vector<std::string> whole = ReaderTranscript(stream, 0, limits);
  for (std::size_t piece : {1, 2, 3, 5, 7}) {
    EXPECT_EQ(ReaderTranscript(stream, piece, limits), whole) << "in pieces of " << piece;
  }
  return whole;
}

// The status of the error a request ends in (0: none).
int Status(const std::string& stream, RequestReaderLimits limits = {}) {
  auto events = Read(stream, limits);
  if (events.empty() || !events.back().starts_with("<error ")) return 0;
  return std::stoi(events.back().substr(7, 3));
}

const std::string kHost = "Host: 127.0.0.1\r\n";

TEST(RequestReader, ReadsARequestLineHeadersAndNoBody) {
  RequestReader reader;
  const std::string text =
      "GET /api/x?a=1 HTTP/1.1\r\nHost: localhost:8080\r\nX-Empty:\r\nX-Pad:  v  1 \t\r\n\r\n";
  EXPECT_EQ(reader.Feed(text), text.size());
  ASSERT_EQ(reader.state(), RequestReader::State::kHeadDone);
  const RequestHead& h = reader.head();
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.target, "/api/x?a=1");
  EXPECT_EQ(h.minor_version, 1);
  ASSERT_EQ(h.headers.size(), 3u);
  EXPECT_EQ(h.Get("host"), "localhost:8080");
  EXPECT_EQ(h.Get("X-Empty"), "");
  EXPECT_EQ(h.Get("X-Pad"), "v  1");  // spaces and tabs around the value are not part of it
  EXPECT_TRUE(h.keep_alive);
  EXPECT_FALSE(h.has_body());
  reader.ReadBody();
  EXPECT_EQ(reader.state(), RequestReader::State::kDone);
  EXPECT_EQ(reader.body(), "");
}

TEST(RequestReader, StopsAtTheEndOfTheHeadAndOfTheRequest) {
  RequestReader reader;
  const std::string head = "POST /p HTTP/1.1\r\n" + kHost + "Content-Length: 5\r\n\r\n";
  const std::string next = "GET /next HTTP/1.1\r\n\r\n";
  const std::string text = head + "hello" + next;
  std::size_t used = reader.Feed(text);
  EXPECT_EQ(used, head.size());  // the body is read only once the caller accepted the head
  ASSERT_EQ(reader.state(), RequestReader::State::kHeadDone);
  EXPECT_EQ(reader.head().content_length, 5u);
  reader.ReadBody();
  used += reader.Feed(std::string_view(text).substr(used));
  EXPECT_EQ(used, head.size() + 5);  // the next request is left for later
  ASSERT_EQ(reader.state(), RequestReader::State::kDone);
  EXPECT_EQ(reader.body(), "hello");
  EXPECT_EQ(reader.Feed("more"), 0u);  // nothing is read until Next()
  reader.Next();
  EXPECT_FALSE(reader.started());
  EXPECT_EQ(reader.Feed(std::string_view(text).substr(used)), next.size());
  EXPECT_EQ(reader.head().target, "/next");
}

TEST(RequestReader, PipelinedRequestsComeOutInOrderHoweverTheStreamIsCut) {
  const std::string stream =
      "GET /a HTTP/1.1\r\n" + kHost + "\r\n" +                                //
      "POST /b HTTP/1.1\r\n" + kHost + "Content-Length: 3\r\n\r\nxyz" +       //
      "PUT /c HTTP/1.1\r\n" + kHost + "Transfer-Encoding: chunked\r\n\r\n" +  //
      "4\r\nabcd\r\n1;ext=\"v\"\r\ne\r\n0\r\nX-Trailer: t\r\n\r\n" +          //
      "\r\nDELETE /d HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-Continue\r\n\r\n" +
      "GET /e HTTP/1.1\r\n" + kHost + "Connection: Close\r\n\r\n" +  //
      "GET /partial HT";
  EXPECT_THAT(Read(stream), ElementsAre("GET /a HTTP/1.1 body=", "POST /b HTTP/1.1 body=xyz",
                                        "PUT /c HTTP/1.1 body=abcde", "DELETE /d HTTP/1.0 body=",
                                        "GET /e HTTP/1.1 close body=", "<partial>"));
}

TEST(RequestReader, OnlyHttp11ClientsAreAnswered100Continue) {
  // RFC 9110 10.1.1: an HTTP/1.0 client's Expect: 100-continue is ignored (it knows no 1xx).
  EXPECT_THAT(Read("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx"),
              ElementsAre("POST / HTTP/1.1 continue body=x"));
  EXPECT_THAT(Read("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx"),
              ElementsAre("POST / HTTP/1.0 close body=x"));
}

TEST(RequestReader, Http10ClosesUnlessAskedToKeepAlive) {
  EXPECT_THAT(Read("GET / HTTP/1.0\r\n\r\n"), ElementsAre("GET / HTTP/1.0 close body="));
  EXPECT_THAT(Read("GET / HTTP/1.0\r\nConnection: foo, Keep-Alive\r\n\r\n"),
              ElementsAre("GET / HTTP/1.0 body="));
  EXPECT_THAT(Read("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n"),
              ElementsAre("GET / HTTP/1.1 close body="));
}

TEST(RequestReader, MalformedRequestLinesAre400) {
  for (const char* line :
       {"BLAH", "GET /x HTTP/9.9", "GET  HTTP/1.1 extra", "GET  /x HTTP/1.1", "GET /x  HTTP/1.1",
        "GET /x HTTP/1.1 ", "GET /x", "\x01\x02\x03 / HTTP/1.1", "GE(T /x HTTP/1.1",
        "GET /x http/1.1", "GET /x HTTP/1.2", "GET /x HTTP/2.0", "GET /a\x1b[31m HTTP/1.1",
        "GET /a\x7f HTTP/1.1", " GET /x HTTP/1.1"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(Status(std::string(line) + "\r\n" + kHost + "\r\n"), 400);
  }
  // Not an error: an unknown method is a token like any other (the front answers 501), and a
  // target may hold bytes above ASCII. (Requests that look like the transcript's own words,
  // which the connection fuzz target once took for an error and a close.)
  EXPECT_THAT(Read("error 400: HTTP/1.1\r\n\r\nD close HTTP/1.1\r\n\r\n"),
              ElementsAre("error 400: HTTP/1.1 body=", "D close HTTP/1.1 body="));
  EXPECT_EQ(Status("error b HTTP/1.1\r\n\r\n"), 0);
  EXPECT_THAT(Read("BREW /pot HTTP/1.1\r\n\r\n"), ElementsAre("BREW /pot HTTP/1.1 body="));
  EXPECT_THAT(Read("GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n"),
              ElementsAre("GET /caf\xc3\xa9 HTTP/1.1 body="));
}

TEST(RequestReader, LineEndingsAreCrlfOnly) {
  const std::string line = "POST /p HTTP/1.1\r\n";
  for (const std::string& stream : {
           std::string("GET /x HTTP/1.1\n") + kHost + "\r\n",                 // request line
           line + "Content-Length: 40\n\r\n0\r\n\r\n",                        // a header line
           line + "X-Pad: 1\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",    // hiding a header
           line + kHost + "\n",                                               // the head's end
           line + kHost + "X-A: 1\rX-B: 2\r\n\r\n",                           // a bare CR
           line + kHost + "X-A: 1\r\r\n\r\n",                                 // CR CR LF
           std::string("\n") + line + "\r\n",                                 // before the line
           line + "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",  // chunk size
           line + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n",  // after chunk data
           line + "Transfer-Encoding: chunked\r\n\r\n0\r\nX: 1\n\r\n",        // a trailer
           line + "Transfer-Encoding: chunked\r\n\r\n0\r\n\n",                // the body's end
       }) {
    SCOPED_TRACE(stream);
    EXPECT_EQ(Status(stream), 400);
  }
}

TEST(RequestReader, HeaderLinesAreNameColonValue) {
  for (const char* header :
       {" X-Folded: 1", "\tX-Folded: 1", "X Bad: 1", "X-Bad : 1", ": no-name", "NoColon",
        "X-\x01: 1", "X(: 1", "X-Ctl: a\x01z", "X-Del: \x7f", "X-Nul: a\0b", "X-Esc: \x1b[0m"}) {
    SCOPED_TRACE(header);
    std::string text = "GET /x HTTP/1.1\r\n" + kHost + header;
    if (std::string_view(header) == "X-Nul: a") text += std::string("\0b", 2);
    EXPECT_EQ(Status(text + "\r\n\r\n"), 400);
  }
  // Obsolete folding after a header line (the classic way to hide a header from one parser).
  EXPECT_EQ(Status("GET /x HTTP/1.1\r\n" + kHost + "X-A: 1\r\n Transfer-Encoding: chunked\r\n\r\n"),
            400);
  // A tab inside a value and bytes above ASCII are field text.
  EXPECT_THAT(Read("GET /x HTTP/1.1\r\nX-T: a\tb\xff\r\n\r\n"),
              ElementsAre("GET /x HTTP/1.1 body="));
}

TEST(RequestReader, FramingThatCouldDesyncIsRefused) {
  const std::string post = "POST /p HTTP/1.1\r\n" + kHost;
  struct Case {
    const char* name;
    std::string stream;
    int status;
  };
  for (const Case& c : std::vector<Case>{
           {"two Transfer-Encoding headers",
            post + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
           {"chunked in two headers",
            post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400},
           {"chunked not last", post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400},
           {"not chunked at all", post + "Transfer-Encoding: gzip\r\n\r\n", 400},
           {"chunked twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400},
           {"an empty coding", post + "Transfer-Encoding: , chunked\r\n\r\n0\r\n\r\n", 400},
           {"a coding before chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501},
           {"CL and TE", post + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
            400},
           {"TE and CL", post + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\nG",
            400},
           {"TE in HTTP/1.0", "POST /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400},
           {"differing Content-Lengths", post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
            400},
           {"a Content-Length list", post + "Content-Length: 5, 5\r\n\r\nhello", 400},
           {"a signed Content-Length", post + "Content-Length: +5\r\n\r\nhello", 400},
           {"an empty Content-Length", post + "Content-Length:\r\n\r\n", 400},
           {"letters", post + "Content-Length: abc\r\n\r\n", 400},
           {"20 digits", post + "Content-Length: 00000000000000000001\r\n\r\nx", 400},
       }) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Status(c.stream), c.status);
  }
  // Repeated headers that agree are one length; the case and spacing of "chunked" do not matter.
  EXPECT_THAT(Read(post + "Content-Length: 2\r\ncontent-length: 2\r\n\r\nok"),
              ElementsAre("POST /p HTTP/1.1 body=ok"));
  EXPECT_THAT(Read(post + "Transfer-Encoding:  Chunked \r\n\r\n2\r\nok\r\n0\r\n\r\n"),
              ElementsAre("POST /p HTTP/1.1 body=ok"));
}

TEST(RequestReader, MalformedChunksAre400) {
  const std::string head = "POST /p HTTP/1.1\r\n" + kHost + "Transfer-Encoding: chunked\r\n\r\n";
  for (const char* body :
       {"zz\r\n", "\r\n", "5 x\r\nhello\r\n0\r\n\r\n", "-5\r\n", "0x5\r\nhello\r\n",
        "12345678901234567\r\n", "5\r\nhello!\r\n0\r\n\r\n", "5\r\nhelloXY0\r\n\r\n",
        "5;a\x01=b\r\nhello\r\n0\r\n\r\n", "0\r\nX Bad: 1\r\n\r\n", "0\r\n Folded: 1\r\n\r\n"}) {
    SCOPED_TRACE(body);
    EXPECT_EQ(Status(head + body), 400);
  }
  // Extensions (with spaces before the ';') are skipped, upper-case hex and leading zeros read.
  EXPECT_THAT(Read(head + "0A ;name=value;x\r\n0123456789\r\n00\r\n\r\n"),
              ElementsAre("POST /p HTTP/1.1 body=0123456789"));
}

TEST(RequestReader, LimitsGiveTheirOwnStatuses) {
  RequestReaderLimits limits;
  limits.max_line_bytes = 64;
  limits.max_header_bytes = 256;
  limits.max_body_bytes = 10;
  // The request line: 414 above the line limit, which counts the CRLF.
  const std::string fits = "GET /" + std::string(64 - 16, 'x') + " HTTP/1.1\r\n";
  ASSERT_EQ(fits.size(), 64u);
  EXPECT_EQ(Status(fits + "\r\n", limits), 0);
  EXPECT_EQ(Status("GET /" + std::string(64 - 15, 'x') + " HTTP/1.1\r\n\r\n", limits), 414);
  EXPECT_EQ(Status("GET /" + std::string(500, 'x'), limits), 414);  // before the line ends
  // One header line over the line limit, or the whole head over its limit: 431.
  EXPECT_EQ(Status("GET / HTTP/1.1\r\nX: " + std::string(61, 'a') + "\r\n\r\n", limits), 431);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 20; ++i) many += "X-H" + std::to_string(i) + ": 0123456789\r\n";
  EXPECT_EQ(Status(many + "\r\n", limits), 431);
  // More header fields than max_header_fields (each costs memory beyond its bytes): 431.
  RequestReaderLimits few;
  few.max_header_fields = 3;
  EXPECT_EQ(Status("GET / HTTP/1.1\r\na:\r\nb:\r\nc:\r\n\r\n", few), 0);
  EXPECT_EQ(Status("GET / HTTP/1.1\r\na:\r\nb:\r\nc:\r\nd:\r\n\r\n", few), 431);
  // Empty lines before the request line count as part of the head.
  EXPECT_EQ(Status(std::string(300, '\r') + "GET / HTTP/1.1\r\n\r\n", limits), 400);
  std::string blank_lines;
  for (int i = 0; i < 200; ++i) blank_lines += "\r\n";
  EXPECT_EQ(Status(blank_lines + "GET / HTTP/1.1\r\n\r\n", limits), 431);
  // A body over the limit: at once from Content-Length, as it is decoded when chunked.
  auto events = Read("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0], HasSubstr("<error 413> request body of 11 bytes is larger than the 10"));
  EXPECT_THAT(Read("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", limits),
              ElementsAre("POST / HTTP/1.1 body=0123456789"));
  const std::string chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(Status(chunked + "6\r\nabcdef\r\n5\r\n", limits), 413);
  EXPECT_EQ(Status(chunked + "ffffffffffffffff\r\n", limits), 413);
  EXPECT_THAT(Read(chunked + "6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n", limits),
              ElementsAre("POST / HTTP/1.1 body=abcdefghij"));
  // Trailers have a budget of their own (the head's).
  EXPECT_EQ(Status(chunked + "0\r\n" + many.substr(16) + "\r\n", limits), 431);
}

TEST(RequestReader, ErrorsEndTheStream) {
  RequestReader reader;
  const std::string bad = "GET /x HTTP/1.1\nHost: a\r\n\r\nGET /y HTTP/1.1\r\n\r\n";
  reader.Feed(bad);
  ASSERT_EQ(reader.state(), RequestReader::State::kFailed);
  EXPECT_EQ(reader.error().status, 400);
  EXPECT_THAT(reader.error().message, HasSubstr("bare LF"));
  EXPECT_EQ(reader.Feed("GET /z HTTP/1.1\r\n\r\n"), 0u);
  reader.Next();  // no effect after an error
  EXPECT_EQ(reader.state(), RequestReader::State::kFailed);
}

TEST(RequestReader, ByteAtATimeMatchesWholeOnOddInputs) {
  // Inputs that cross every boundary: CR at the end of a piece, limits hit in the middle of a
  // line, an error right after a complete request.
  RequestReaderLimits small;
  small.max_line_bytes = 20;
  small.max_header_bytes = 40;
  small.max_body_bytes = 4;
  for (const std::string& s :
       {std::string("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\r\n"),
        std::string("GET /a HTTP/1.1\r\nA: 123456789012345\r\n\r\n"),
        std::string("GET /aaaaaaaaaaaaa HTTP/1.1\r\n"),  // line and head limits at one byte
        std::string("GET / HTTP/1.1\r\nA: 1234567890123\r\nB: 123456789\r\n\r\n"),
        std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\n"),
        std::string(
            "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nG")}) {
    SCOPED_TRACE(s);
    Read(s, small);  // compares the cuts
  }
}

}  // namespace
}  // namespace restbox::mock
