// Both targets must give the same typed outcome for every row: the transport (in-process or
// libcurl + HTTP) must not change what a client sees.

#include <gtest/gtest.h>

#include <string>

#include "sweep.hpp"
#include "sweep_targets.hpp"

namespace restbox::contract {
namespace {

// Everything a caller can observe of an outcome, except attempt timings. Retry-After included: both
// targets run on a manual clock standing at the same instant (contract::SweepInProcessTarget), so a
// slow run cannot make them differ.
std::string Observed(const Outcome& o) {
  if (o.ok) return "ok " + std::to_string(o.status);
  const core::Error& e = o.error;
  std::string out = "error kind=" + std::string(core::ToString(e.kind)) +
                    " status=" + std::to_string(e.http_status) + " code=" + e.code +
                    " message=" + e.message + " request_id=" + e.request_id;
  for (const auto& d : e.details) out += " detail=" + d.field + ":" + d.message;
  if (e.retry_after) out += " retry_after=" + std::to_string(e.retry_after->count());
  return out;
}

TEST(Conformance, TargetsAgreeRowByRow) {
  const auto& targets = SweepTargets();
  ASSERT_EQ(targets.size(), 2u) << "expected the in_process and curl_http targets";
  const auto cases = AllCases();
  int compared = 0;
  for (const auto& row : AllRows()) {
    for (bool forced : {false, true}) {
      if (forced && row.success) continue;
      const Case* c = FindCase(cases, row, forced);
      if (!c) continue;  // the sweep itself reports rows without a case
      const Outcome first = RunToCompletion(RunCase(targets[0], row, *c, forced));
      const Outcome second = RunToCompletion(RunCase(targets[1], row, *c, forced));
      EXPECT_EQ(Observed(first), Observed(second))
          << row.Name() << (forced ? " forced" : " realistic") << ": " << targets[0].name << " vs "
          << targets[1].name;
      ++compared;
    }
  }
  EXPECT_GT(compared, 0);
}

}  // namespace
}  // namespace restbox::contract
