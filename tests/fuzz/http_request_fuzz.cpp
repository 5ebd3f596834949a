// libFuzzer target: restbox-mock's HTTP/1.1 request reader (mock-server/http/src/
// request_reader.hpp) on arbitrary bytes. Besides crashes and sanitizer reports, it fails when:
//   - the outcome depends on how the stream is cut: the bytes read whole and in pieces (of a
//     size taken from the input, and one byte at a time) must give the same requests and error;
//   - a request breaks a promise of the reader: a method that is not a token, an empty target, a
//     body over the limit, a Content-Length body of another length, Content-Length together with
//     chunked;
//   - an error has a status the reader does not document.
// Seeds: tests/fuzz/corpus/http_request/. Built by the fuzz preset (tests/fuzz/CMakeLists.txt);
// ctest --preset fuzz -R http_ runs it.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "request_reader.hpp"
#include "request_reader_transcript.hpp"

namespace {

using restbox::mock::RequestHead;
using restbox::mock::RequestReader;
using restbox::mock::RequestReaderLimits;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "http_request_fuzz: %s\n", what);
    std::abort();
  }
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

// Reads the stream whole and checks every request against what the reader promises.
void CheckRequests(std::string_view stream, const RequestReaderLimits& limits) {
  RequestReader reader(limits);
  while (!stream.empty()) {
    std::size_t used = reader.Feed(stream);
    Check(used <= stream.size(), "Feed used more than it was given");
    stream.remove_prefix(used);
    switch (reader.state()) {
      case RequestReader::State::kHeadDone: {
        const RequestHead& h = reader.head();
        Check(IsToken(h.method), "a method that is not a token");
        Check(!h.target.empty(), "an empty target");
        Check(h.minor_version == 0 || h.minor_version == 1, "an HTTP version besides 1.0/1.1");
        Check(!(h.chunked && h.content_length > 0), "chunked with a Content-Length");
        Check(h.content_length <= limits.max_body_bytes, "a Content-Length over the limit");
        for (const auto& [name, value] : h.headers) {
          Check(IsToken(name), "a header name that is not a token");
          Check(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
                "CR, LF or NUL in a header value");
        }
        reader.ReadBody();
        break;
      }
      case RequestReader::State::kDone: {
        const RequestHead& h = reader.head();
        Check(reader.body().size() <= limits.max_body_bytes, "a body over the limit");
        if (!h.chunked) Check(reader.body().size() == h.content_length, "a body of another length");
        reader.Next();
        break;
      }
      case RequestReader::State::kFailed: {
        const int s = reader.error().status;
        Check(s == 400 || s == 413 || s == 414 || s == 431 || s == 501, "an undocumented status");
        Check(!reader.error().message.empty(), "an error without a message");
        Check(reader.Feed(stream) == 0, "bytes read after an error");
        return;
      }
      default:
        Check(used > 0 || stream.empty(), "no progress");
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first byte picks the piece size and, for half the inputs, small limits (so that every
  // limit is within reach of short inputs).
  const unsigned control = data[0];
  std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  RequestReaderLimits limits;
  if (control & 0x80) {
    limits.max_line_bytes = 32;
    limits.max_header_bytes = 96;
    limits.max_body_bytes = 16;
  }
  CheckRequests(stream, limits);
  const auto whole = restbox::mock::testing::ReaderTranscript(stream, 0, limits);
  const std::size_t piece = 1 + (control & 0x1f);
  Check(restbox::mock::testing::ReaderTranscript(stream, piece, limits) == whole,
        "pieces and the whole stream read differently");
  if (stream.size() <= 4096)
    Check(restbox::mock::testing::ReaderTranscript(stream, 1, limits) == whole,
          "byte-at-a-time and the whole stream read differently");
  return 0;
}
