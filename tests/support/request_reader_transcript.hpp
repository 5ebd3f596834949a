#pragma once
// What restbox-mock's request reader (mock-server/http/src/request_reader.hpp) makes of a byte
// stream, as text, fed in pieces of a given size: the reader's tests compare the transcripts of
// several cuts of one stream, and the fuzz target (tests/fuzz/http_request_fuzz.cpp) does the
// same on arbitrary bytes. Header-only, standard library only (the fuzz target is built by hand).
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "request_reader.hpp"

namespace restbox::mock::testing {

// One line per request, "METHOD target HTTP/1.x [close] [continue] body=<body>"; then
// "<error STATUS> message" for the error that ends the stream, or "<partial>" when it ends in
// the middle of a request. (A method is a token: no request line starts with '<'.) `piece` 0
// feeds the stream whole.
inline std::vector<std::string> ReaderTranscript(std::string_view stream, std::size_t piece,
                                                 RequestReaderLimits limits = {}) {
  RequestReader reader(limits);
  std::vector<std::string> out;
  if (piece == 0) piece = stream.size() + 1;
  // Feeds one piece; false once the stream has failed.
  auto feed = [&](std::string_view data) {
    for (;;) {
      data.remove_prefix(reader.Feed(data));
      switch (reader.state()) {
        case RequestReader::State::kHeadDone:
          reader.ReadBody();
          continue;
        case RequestReader::State::kDone: {
          const RequestHead& h = reader.head();
          std::string line =
              h.method + " " + h.target + " HTTP/1." + std::to_string(h.minor_version);
          if (!h.keep_alive) line += " close";
          if (h.expect_continue) line += " continue";
          out.push_back(line + " body=" + reader.body());
          reader.Next();
          continue;
        }
        case RequestReader::State::kFailed:
          out.push_back("<error " + std::to_string(reader.error().status) + "> " +
                        reader.error().message);
          return false;
        default:
          break;
      }
      if (data.empty()) return true;
    }
  };
  for (std::size_t fed = 0; fed < stream.size();) {
    std::string_view data = stream.substr(fed, std::min(piece, stream.size() - fed));
    fed += data.size();
    if (!feed(data)) return out;
  }
  if (reader.started()) out.push_back("<partial>");
  return out;
}

}  // namespace restbox::mock::testing
