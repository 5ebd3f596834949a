// Every endpoint of every service, as a newcomer meets it: click it in the explorer, press Send,
// get the documented success from the in-process mock with the default environment. The list is
// the endpoint tables themselves (services::AllServices()), never a hand-picked sample; each
// endpoint runs against a console of its own, so a write of one cannot help or hurt another.
// (The same walk over the HTTP mock, with every export executed, is tests/surfaces.)
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "console.hpp"
#include "endpoint_cases.hpp"
#include "null_host.hpp"
#include "restbox/services/registry.hpp"

namespace restbox::console {
namespace {

using restbox::testing::AllEndpoints;
using restbox::testing::EndpointCase;

class FirstSend : public ::testing::TestWithParam<EndpointCase> {};

// Brings the endpoint's row into view through the explorer's filter (as a user would with a long
// list), then clicks it.
bool ClickEndpoint(NullHost& host, Console& console, const EndpointCase& c) {
  const std::string id = "explorer/" + c.service + "/" + c.endpoint;
  host.Frame(console);
  if (host.Click(console, id)) return true;
  if (!host.Click(console, "explorer/filter")) return false;
  host.Type(console, c.service + " " + c.endpoint);
  host.Run(console, 2);
  return host.Click(console, id);
}

TEST_P(FirstSend, AnswersTheDocumentedSuccessInProcess) {
  const EndpointCase& c = GetParam();
  NullHost host;
  Console console;
  Model& model = console.model();
  ASSERT_TRUE(ClickEndpoint(host, console, c))
      << "the explorer has no row for " << c.service << "/" << c.endpoint;
  ASSERT_EQ(model.draft.service, c.service);
  ASSERT_EQ(model.draft.endpoint, c.endpoint);
  ASSERT_TRUE(host.Click(console, "editor/send"));
  host.Run(console, 3);
  ASSERT_FALSE(model.history().empty());
  const Exchange& e = model.history().front();
  ASSERT_TRUE(e.done);
  const core::EndpointSpec* spec = model.FindEndpoint(c.service, c.endpoint);
  ASSERT_NE(spec, nullptr);
  EXPECT_TRUE(spec->IsSuccess(e.status))
      << c.service << "/" << c.endpoint << " answered " << e.status
      << " to its example: " << model.draft.params.dump() << "\n"
      << e.outcome.dump(2);
  EXPECT_TRUE(e.outcome.value("ok", false)) << e.outcome.dump(2);
}

INSTANTIATE_TEST_SUITE_P(EveryEndpoint, FirstSend, ::testing::ValuesIn(AllEndpoints()),
                         [](const ::testing::TestParamInfo<EndpointCase>& param) {
                           return param.param.Name();
                         });

// The example never carries a credential of its own: the environment's is the one sent.
TEST(FirstSend, ExamplesLeaveCredentialsToTheEnvironment) {
  Console console;
  Model& model = console.model();
  for (const auto& c : AllEndpoints()) {
    model.Select(c.service, c.endpoint);
    for (const char* name : {"api_token", "Authorization", "X-API-Key", "X-API-Secret"}) {
      EXPECT_FALSE(model.draft.params.contains(name))
          << c.service << "/" << c.endpoint << " fills " << name;
    }
  }
}

}  // namespace
}  // namespace restbox::console
