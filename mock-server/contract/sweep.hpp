#pragma once
// The contract sweep (DESIGN rule 4): the endpoint tables say which (endpoint, status) rows exist;
// each service's cases/<id>_cases.cpp says how to reach each row realistically with its typed
// client. The driver runs every row realistically and forced (Prefer: code=NNN), against every
// target (in-process; libcurl + restbox-mock over HTTP where built), and checks the typed
// result the client returns.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "restbox/core/client.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/transport.hpp"
#include "task.hpp"

namespace restbox::mock {
class MockServer;
}

namespace restbox::contract {

// The mock's admin side, reached in-process or over HTTP (/__restbox/...). Asynchronous (the
// browser cannot wait for an HTTP answer): co_await each call in a case, or RunToCompletion() it
// where blocking is fine. Failures are thrown out of the task.
class MockAdmin {
 public:
  virtual ~MockAdmin() = default;
  virtual Task<bool> Reset() = 0;
  virtual Task<core::Json> Fixtures() = 0;
  // The server's message when it refuses the patch.
  virtual Task<std::optional<std::string>> ApplySettings(std::string service, core::Json patch) = 0;
  virtual Task<bool> AdvanceClock(core::Duration by) = 0;
  // Adds a fault rule in the admin API's JSON form (see mock-server faults.hpp).
  virtual Task<bool> AddFault(core::Json rule) = 0;
};

struct Target {
  std::string name;  // "in_process", "curl_http"
  std::shared_ptr<core::Transport> transport;
  std::string base_url;
  std::shared_ptr<MockAdmin> admin;
};

// What a typed call produced, reduced to what the sweep checks.
struct Outcome {
  bool ok = false;
  int status = 0;
  core::Error error;
};

// What a typed call gave, reduced: `co_return ToOutcome(co_await client.Get(...));`.
template <typename T>
Outcome ToOutcome(core::Result<T> r) {
  Outcome o;
  o.ok = r.ok();
  o.status = r.status();
  if (!r.ok()) o.error = r.error();
  return o;
}
// A call under way, reduced once it answers. The call is already sent (the future exists), so a
// helper may return this task after its client went out of scope.
template <typename T>
Task<Outcome> ToOutcome(core::Future<T> f) {
  co_return ToOutcome(co_await std::move(f));
}

// The fault rule the 5xx cases add: the next request answers `status`. (Built outside the
// coroutines: g++ 12 rejects a braced Json list inside a co_await expression.)
inline core::Json StatusFault(int status) {
  return {{"action", "status"}, {"status", status}, {"times", 1}};
}

struct Env {
  const Target* target = nullptr;
  core::Json fixtures;  // of every service
  core::Headers extra;  // added to the request under test (forced rows: Prefer)

  MockAdmin& admin() const { return *target->admin; }
  // Transport and base URL of the target; no retries (a 503 must come back as a 503), client-side
  // validation off (the server must be the one that refuses), deterministic request ids.
  core::ClientOptions Options() const;
  const core::Json& Fix(const std::string& service) const { return fixtures.at(service); }
};

// Sends `call` through `client`'s pipeline as it is (a body the typed methods cannot express: not
// JSON, a member of the wrong type, a required member left out) and reduces the answer to an
// Outcome: a 2xx is ok, anything else goes through the service's `parse_error`.
// The call is sent before SendRaw returns (`client` need not outlive the task).
Task<Outcome> SendRaw(core::ServiceClient& client, core::CallSpec call,
                      std::function<core::Error(const core::HttpResponse&)> parse_error);

// A short text unique to this process (base-36 milliseconds at its first use). Writes put it in
// names a server keeps unique (a wncms menu's name), so a second run against the same server
// does not collide with what the first one created.
const std::string& RunTag();

struct Case {
  std::string service;
  std::string endpoint;
  int status = 0;
  std::string code;     // service code, "" for services without codes
  std::string trigger;  // what the case does, for the coverage table
  // A coroutine; `env` and this Case outlive it (RunCase's frame holds the Env).
  std::function<Task<Outcome>(Env&)> run;
};

// Every service's cases, service by service: cases/<id>_cases.cpp defines <Id>Cases() and the
// generated all_cases.cpp (mock-server/contract/CMakeLists.txt) lists the files present.
std::vector<Case> AllCases();

// A target on `server` in this process: the in-process transport and an admin that calls the
// server directly. The console makes one on a fresh server for each run (so a run never touches
// the user's mock).
Target InProcessTarget(std::shared_ptr<mock::MockServer> server, std::string name = "in_process");
// The sweep's "in_process" target: one on a server of its own, on a manual clock standing at
// core::ManualClock::DefaultStart() (as `restbox-mock --manual-clock`, the conformance suite's
// HTTP target, does), so every target's rate windows, Retry-After and expiries read the same time
// however long a run takes. Made on the first call; every call returns the same target. Test
// programs list their targets themselves (tests/contract/sweep_targets.hpp).
const Target& SweepInProcessTarget();

// A documented row of the endpoint tables.
struct Row {
  std::string service;
  std::string endpoint;
  int status = 0;
  std::string code;
  bool success = false;
  std::string Name() const;
};
std::vector<Row> AllRows();

// The case that exercises `row`: its realistic case, or (forced) the endpoint's plain success
// case, which the forced run sends with "Prefer: code=NNN". nullptr when there is none.
const Case* FindCase(const std::vector<Case>& cases, const Row& row, bool forced);
// Runs `c` for `row` against `target` from a freshly reset mock: realistic, or forced with Prefer.
// `target`, `row` and `c` must outlive the task. Synchronous drivers:
// RunToCompletion(RunCase(...)).
Task<Outcome> RunCase(const Target& target, const Row& row, const Case& c, bool forced);

// Checks an outcome against the row: success rows must be ok with that status; error rows must
// be errors with that status, the kind it maps to, and the service's code. Returns "" when it
// matches, else what differs.
std::string Check(const Row& row, const Outcome& outcome);

}  // namespace restbox::contract
