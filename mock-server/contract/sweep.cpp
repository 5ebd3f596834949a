#include "sweep.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>

#include "restbox/mock/all.hpp"
#include "restbox/services/registry.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace restbox::contract {
namespace {

class InProcessAdmin final : public MockAdmin {
 public:
  explicit InProcessAdmin(std::shared_ptr<mock::MockServer> server) : server_(std::move(server)) {}
  // Each answers inline (the coroutine completes without suspending).
  Task<bool> Reset() override {
    server_->Reset();
    co_return true;
  }
  Task<core::Json> Fixtures() override { co_return server_->Fixtures(); }
  Task<std::optional<std::string>> ApplySettings(std::string s, core::Json p) override {
    co_return server_->ApplySettings(s, p);
  }
  Task<bool> AdvanceClock(core::Duration by) override {
    server_->AdvanceClock(by);
    co_return true;
  }
  Task<bool> AddFault(core::Json rule) override {
    // The same checks as POST /__restbox/faults, so both targets refuse the same rules.
    mock::FaultRule f;
    if (auto problem = mock::ParseFaultRule(rule, f)) throw std::invalid_argument(problem->message);
    if (auto problem = server_->CheckFault(f)) throw std::invalid_argument(problem->message);
    server_->AddFault(f);
    co_return true;
  }

 private:
  std::shared_ptr<mock::MockServer> server_;
};

// The rest of SendRaw, once the call is sent.
Task<Outcome> ReadRaw(core::Future<core::HttpResponse> future,
                      std::function<core::Error(const core::HttpResponse&)> parse_error) {
  auto answer = co_await std::move(future);
  if (!answer.ok()) co_return ToOutcome(std::move(answer));
  if (answer->status >= 200 && answer->status < 300) co_return Outcome{true, answer->status, {}};
  co_return Outcome{false, answer->status, parse_error(*answer)};
}

}  // namespace

core::ClientOptions Env::Options() const {
  core::ClientOptions o;
  o.transport = target->transport;
  o.base_url = target->base_url;
  o.retry.max_attempts = 1;
  o.client_validation = false;
  o.timeout = core::Duration(10'000);
  auto counter = std::make_shared<std::atomic<int>>(0);
  o.request_id_generator = [counter] { return "sweep-" + std::to_string(++*counter); };
  return o;
}

Task<Outcome> SendRaw(core::ServiceClient& client, core::CallSpec call,
                      std::function<core::Error(const core::HttpResponse&)> parse_error) {
  core::Promise<core::HttpResponse> promise;
  auto future = promise.GetFuture();
  client.Exchange(std::move(call), [promise](core::Result<core::HttpResponse> r) mutable {
    promise.Set(std::move(r));
  });
  return ReadRaw(std::move(future), std::move(parse_error));
}

const std::string& RunTag() {
  static const std::string tag = [] {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    std::string out;
    do {
      out.insert(out.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[ms % 36]);
      ms /= 36;
    } while (ms > 0);
    return out;
  }();
  return tag;
}

Target InProcessTarget(std::shared_ptr<mock::MockServer> server, std::string name) {
  Target target;
  target.name = std::move(name);
  target.transport = std::make_shared<transports::InProcessTransport>(server);
  target.base_url = "http://mock";
  target.admin = std::make_shared<InProcessAdmin>(std::move(server));
  return target;
}

const Target& SweepInProcessTarget() {
  static const Target target = [] {
    mock::MockOptions options;
    options.clock = std::make_shared<core::ManualClock>();
    return InProcessTarget(mock::MakeMockServer(options));
  }();
  return target;
}

std::string Row::Name() const {
  std::string n = service + "_" + endpoint + "_" + std::to_string(status);
  if (!code.empty() && code != std::to_string(status)) n += "_" + code;
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

std::vector<Row> AllRows() {
  std::vector<Row> rows;
  for (const core::ServiceSpec* spec : services::AllSpecs()) {
    for (const auto& ep : spec->endpoints) {
      for (int s : ep.success) rows.push_back({spec->id, ep.id, s, "", true});
      for (const auto& e : ep.errors) rows.push_back({spec->id, ep.id, e.status, e.code, false});
    }
  }
  return rows;
}

const Case* FindCase(const std::vector<Case>& cases, const Row& row, bool forced) {
  for (const auto& c : cases) {
    if (c.service != row.service || c.endpoint != row.endpoint) continue;
    bool match = forced ? c.status >= 200 && c.status < 300 && c.code.empty()
                        : c.status == row.status && c.code == row.code;
    if (match) return &c;
  }
  return nullptr;
}

Task<Outcome> RunCase(const Target& target, const Row& row, const Case& c, bool forced) {
  co_await target.admin->Reset();
  Env env;
  env.target = &target;
  env.fixtures = co_await target.admin->Fixtures();
  if (forced) {
    // The status, except for codes inside a 200 (market) and non-numeric service codes, which name
    // one row among several with the same status (inventory's 400 INVALID_TOKEN, NOT_SHARED...).
    bool numeric = !row.code.empty() && std::all_of(row.code.begin(), row.code.end(),
                                                    [](char ch) { return ch >= '0' && ch <= '9'; });
    bool by_code = !row.code.empty() && (row.status == 200 || !numeric);
    std::string code = by_code ? row.code : std::to_string(row.status);
    env.extra.Set("Prefer", "code=" + code);
  }
  co_return co_await c.run(env);
}

std::string Check(const Row& row, const Outcome& o) {
  auto describe = [&] {
    return o.ok ? "ok with status " + std::to_string(o.status)
                : "error " + o.error.Describe() + " (kind " +
                      std::string(core::ToString(o.error.kind)) + ")";
  };
  if (row.success) {
    if (!o.ok || o.status != row.status)
      return "expected success " + std::to_string(row.status) + ", got " + describe();
    return {};
  }
  if (o.ok)
    return "expected error " + std::to_string(row.status) + " " + row.code + ", got " + describe();
  if (o.error.http_status != row.status)
    return "expected status " + std::to_string(row.status) + ", got " + describe();
  core::ErrorKind want =
      row.status == 200 ? core::ErrorKind::kService : core::ErrorKindFromStatus(row.status);
  if (o.error.kind != want)
    return "expected kind " + std::string(core::ToString(want)) + ", got " + describe();
  if (!row.code.empty() && o.error.code != row.code)
    return "expected code " + row.code + ", got " + describe();
  return {};
}

}  // namespace restbox::contract
