// The console as a whole on the null host: every panel draws, an endpoint can be picked and sent
// to the in-process mock, and the answer reaches the model through the UI queue.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "console.hpp"
#include "null_host.hpp"
#include "restbox/core/clock.hpp"

namespace restbox::console {
namespace {

TEST(Console, DrawsEveryPanelWithoutGpu) {
  NullHost host;
  Console console;
  // Every tab once, a few frames each.
  for (auto tab : {Console::Tab::kHistory, Console::Tab::kEnvironments, Console::Tab::kMock,
                   Console::Tab::kContract}) {
    console.ShowTab(tab);
    for (int i = 0; i < 3; ++i) EXPECT_GT(host.Frame(console), 0);
  }
  EXPECT_EQ(console.panels().size(), 7u);
  for (const char* tab : {"tabs/history", "tabs/environments", "tabs/mock", "tabs/contract"}) {
    EXPECT_TRUE(console.hook().widgets().contains(tab)) << tab;
  }
}

TEST(Console, SendsTheDraftThroughThePipelineToTheInProcessMock) {
  NullHost host;
  Console console;
  Model& model = console.model();
  model.Select("chikage", "get");
  auto fixtures = model.mock()->Fixtures()["chikage"];
  model.draft.params = {{"slug", fixtures["slug"]}, {"record_id", fixtures["test_record_id"]}};
  const auto id = model.Send(model.draft);
  host.Run(console, 3);
  const Exchange* e = model.FindExchange(id);
  ASSERT_NE(e, nullptr);
  ASSERT_TRUE(e->done);
  EXPECT_EQ(e->status, 200) << e->outcome.dump();
  EXPECT_TRUE(e->outcome["ok"].get<bool>());
  ASSERT_EQ(e->wire.size(), 1u);
  // What went over the wire carried the environment's credential (the demo test key).
  EXPECT_EQ(e->wire[0].request.headers.GetOr("Authorization", ""),
            "Bearer " + fixtures["test_key"].get<std::string>());
  // Views mask it.
  EXPECT_EQ(model.Mask(fixtures["test_key"].get<std::string>())
                .find(fixtures["test_key"].get<std::string>()),
            std::string::npos);
  EXPECT_EQ(console.TestState()["model"]["last"]["status"], 200);
}

TEST(Console, ForcedStatusShowsEveryAttemptOfTheRetry) {
  // The backoff waits on a manual clock: no real timer (none fires inside a wasm test loop).
  auto clock = std::make_shared<core::ManualClock>();
  Model::Options options;
  options.clock = clock;
  options.scheduler = clock;
  NullHost host;
  Console console(options);
  Model& model = console.model();
  model.retry.jitter = 0;
  model.Select("chikage", "get");
  auto fixtures = model.mock()->Fixtures()["chikage"];
  model.draft.params = {{"slug", fixtures["slug"]}, {"record_id", fixtures["test_record_id"]}};
  model.mock()->ForceStatus(503, {}, 2);
  const auto id = model.Send(model.draft);
  for (int i = 0; i < 20 && !model.FindExchange(id)->done; ++i) {
    clock->Advance(core::Duration(1000));
    host.Frame(console);
  }
  const Exchange* e = model.FindExchange(id);
  ASSERT_TRUE(e->done);
  EXPECT_EQ(e->status, 200);
  ASSERT_EQ(e->outcome["attempts"].size(), 3u);
  EXPECT_EQ(e->outcome["attempts"][0]["status"], 503);
  EXPECT_EQ(e->outcome["attempts"][1]["status"], 503);
  EXPECT_EQ(e->outcome["attempts"][2]["status"], 200);
  EXPECT_EQ(e->wire.size(), 3u);
}

TEST(Console, ClosingItCancelsARetryStillWaiting) {
  // The retry's wait is a task on this clock; the task holds the call, whose pipeline holds the
  // clock: unless closing the console ends the wait, that cycle keeps the mock alive for ever.
  auto clock = std::make_shared<core::ManualClock>();
  std::weak_ptr<mock::MockServer> mock;
  {
    Model::Options options;
    options.clock = clock;
    options.scheduler = clock;
    Console console(options);
    Model& model = console.model();
    model.Select("chikage", "get");
    auto fixtures = model.mock()->Fixtures()["chikage"];
    model.draft.params = {{"slug", fixtures["slug"]}, {"record_id", fixtures["test_record_id"]}};
    model.mock()->ForceStatus(503, {}, 2);
    mock = model.mock();
    model.Send(model.draft);
    ASSERT_EQ(clock->PendingTasks(), 1u);  // the backoff before the second attempt
  }
  EXPECT_EQ(clock->PendingTasks(), 0u);
  EXPECT_TRUE(mock.expired());
}

TEST(Console, SelectingAReadEndpointFillsPathValuesTheMockHas) {
  // Every GET with a path value: select it and Send as is -> the documented success, because the
  // path values come from the mock's fixtures, not from the table's made-up examples.
  NullHost host;
  Console console;
  Model& model = console.model();
  int checked = 0;
  for (const ServiceView& service : model.services()) {
    for (const core::EndpointSpec& endpoint : service.spec().endpoints) {
      const bool has_path =
          std::any_of(endpoint.fields.begin(), endpoint.fields.end(),
                      [](const core::FieldSpec& f) { return f.in == core::FieldIn::kPath; });
      if (endpoint.method != core::Method::kGet || !has_path) continue;
      model.Select(service.id, endpoint.id);
      const auto id = model.Send(model.draft);
      host.Run(console, 2);
      const Exchange* e = model.FindExchange(id);
      ASSERT_TRUE(e && e->done);
      EXPECT_TRUE(endpoint.IsSuccess(e->status))
          << service.id << "/" << endpoint.id << " " << model.draft.params.dump() << " -> "
          << e->outcome.dump();
      ++checked;
    }
  }
  EXPECT_GE(checked, 5);
}

#ifndef __EMSCRIPTEN__
TEST(Console, OffThreadInProcessSendsStillCompleteThroughTheUiQueue) {
  Model::Options options;
  options.in_process_off_thread = true;
  NullHost host;
  Console console(options);
  Model& model = console.model();
  model.Select("chikage", "get");
  const auto id = model.Send(model.draft);
  // The answer is produced on the transport's thread and applied only by a frame's Pump().
  for (int i = 0; i < 100000 && !model.FindExchange(id)->done; ++i) {
    host.Frame(console);
    std::this_thread::yield();
  }
  const Exchange* e = model.FindExchange(id);
  ASSERT_TRUE(e->done);
  EXPECT_EQ(e->status, 200) << e->outcome.dump();
  EXPECT_EQ(e->wire.size(), 1u);
}
#endif

}  // namespace
}  // namespace restbox::console
