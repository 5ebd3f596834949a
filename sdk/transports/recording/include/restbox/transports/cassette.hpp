#pragma once
// Cassettes: recorded HTTP exchanges, kept as HAR 1.2 (HTTP Archive) documents, for record and
// replay: RecordingTransport / ReplayTransport (recording_transport.hpp, replay_transport.hpp)
// and restbox-mock --record / --replay write and read the same files. Standard library and
// nlohmann/json only, so the format and the rules are the same natively and in wasm.
//
// The file (HAR 1.2): {"log": {"version": "1.2", "creator": {"name": "restbox", ...},
// "entries": [...]}}, one entry per exchange with startedDateTime, time, request {method, url,
// httpVersion, cookies, headers, queryString, postData {mimeType, text}, headersSize, bodySize},
// response {status, statusText, httpVersion, cookies, headers, content {size, mimeType, text},
// redirectURL, headersSize, bodySize}, cache and timings {send, wait, receive}. Bodies that are not
// UTF-8 are base64 (content.encoding "base64"; postData has no such member in HAR 1.2, so the
// request's is the custom "_encoding"). An exchange the transport could not complete has response
// status 0 and a custom "_error": {"kind", "message"} (the core::ErrorKind names). Readers that do
// not know restbox ignore the custom members, as the HAR spec says; HAR files of other tools (a
// browser's devtools export) can be replayed too.
//
// Redaction at capture (Capture): a cassette never holds a secret. What the SDK's masking rules
// (restbox/core/masking.hpp) call secret is masked with core::MaskSecret ("Bearer
// tm_test_****3a7f") before anything is kept: credential headers (Authorization, X-API-Key,
// X-API-Secret, Cookie, any name with token, secret, password, key or authorization), query
// parameters and JSON members with such names (api_token in a body) at any depth, form pairs in
// other bodies. The secret values found there are also replaced wherever else they appear in the
// exchange (a key echoed in a URL path, a response header or a response body). Response bodies are
// otherwise kept as received: their "token" members are resource ids (inventory's template tokens)
// that later requests use, and masking them would make the recording useless for replay.
//
// Matching (CassetteMatcher): a request finds a recording with the same method, path, query (as a
// multiset: order does not matter, repeats do) and body (as JSON when both are JSON, so member
// order and spacing do not matter; as a multiset of pairs for form bodies; else byte for byte).
// Headers are not compared. Redacted values match anything: a secret-named query parameter, JSON
// member or form pair must be present in both, with any value, so a replay with real (or other)
// credentials finds the recording. Scheme, host and port are not compared either: a cassette
// recorded against https://api.example.com answers an in-process base URL or restbox-mock alike.

#include <cstddef>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/error.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/result.hpp"

namespace restbox::transports {

// One recorded exchange (a HAR entry), secrets already redacted.
struct CassetteEntry {
  core::TimePoint started{};  // startedDateTime
  core::Duration elapsed{0};  // time
  core::HttpRequest request;  // url absolute as sent ("/path?query" when sent so)
  // The answer, or nullopt when the transport failed: then `error` (kind and message only).
  std::optional<core::HttpResponse> response;
  core::Error error;
};

// The redacted form of `request`: what a cassette keeps of it (see the header comment).
core::HttpRequest RedactRequest(const core::HttpRequest& request);

// What a cassette keeps of one exchange: request and response (or the transport error) with the
// secrets of the request redacted everywhere.
CassetteEntry Capture(const core::HttpRequest& request,
                      const core::Result<core::HttpResponse>& outcome, core::TimePoint started,
                      core::Duration elapsed);

// One entry as a HAR 1.2 entry object, and back. FromHarEntry accepts any HAR 1.2 entry (missing
// optional members have their defaults); `where` names the entry in error messages.
core::Json ToHarEntry(const CassetteEntry& entry);
core::Result<CassetteEntry> FromHarEntry(const core::Json& entry, std::string_view where);

// Recorded exchanges in order.
class Cassette final {
 public:
  Cassette() = default;

  // Reads a HAR 1.2 document. A document that is not one fails with kInvalidArgument naming the
  // first problem and where it is: "not a HAR cassette: $.log.entries[3].request.method: expected a
  // string (HAR 1.2 requires it)".
  static core::Result<Cassette> FromHar(std::string_view text);
  // FromHar of a file; kInvalidArgument "cannot read FILE: <reason>" when it cannot be read.
  static core::Result<Cassette> Load(const std::string& path);

  // The whole HAR 1.2 document, one entry per line.
  std::string ToHar() const;
  // Writes ToHar() to `path` (replacing it); kInvalidArgument "cannot write FILE: <reason>".
  core::Result<core::Empty> Save(const std::string& path) const;

  void Add(CassetteEntry entry) { entries_.push_back(std::move(entry)); }
  const std::vector<CassetteEntry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<CassetteEntry> entries_;
};

// A HAR file written one entry at a time, for recordings that must survive a crash: the file is
// a complete HAR 1.2 document after Create and after every Append (each Append is one write of
// the entry and the document's closing brackets over the previous ones, flushed to the operating
// system before it returns), so a process that dies loses at most the exchange being written.
// Thread-safe.
class CassetteFile final {
 public:
  // Creates `path` (replacing any file there) holding an empty log. kInvalidArgument
  // "cannot write FILE: <reason>" when it cannot.
  static core::Result<std::shared_ptr<CassetteFile>> Create(const std::string& path);
  ~CassetteFile();
  CassetteFile(const CassetteFile&) = delete;
  CassetteFile& operator=(const CassetteFile&) = delete;

  // Adds one entry at the end. kInvalidArgument "cannot write FILE: <reason>" (disk full...);
  // the file then still holds every entry appended before.
  core::Result<core::Empty> Append(const CassetteEntry& entry);
  const std::string& path() const { return path_; }
  std::size_t entries() const;

 private:
  CassetteFile(std::string path, std::FILE* file, long offset);
  std::string path_;
  mutable std::mutex mutex_;
  std::FILE* file_ = nullptr;
  long offset_ = 0;  // where the closing brackets start
  std::size_t entries_ = 0;
};

// A recording that came close to a request without matching it.
struct ReplayCandidate {
  std::size_t index = 0;  // its place in the cassette (0 = first entry)
  std::string method;
  std::string url;                       // as recorded
  std::vector<std::string> differences;  // "query: page=2, recorded page=1", "body $.title: ..."
};

// No recording matches a request.
struct ReplayMiss {
  std::string method;
  std::string url;  // the request's, secrets masked
  std::size_t recordings = 0;
  std::vector<ReplayCandidate> candidates;  // the nearest first, at most 3

  // "no recording matches GET /apiV1/items?page=2 (12 recordings); nearest: #3 GET
  // /apiV1/items?page=1 (query: page=2, recorded page=1)".
  std::string Message() const;
  // {"restbox_error": Message(), "error": "no_recording", "request": {"method", "url"},
  //  "recordings": N, "candidates": [{"index", "method", "url", "differences": [...]}]}:
  // ReplayTransport's Error::raw_body and restbox-mock --replay's 501 body.
  core::Json ToJson() const;
};

// Finds the recording that answers a request (the rules in the header comment). Recordings are
// served in order: a request gets the first matching recording not served yet, and once every
// matching recording has been served, the last of them again (a recorded "GET, DELETE, GET" of one
// record replays as 200, then 404 for the second GET; a poll repeated more often than recorded gets
// the last answer). Thread-safe.
class CassetteMatcher final {
 public:
  explicit CassetteMatcher(Cassette cassette);
  ~CassetteMatcher();
  CassetteMatcher(const CassetteMatcher&) = delete;
  CassetteMatcher& operator=(const CassetteMatcher&) = delete;

  struct Match {
    std::size_t index = 0;
    const CassetteEntry* entry = nullptr;  // valid as long as the matcher
    bool repeated = false;                 // served before
  };
  std::variant<Match, ReplayMiss> Find(const core::HttpRequest& request);

  const Cassette& cassette() const { return cassette_; }
  // Indexes of the recordings never served so far.
  std::vector<std::size_t> Unused() const;

 private:
  struct Index;
  Cassette cassette_;
  std::unique_ptr<Index> index_;
  mutable std::mutex mutex_;
  std::vector<bool> served_;
};

}  // namespace restbox::transports
