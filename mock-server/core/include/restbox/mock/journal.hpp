#pragma once
// The mock's request journal: what GET /__restbox/journal and /__restbox/problems show.

#include <cstdint>
#include <string>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/schema.hpp"

namespace restbox::mock {

struct JournalEntry {
  std::uint64_t seq = 0;
  core::TimePoint time;
  std::string service;
  std::string endpoint;
  core::Method method = core::Method::kGet;
  std::string url;
  core::Headers request_headers;  // secrets masked
  std::string request_body;       // secrets masked, truncated to 64 KiB
  int status = 0;                 // 0 = connection dropped
  std::string response_body;      // truncated to 64 KiB
  std::string fault;              // "forced 503 (Prefer)", "latency 200 ms", "drop"...
  // Answers of a PassThrough only (restbox-mock --proxy / --replay): where the answer came from
  // (PassThroughAnswer::source) and how the exchange differs from the contract. "" / empty else.
  std::string upstream;
  std::vector<core::SchemaProblem> problems;
};
// The journal's JSON; "upstream" and "problems" ([{"path","expected","actual"}]) only for the
// answers of a PassThrough.
core::Json ToJson(const JournalEntry& entry);
// An entry of GET /__restbox/problems: the journal entry's seq, time, service, endpoint, method,
// url, status, upstream and problems (no headers or bodies: the journal has them under `seq`).
core::Json ProblemJson(const JournalEntry& entry);

// The exchanges a PassThrough checked against the contract and found different, and how many it
// checked and found different (MockServer::Problems).
struct ProblemLog {
  std::uint64_t checked = 0;
  std::uint64_t with_problems = 0;
  std::vector<JournalEntry> entries;  // headers and bodies left out
};

}  // namespace restbox::mock
