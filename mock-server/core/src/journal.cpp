#include "restbox/mock/journal.hpp"

namespace restbox::mock {

namespace {
// What the journal and the problems say of every entry.
core::Json EntryJson(const JournalEntry& e) {
  return {{"seq", e.seq},           {"time", core::FormatIso8601(e.time)}, {"service", e.service},
          {"endpoint", e.endpoint}, {"method", core::ToString(e.method)},  {"url", e.url},
          {"status", e.status}};
}

// The members a PassThrough's answers add.
void AddPassThrough(const JournalEntry& e, core::Json& out) {
  out["upstream"] = e.upstream;
  core::Json problems = core::Json::array();
  for (const auto& p : e.problems)
    problems.push_back({{"path", p.path}, {"expected", p.expected}, {"actual", p.actual}});
  out["problems"] = std::move(problems);
}
}  // namespace

core::Json ToJson(const JournalEntry& e) {
  core::Json out = EntryJson(e);
  core::Json headers = core::Json::object();
  for (const auto& [n, v] : e.request_headers) headers[n] = v;
  out["request_headers"] = std::move(headers);
  out["request_body"] = e.request_body;
  out["response_body"] = e.response_body;
  out["fault"] = e.fault;
  if (!e.upstream.empty()) AddPassThrough(e, out);
  return out;
}

core::Json ProblemJson(const JournalEntry& e) {
  core::Json out = EntryJson(e);
  AddPassThrough(e, out);
  return out;
}

}  // namespace restbox::mock
