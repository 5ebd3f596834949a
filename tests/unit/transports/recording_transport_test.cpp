// RecordingTransport and ReplayTransport with the typed clients: record real traffic against the
// in-process mock, replay it with no mock at all (other credentials than the recorded ones), and
// check the cassette holds none of the fixtures' credentials. Runs natively and under node (wasm).
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "fixture_credentials.hpp"
#include "restbox/chikage/client.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/findhelper/client.hpp"
#include "restbox/inventory/client.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/transports/in_process_transport.hpp"
#include "restbox/transports/recording_transport.hpp"
#include "restbox/transports/replay_transport.hpp"
#include "restbox/wncms/client.hpp"
#include "scripted_transport.hpp"
#include "temp_path.hpp"

namespace restbox::transports {
namespace {

using core::Json;

// A future that must be complete already (the in-process mock and the replay answer inline).
template <typename T>
core::Result<T> Done(core::Future<T> future) {
  auto r = future.TryGet();
  EXPECT_TRUE(r.has_value()) << "the call has not completed";
  if (!r) return core::MakeError(core::ErrorKind::kTimeout, "not completed");
  return std::move(*r);
}

template <typename Options>
Options Configure(const std::shared_ptr<core::Transport>& transport,
                  const std::shared_ptr<core::ManualClock>& clock) {
  Options o;
  o.transport = transport;
  o.clock = clock;
  o.scheduler = clock;
  o.base_url = "https://api.example.test";
  o.retry.max_attempts = 1;
  o.request_id_generator = [] { return std::string("rid-test"); };
  return o;
}

class RecordReplay : public ::testing::Test {
 protected:
  void SetUp() override {
    mock::MockOptions options;
    options.clock = clock_;
    server_ = mock::MakeMockServer(options);
    for (const char* id : {"chikage", "inventory", "findhelper", "wncms"}) {
      if (!server_->FindService(id)) GTEST_SKIP() << id << " is not part of this build";
    }
    fixtures_ = server_->Fixtures();
    path_ = restbox::testing::UniqueTempPath("restbox-record-replay").string() + ".har";
    auto file = CassetteFile::Create(path_);
    ASSERT_TRUE(file.ok()) << file.error().message;
    RecordingOptions recording;
    recording.file = *file;
    recording.clock = clock_;
    recorder_ = std::make_shared<RecordingTransport>(
        std::make_shared<InProcessTransport>(server_, InProcessOptions{.scheduler = clock_}),
        recording);
  }
  void TearDown() override { std::remove(path_.c_str()); }

  std::string Fix(const char* service, const char* name) const {
    return fixtures_[service][name].get<std::string>();
  }

  // What one session of an application does with four of the APIs, through `transport`, with
  // the given credentials: returns one line per call, to compare the recorded run with replays.
  struct Keys {
    std::string chikage, inventory, findhelper_key, findhelper_secret, wncms;
  };
  std::vector<std::string> Session(const std::shared_ptr<core::Transport>& transport,
                                   const Keys& keys) {
    std::vector<std::string> out;
    auto line = [&out](const auto& result, const std::string& what) {
      out.push_back(result.ok() ? std::to_string(result.status()) + " " + what
                                : "error " + core::ToString(result.error()));
    };
    auto co = Configure<chikage::ClientOptions>(transport, clock_);
    co.api_key = keys.chikage;
    chikage::Client chikage(co);
    auto queued = Done(chikage.Create("orders", {{"order_id", "ORD-R1"}, {"amount", 12.5}}));
    line(queued, queued.ok() ? queued->id : "");
    if (queued.ok()) {
      auto record = Done(chikage.Get("orders", queued->id));
      line(record, record.ok() ? record->data.dump() : "");
    }
    auto demo = Done(chikage.Get("orders", "rec_demo000001"));
    line(demo, demo.ok() ? demo->data.dump() : "");

    auto io = Configure<inventory::ClientOptions>(transport, clock_);
    io.api_key = keys.inventory;
    inventory::Client inventory(io);
    auto items = Done(inventory.ListItems({}));
    line(items, items.ok() ? std::to_string(items->items.size()) + " items" : "");
    auto tpl = Done(inventory.CreateTemplate(
        {.image_url = "https://example.com/a.png", .title = "Replay card"}));
    line(tpl, tpl.ok() ? tpl->token : "");
    if (tpl.ok()) {
      auto got = Done(inventory.GetTemplate(tpl->token));
      line(got, got.ok() ? got->title : "");
    }

    auto fo = Configure<findhelper::ClientOptions>(transport, clock_);
    fo.api_key = keys.findhelper_key;
    fo.api_secret = keys.findhelper_secret;
    findhelper::Client findhelper(fo);
    auto jobs = Done(findhelper.ListJobs({.city = "台北市", .page_size = 5}));
    line(jobs, jobs.ok() ? std::to_string(jobs->jobs.size()) + " jobs" : "");

    auto wo = Configure<wncms::ClientOptions>(transport, clock_);
    wo.api_token = keys.wncms;
    wncms::Client cms(wo);
    auto posts = Done(cms.ListPosts({.page_size = 3, .sort = "title", .direction = "asc"}));
    line(posts, posts.ok() && !posts->items.empty() ? posts->items.front().title : "");
    return out;
  }

  Keys RealKeys() const {
    return {Fix("chikage", "test_key"), Fix("inventory", "api_key"), Fix("findhelper", "api_key"),
            Fix("findhelper", "api_secret"), Fix("wncms", "api_token")};
  }
  // Well-formed credentials the servers never issued: what an application's test would hold.
  static Keys DummyKeys() {
    return {"tm_test_dummy0000000000000", "inv_" + std::string(43, 'D'), "fh_key_dummy",
            "fh_secret_dummy", "wncms_dummy_token"};
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<mock::MockServer> server_;
  Json fixtures_;
  std::string path_;
  std::shared_ptr<RecordingTransport> recorder_;
};

TEST_F(RecordReplay, ATypedClientReplaysWhatWasRecordedWithOtherCredentials) {
  const auto recorded = Session(recorder_, RealKeys());
  ASSERT_EQ(recorded.size(), 8u);
  for (const auto& l : recorded) EXPECT_EQ(l.rfind("error", 0), std::string::npos) << l;
  EXPECT_EQ(recorder_->write_error(), "");

  // From the file, with no mock anywhere.
  auto cassette = Cassette::Load(path_);
  ASSERT_TRUE(cassette.ok()) << cassette.error().message;
  EXPECT_EQ(cassette->size(), recorded.size());
  EXPECT_EQ(cassette->ToHar(), recorder_->cassette().ToHar());
  auto replay = std::make_shared<ReplayTransport>(*cassette);
  EXPECT_EQ(Session(replay, DummyKeys()), recorded);
  EXPECT_TRUE(replay->Unused().empty());
}

TEST_F(RecordReplay, TheCassetteHoldsNoCredentialOfTheFixtures) {
  Session(recorder_, RealKeys());
  const std::string har = recorder_->cassette().ToHar();
  const auto credentials = restbox::testing::FixtureCredentials(fixtures_);
  ASSERT_GE(credentials.size(), 10u);  // the walk below must have something to find
  for (const auto& c : credentials)
    EXPECT_EQ(har.find(c), std::string::npos) << c << " is in the cassette";
  // The ones this session sent are there, masked.
  EXPECT_NE(har.find(core::MaskSecret(Fix("chikage", "test_key"))), std::string::npos);
  EXPECT_NE(har.find(core::MaskSecret(Fix("findhelper", "api_secret"))), std::string::npos);
}

TEST_F(RecordReplay, ARequestWithNoRecordingIsADocumentedError) {
  Session(recorder_, RealKeys());
  ReplayTransport replay(recorder_->cassette());
  auto o = Configure<chikage::ClientOptions>(
      std::shared_ptr<core::Transport>(&replay, [](auto*) {}), clock_);
  o.api_key = DummyKeys().chikage;
  chikage::Client client(o);
  auto r = Done(client.Get("orders", "rec_never_recorded"));
  ASSERT_FALSE(r.ok());
  const core::Error& e = r.error();
  EXPECT_EQ(e.kind, core::ErrorKind::kNoRecording);
  EXPECT_EQ(e.http_status, 0);
  EXPECT_EQ(e.attempts, 1);  // final: never retried
  EXPECT_NE(e.message.find("no recording matches GET "
                           "https://api.example.test/api/v1/data/orders/rec_never_recorded"),
            std::string::npos)
      << e.message;
  EXPECT_NE(e.message.find("nearest: #"), std::string::npos) << e.message;
  auto body = core::ParseJson(e.raw_body);
  ASSERT_TRUE(body.ok()) << e.raw_body;
  EXPECT_EQ((*body)["error"], "no_recording");
  ASSERT_FALSE((*body)["candidates"].empty());
  EXPECT_NE((*body)["candidates"][0]["url"].get<std::string>().find("/api/v1/data/orders/"),
            std::string::npos);
  EXPECT_EQ(core::ToString(core::ErrorKind::kNoRecording), "no_recording");
}

// A transport that always fails the same way.
// A network that fails every call with `kind`.
std::shared_ptr<restbox::testing::ScriptedTransport> Failing(core::ErrorKind kind) {
  auto transport = std::make_shared<restbox::testing::ScriptedTransport>();
  transport->otherwise = core::MakeError(kind, "connect to 203.0.113.9 port 443 failed");
  return transport;
}

TEST(RecordingTransportTest, TransportErrorsReplayAsTheSameErrorAndCancellationsAreNotKept) {
  auto clock = std::make_shared<core::ManualClock>();
  auto recorder = std::make_shared<RecordingTransport>(Failing(core::ErrorKind::kConnection),
                                                       RecordingOptions{.clock = clock});
  core::HttpRequest request;
  request.url = "https://api.example.test/api/jobs";
  std::optional<core::Result<core::HttpResponse>> first;
  recorder->Send(request, {}, [&](core::Result<core::HttpResponse> r) { first = std::move(r); });
  ASSERT_TRUE(first && !first->ok());
  EXPECT_EQ(first->error().kind, core::ErrorKind::kConnection);
  ASSERT_EQ(recorder->cassette().size(), 1u);

  auto cancelling = std::make_shared<RecordingTransport>(Failing(core::ErrorKind::kCancelled));
  cancelling->Send(request, {}, [](const core::Result<core::HttpResponse>&) {});
  EXPECT_EQ(cancelling->cassette().size(), 0u);

  ReplayTransport replay(Cassette::FromHar(recorder->cassette().ToHar()).value());
  std::optional<core::Result<core::HttpResponse>> again;
  replay.Send(request, {}, [&](core::Result<core::HttpResponse> r) { again = std::move(r); });
  ASSERT_TRUE(again && !again->ok());
  EXPECT_EQ(again->error().kind, core::ErrorKind::kConnection);
  EXPECT_EQ(again->error().message, "connect to 203.0.113.9 port 443 failed");

  core::Context cancelled;
  cancelled.cancellation = std::make_shared<core::CancellationSource>();
  cancelled.cancellation->Cancel();
  std::optional<core::Result<core::HttpResponse>> refused;
  replay.Send(request, cancelled,
              [&](core::Result<core::HttpResponse> r) { refused = std::move(r); });
  ASSERT_TRUE(refused && !refused->ok());
  EXPECT_EQ(refused->error().kind, core::ErrorKind::kCancelled);
}

TEST(RecordingTransportTest, WithoutKeepInMemoryOnlyTheFileHoldsTheRecording) {
  const std::string path = ::testing::TempDir() + "restbox_recording_file_only.har";
  auto file = CassetteFile::Create(path);
  ASSERT_TRUE(file.ok());
  RecordingTransport recorder(Failing(core::ErrorKind::kTimeout),
                              RecordingOptions{.file = *file, .keep_in_memory = false});
  core::HttpRequest request;
  request.url = "/x";
  recorder.Send(request, {}, [](const core::Result<core::HttpResponse>&) {});
  EXPECT_EQ(recorder.cassette().size(), 0u);
  auto loaded = Cassette::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->size(), 1u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace restbox::transports
