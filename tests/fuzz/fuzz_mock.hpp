#pragma once
// What the mock harnesses (admin_fuzz, mock_engine_fuzz) share: a fresh in-process mock per input
// (so a crash reproduces from its input alone) and the answer properties that
// tests/unit/mock/robustness_test.cpp checks on its seeded random requests.

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/mock/admin.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/services/registry.hpp"

namespace restbox::fuzz {

// Every method a request may have (harnesses pick one by an input byte).
inline constexpr core::Method kAllMethods[] = {
    core::Method::kGet,   core::Method::kPost, core::Method::kPut,    core::Method::kDelete,
    core::Method::kPatch, core::Method::kHead, core::Method::kOptions};

// Every mocked API with its fixtures, on a manual clock (time moves only when told).
inline std::shared_ptr<mock::MockServer> FreshServer() {
  mock::MockOptions options;
  options.clock = std::make_shared<core::ManualClock>();
  return mock::MakeMockServer(options);
}

inline std::uint64_t LastSeq(const mock::MockServer& server) {
  auto journal = server.Journal(1);
  return journal.empty() ? 0 : journal[0].seq;
}

// Process() never throws; the answer is JSON (or empty); an admin answer (not journaled) is one of
// 200/201/400/404/405 and an admin error carries {"restbox_error"} and X-Restbox-Error; a service
// answer is journaled with its status, has an X-Request-Id, is a documented status of the routed
// endpoint or a generic refusal (400/404/405/413/415; unrouted: 400/404/405), and is 5xx only when
// forced (Prefer or a fault rule).
inline mock::MockOutcome ProcessAndCheck(mock::MockServer& server, core::HttpRequest request) {
  static const std::set<int> kGenericErrors = {400, 404, 405, 413, 415};
  static const std::set<int> kNoRouteStatuses = {400, 404, 405};
  static const std::set<int> kAdminStatuses = {200, 201, 400, 404, 405};
  const std::uint64_t seq_before = LastSeq(server);
  const bool head = request.method == core::Method::kHead;
  mock::MockOutcome out;
  try {
    out = server.Process(std::move(request));
  } catch (...) {
    Fail(__FILE__, __LINE__, "MockServer::Process threw");
  }
  const int status = out.response.status;
  FUZZ_CHECK(status >= 200 && status <= 599);  // never an interim 1xx
  if (head) FUZZ_CHECK(out.response.body.empty());
  if (!out.response.body.empty()) FUZZ_CHECK(core::ParseJson(out.response.body).ok());
  const auto after = server.Journal(1);
  const bool journaled = !after.empty() && after[0].seq != seq_before;
  if (!journaled) {
    FUZZ_CHECK(kAdminStatuses.count(status));
    FUZZ_CHECK(!out.drop);
    if (status >= 400) {
      FUZZ_CHECK(out.response.headers.Get("X-Restbox-Error") == "1");
      if (!head) {
        auto body = core::ParseJson(out.response.body);
        FUZZ_CHECK(body.ok() && body->is_object() && body->contains("restbox_error"));
      }
    }
    return out;
  }
  FUZZ_CHECK(out.response.headers.Has("X-Request-Id"));
  const mock::JournalEntry& entry = after[0];
  FUZZ_CHECK(entry.status == (out.drop ? 0 : status));
  if (out.drop) FUZZ_CHECK(entry.fault == "drop");
  if (entry.endpoint.empty()) {
    FUZZ_CHECK(kNoRouteStatuses.count(status));
    return out;
  }
  const core::ServiceSpec* spec = services::FindSpec(entry.service);
  const core::EndpointSpec* endpoint = spec ? spec->Find(entry.endpoint) : nullptr;
  FUZZ_CHECK(endpoint != nullptr);
  FUZZ_CHECK(endpoint->Documents(status) || kGenericErrors.count(status));
  if (status >= 500) FUZZ_CHECK(!entry.fault.empty());
  return out;
}

}  // namespace restbox::fuzz
