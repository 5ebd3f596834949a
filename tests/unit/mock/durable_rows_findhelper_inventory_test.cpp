// Durable state record by record for findhelper and inventory (issue 11 item 2): with a store,
// each write reports only the rows of the records it touched (plus the service's "meta" row when
// a counter, a setting or the token generator moved), never the whole service; a fresh server
// loaded from the rows has the same state; reset and import drop rows that no longer exist; a
// file from before (one "state" row per service) is loaded and rewritten as rows. The store is
// an in-memory fake that records every commit. Time is a ManualClock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "recording_state_store.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/mock/state_store.hpp"

namespace restbox::mock {
namespace {

using core::Json;
using core::Method;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

using testing::RecordingStore;

std::string RowKey(std::uint64_t n) {
  return OrderedRowKey(n);
}

Json Parse(const std::string& text) {
  auto parsed = core::ParseJson(text);
  return parsed.ok() ? parsed.value() : Json();
}

class DurableRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = NewServer();
    if (!server_->FindService("findhelper") || !server_->FindService("inventory"))
      GTEST_SKIP() << "findhelper or inventory is not part of this build";
    ASSERT_EQ(server_->AttachStore(store_), std::nullopt);
    fixtures_ = server_->Fixtures();
  }

  std::shared_ptr<MockServer> NewServer() {
    MockOptions options;
    options.clock = clock_;
    options.limits_enabled = false;  // hundreds of writes a minute; the limiter is not under test
    return MakeMockServer(options, {"findhelper", "inventory"});
  }

  // "collection/key" of every row of `service` that what `action` did committed (nullopt values
  // as "-collection/key"), in commit order.
  template <typename Action>
  std::vector<std::string> ChangedRows(const std::string& service, Action action) {
    store_->commits.clear();
    action();
    std::vector<std::string> out;
    for (const auto& commit : store_->commits) {
      for (const auto& c : commit) {
        if (c.service != service) continue;
        out.push_back((c.value ? "" : "-") + c.collection + "/" + c.key);
      }
    }
    return out;
  }

  core::HttpResponse Call(Method method, const std::string& path, core::Headers headers,
                          const Json& body = nullptr) {
    core::HttpRequest r;
    r.method = method;
    r.url = path;
    r.headers = std::move(headers);
    if (!body.is_null()) {
      r.headers.Set("Content-Type", "application/json");
      r.body = core::DumpJson(body);
    }
    return server_->Process(std::move(r)).response;
  }

  core::HttpResponse Findhelper(Method method, const std::string& path,
                                const Json& body = nullptr) {
    core::Headers h;
    h.Set("X-API-Key", fixtures_["findhelper"]["api_key"].get<std::string>());
    h.Set("X-API-Secret", fixtures_["findhelper"]["api_secret"].get<std::string>());
    return Call(method, path, std::move(h), body);
  }
  Json CreateJob(const std::string& title) {
    auto r = Findhelper(Method::kPost, "/api/jobs",
                        {{"title", title}, {"jobType", "general"}, {"city", "台北市"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Parse(r.body)["data"];
  }

  core::HttpResponse Inventory(Method method, const std::string& path, const Json& body = nullptr,
                               const std::string& key_role = "api_key") {
    core::Headers h;
    h.Set("Authorization", "Bearer " + fixtures_["inventory"][key_role].get<std::string>());
    return Call(method, path, std::move(h), body);
  }
  std::string CreateTemplate(const std::string& title) {
    auto r = Inventory(Method::kPost, "/apiV1/templates",
                       {{"title", title},
                        {"content", "c"},
                        {"imageUrl", "https://example.com/x.png"},
                        {"keywords", {"编号:1"}}});
    EXPECT_EQ(r.status, 200) << r.body;
    return Parse(r.body)["data"].value("token", "");
  }
  std::string Fixture(const std::string& service, const std::string& name) {
    return fixtures_[service][name].get<std::string>();
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<RecordingStore> store_ = std::make_shared<RecordingStore>();
  std::shared_ptr<MockServer> server_;
  Json fixtures_;
};

// ---- findhelper ----

TEST_F(DurableRowsTest, FindhelperKeepsOneRowPerJobAndAMetaRow) {
  auto rows = store_->RowsOf("findhelper");
  EXPECT_EQ(rows.size(), 14u + 1u);  // the 14 demo jobs and meta
  EXPECT_TRUE(rows.count("job/" + RowKey(123)));
  EXPECT_TRUE(rows.count("meta/"));
  EXPECT_FALSE(rows.count("state/"));
  EXPECT_EQ(Parse(rows.at("meta/"))["next_id"], 1001);
}

TEST_F(DurableRowsTest, FindhelperCreateWritesTheNewJobAndMetaOnly) {
  for (int i = 0; i < 200; ++i) CreateJob("job " + std::to_string(i));
  Json job;
  auto changed = ChangedRows("findhelper", [&] { job = CreateJob("one more"); });
  ASSERT_EQ(job["id"], 1201);
  EXPECT_THAT(changed, ElementsAre("job/" + RowKey(1201), "meta/"));
  Json row = Parse(store_->rows.at({"findhelper", "job", RowKey(1201)}));
  EXPECT_EQ(row["title"], "one more");
  EXPECT_EQ(row["account"], "acct_demo");
  EXPECT_EQ(Parse(store_->rows.at({"findhelper", "meta", ""}))["next_id"], 1202);
}

TEST_F(DurableRowsTest, FindhelperReadsAndRefusedWritesChangeNoRow) {
  EXPECT_THAT(
      ChangedRows("findhelper",
                  [&] {
                    EXPECT_EQ(Findhelper(Method::kGet, "/api/jobs").status, 200);
                    EXPECT_EQ(Findhelper(Method::kGet, "/api/jobs/123").status, 200);
                    EXPECT_EQ(Findhelper(Method::kPost, "/api/jobs", {{"title", ""}}).status, 400);
                  }),
      IsEmpty());
}

TEST_F(DurableRowsTest, FindhelperSettingsWriteMetaOnly) {
  EXPECT_THAT(ChangedRows("findhelper",
                          [&] {
                            ASSERT_EQ(
                                server_->ApplySettings("findhelper", {{"requests_per_minute", 7}}),
                                std::nullopt);
                          }),
              ElementsAre("meta/"));
  EXPECT_EQ(Parse(store_->rows.at({"findhelper", "meta", ""}))["settings"]["requests_per_minute"],
            7);
  // A refused patch changes nothing.
  EXPECT_THAT(ChangedRows("findhelper",
                          [&] {
                            EXPECT_NE(
                                server_->ApplySettings("findhelper", {{"requests_per_minute", -1}}),
                                std::nullopt);
                          }),
              IsEmpty());
}

TEST_F(DurableRowsTest, FindhelperRoundTripsThroughItsRows) {
  CreateJob("a");
  CreateJob("b");
  ASSERT_EQ(server_->ApplySettings("findhelper", {{"requests_per_day", 5000}}), std::nullopt);
  const Json before = server_->State()["findhelper"];

  auto restarted = NewServer();
  bool loaded = false;
  ASSERT_EQ(restarted->AttachStore(store_, &loaded), std::nullopt);
  EXPECT_TRUE(loaded);
  EXPECT_EQ(restarted->State()["findhelper"], before);
  // The id counter goes on where it stopped.
  server_ = restarted;
  EXPECT_EQ(CreateJob("c")["id"], 1003);
}

TEST_F(DurableRowsTest, FindhelperResetAndImportDropRowsOfJobsThatAreGone) {
  CreateJob("a");
  ASSERT_TRUE(store_->rows.count({"findhelper", "job", RowKey(1001)}));
  server_->Reset();
  EXPECT_FALSE(store_->rows.count({"findhelper", "job", RowKey(1001)}));
  EXPECT_EQ(store_->RowsOf("findhelper").size(), 15u);

  // An import with one job leaves one job row.
  Json state = server_->State();
  Json one = Json::array();
  one.push_back(state["findhelper"]["jobs"][0]);
  state["findhelper"]["jobs"] = one;
  ASSERT_EQ(server_->LoadState(state), std::nullopt);
  auto rows = store_->RowsOf("findhelper");
  EXPECT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows.count("job/" + RowKey(one[0]["id"].get<std::int64_t>())));
}

TEST_F(DurableRowsTest, FindhelperRowsThatAreNotItsOwnAreRefused) {
  store_->rows[{"findhelper", "jobs", "1"}] = "{}";
  auto restarted = NewServer();
  auto error = restarted->AttachStore(store_);
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(*error, HasSubstr("findhelper: unknown row collection 'jobs'"));

  store_->rows.erase({"findhelper", "jobs", "1"});
  store_->rows[{"findhelper", "job", RowKey(5)}] = R"({"id":5})";
  error = NewServer()->AttachStore(store_);
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(*error, HasSubstr("findhelper: invalid job"));
}

// ---- inventory ----

TEST_F(DurableRowsTest, InventoryKeepsOneRowPerRecordAndAMetaRow) {
  auto rows = store_->RowsOf("inventory");
  std::map<std::string, int> per_collection;
  for (const auto& [name, value] : rows) ++per_collection[name.substr(0, name.find('/'))];
  EXPECT_EQ(per_collection["account"], 5);
  EXPECT_EQ(per_collection["key"], 7);
  EXPECT_EQ(per_collection["template"], 4);
  EXPECT_EQ(per_collection["item"], 26);
  EXPECT_EQ(per_collection["share"], 3);
  EXPECT_EQ(per_collection["meta"], 1);
  EXPECT_EQ(per_collection.size(), 6u);
  EXPECT_EQ(Parse(rows.at("share/" + RowKey(0)))["shareToken"],
            Fixture("inventory", "share_token"));
}

TEST_F(DurableRowsTest, InventoryEachWriteChangesOnlyWhatItTouches) {
  for (int i = 0; i < 100; ++i) CreateTemplate("t" + std::to_string(i));
  // Template 4 + 100 is the next; the caller's lastUsedAt does not move on this clock.
  std::string token;
  EXPECT_THAT(ChangedRows("inventory", [&] { token = CreateTemplate("mine"); }),
              ElementsAre("template/" + RowKey(104), "meta/"));
  EXPECT_EQ(Parse(store_->rows.at({"inventory", "template", RowKey(104)}))["token"], token);

  // Share it: one share row (the fourth share) and meta (a token was drawn).
  EXPECT_THAT(ChangedRows("inventory",
                          [&] {
                            auto r =
                                Inventory(Method::kPost, "/apiV1/templates/" + token + "/share",
                                          {{"durationMinutes", 0}, {"tags", {"a"}}});
                            ASSERT_EQ(r.status, 200) << r.body;
                          }),
              ElementsAre("share/" + RowKey(3), "meta/"));

  // Send it: the recipient's new item, meta, and the share's copy count.
  EXPECT_THAT(ChangedRows("inventory",
                          [&] {
                            auto r = Inventory(Method::kPost, "/apiV1/templates/" + token + "/send",
                                               {{"recipientEmail", "recipient@example.com"}});
                            ASSERT_EQ(r.status, 200) << r.body;
                          }),
              ElementsAre("item/" + RowKey(26), "meta/", "share/" + RowKey(3)));
  Json share = Parse(store_->rows.at({"inventory", "share", RowKey(3)}));
  EXPECT_EQ(share["copyCount"], 1);
  EXPECT_EQ(Parse(store_->rows.at({"inventory", "item", RowKey(26)}))["owner"],
            "recipient@example.com");

  // Revoke the share: its row only.
  const std::string share_token = share["shareToken"].get<std::string>();
  EXPECT_THAT(ChangedRows("inventory",
                          [&] {
                            auto r = Inventory(Method::kPost, "/apiV1/templates/revoke",
                                               {{"shareToken", share_token}});
                            ASSERT_EQ(r.status, 200) << r.body;
                          }),
              ElementsAre("share/" + RowKey(3)));
  EXPECT_EQ(Parse(store_->rows.at({"inventory", "share", RowKey(3)}))["state"], "revoked");

  // Check-ownership, the reads and a refused write change nothing.
  EXPECT_THAT(ChangedRows("inventory",
                          [&] {
                            EXPECT_EQ(Inventory(Method::kPost,
                                                "/apiV1/templates/" + token + "/check-ownership",
                                                {{"email", "recipient@example.com"}})
                                          .status,
                                      200);
                            EXPECT_EQ(Inventory(Method::kGet, "/apiV1/items").status, 200);
                            EXPECT_EQ(Inventory(Method::kGet, "/apiV1/user/stats").status, 200);
                            EXPECT_EQ(Inventory(Method::kPost, "/apiV1/templates/revoke",
                                                {{"shareToken", share_token}})
                                          .status,
                                      400);
                          }),
              IsEmpty());
}

TEST_F(DurableRowsTest, InventoryLastUsedMovesTheCallersAccountRow) {
  clock_->Advance(std::chrono::seconds(5));
  EXPECT_THAT(
      ChangedRows("inventory",
                  [&] {
                    EXPECT_EQ(
                        Inventory(Method::kGet, "/apiV1/items", nullptr, "second_user_key").status,
                        200);
                  }),
      ElementsAre("account/" + RowKey(1)));  // second@example.com
  Json account = Parse(store_->rows.at({"inventory", "account", RowKey(1)}));
  EXPECT_EQ(account["email"], "second@example.com");
  EXPECT_EQ(account["lastUsedAt"], core::FormatIso8601(clock_->Now()));
}

TEST_F(DurableRowsTest, InventoryShareExpiryWritesTheShareRow) {
  // The demo share expires 12 hours after the fixtures were made.
  EXPECT_THAT(ChangedRows("inventory", [&] { server_->AdvanceClock(std::chrono::hours(13)); }),
              ElementsAre("share/" + RowKey(0)));
  EXPECT_EQ(Parse(store_->rows.at({"inventory", "share", RowKey(0)}))["state"], "expired");
}

TEST_F(DurableRowsTest, InventorySettingsWriteTheRowsTheyChange) {
  EXPECT_THAT(
      ChangedRows("inventory",
                  [&] {
                    ASSERT_EQ(server_->ApplySettings(
                                  "inventory", {{"account.second@example.com.api_enabled", false}}),
                              std::nullopt);
                  }),
      ElementsAre("account/" + RowKey(1)));
  EXPECT_THAT(ChangedRows("inventory",
                          [&] {
                            ASSERT_EQ(
                                server_->ApplySettings("inventory", {{"rate_limit_per_minute", 9}}),
                                std::nullopt);
                          }),
              ElementsAre("meta/"));
  // Slot 3 is second_user_key (Reset's order).
  EXPECT_THAT(ChangedRows("inventory",
                          [&] {
                            ASSERT_EQ(
                                server_->ApplySettings(
                                    "inventory", {{"key.second_user_key.action", "regenerate"}}),
                                std::nullopt);
                          }),
              UnorderedElementsAre("key/" + RowKey(3), "meta/"));
  Json slot = Parse(store_->rows.at({"inventory", "key", RowKey(3)}));
  EXPECT_EQ(slot["slot"], "second_user_key");
  EXPECT_EQ(slot["replaced"].size(), 1u);
  EXPECT_THAT(ChangedRows("inventory",
                          [&] {
                            ASSERT_EQ(server_->ApplySettings(
                                          "inventory", {{"key.second_user_key.action", "delete"},
                                                        {"key.api_key.write_scope", false}}),
                                      std::nullopt);
                          }),
              UnorderedElementsAre("key/" + RowKey(3), "key/" + RowKey(0)));
  EXPECT_EQ(Parse(store_->rows.at({"inventory", "key", RowKey(3)}))["value"], "");
}

TEST_F(DurableRowsTest, InventoryRoundTripsThroughItsRowsAndKeepsItsTokensUnique) {
  const std::string token = CreateTemplate("round trip");
  ASSERT_EQ(Inventory(Method::kPost, "/apiV1/templates/" + token + "/share",
                      {{"durationMinutes", 60}, {"tags", {"x", "y"}}})
                .status,
            200);
  ASSERT_EQ(Inventory(Method::kPost, "/apiV1/templates/" + token + "/send",
                      {{"recipientEmail", "second@example.com"}, {"message", "hi"}})
                .status,
            200);
  clock_->Advance(std::chrono::minutes(2));
  ASSERT_EQ(Inventory(Method::kGet, "/apiV1/user/stats").status, 200);
  ASSERT_EQ(server_->ApplySettings("inventory", {{"key.read_only_key.action", "regenerate"},
                                                 {"rate_limit_per_minute", 30}}),
            std::nullopt);
  server_->AdvanceClock(std::chrono::hours(2));  // the new share runs out
  const Json before = server_->State()["inventory"];
  const auto rows_before = store_->RowsOf("inventory");

  auto restarted = NewServer();
  bool loaded = false;
  ASSERT_EQ(restarted->AttachStore(store_, &loaded), std::nullopt);
  EXPECT_TRUE(loaded);
  EXPECT_EQ(restarted->State()["inventory"], before);
  EXPECT_EQ(store_->RowsOf("inventory"), rows_before);

  // Both generators stand at the same place: the restarted server mints the token the first one
  // would have, which is none it minted before.
  const std::string next = CreateTemplate("after");
  server_ = restarted;
  EXPECT_EQ(CreateTemplate("after"), next);
  EXPECT_NE(next, token);
  const Json templates = server_->State()["inventory"]["templates"];
  std::set<std::string> tokens;
  for (const auto& t : templates) tokens.insert(t["token"].get<std::string>());
  EXPECT_EQ(tokens.size(), templates.size());
  EXPECT_EQ(templates.size(), 6u);
}

TEST_F(DurableRowsTest, InventoryResetDropsRowsOfRecordsThatAreGone) {
  CreateTemplate("gone after reset");
  ASSERT_TRUE(store_->rows.count({"inventory", "template", RowKey(4)}));
  server_->Reset();
  EXPECT_FALSE(store_->rows.count({"inventory", "template", RowKey(4)}));
  EXPECT_EQ(Parse(store_->rows.at({"inventory", "meta", ""}))["token_draws"], 0);
}

TEST_F(DurableRowsTest, InventoryRowsOutOfSequenceAreRefused) {
  // A gap would make the next record overwrite a later one: refused, and the server stays as it
  // was.
  store_->rows.erase({"inventory", "item", RowKey(3)});
  auto restarted = NewServer();
  const Json fixtures = restarted->State()["inventory"];
  auto error = restarted->AttachStore(store_);
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(*error, HasSubstr("inventory: item rows must be numbered 0 to n-1"));
  EXPECT_EQ(restarted->State()["inventory"], fixtures);
  EXPECT_FALSE(restarted->durable());

  store_->rows[{"inventory", "item", RowKey(3)}] = "[1]";
  error = NewServer()->AttachStore(store_);
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(*error, HasSubstr("row item/" + RowKey(3) + " is not a JSON object"));
}

// ---- files written when both services were one "state" row each ----

TEST_F(DurableRowsTest, AFileWithOneStateRowPerServiceIsLoadedAndRewrittenAsRows) {
  CreateJob("old layout");
  CreateTemplate("old layout");
  const Json before = server_->State();
  for (const std::string service : {"findhelper", "inventory"}) {
    std::erase_if(store_->rows, [&](const auto& row) { return std::get<0>(row.first) == service; });
    store_->rows[{service, "state", ""}] = core::DumpJson(before[service]);
  }
  auto restarted = NewServer();
  bool loaded = false;
  ASSERT_EQ(restarted->AttachStore(store_, &loaded), std::nullopt);
  EXPECT_TRUE(loaded);
  EXPECT_EQ(restarted->State()["findhelper"], before["findhelper"]);
  EXPECT_EQ(restarted->State()["inventory"], before["inventory"]);
  for (const std::string service : {"findhelper", "inventory"}) {
    auto rows = store_->RowsOf(service);
    EXPECT_FALSE(rows.count("state/")) << service;
    EXPECT_TRUE(rows.count("meta/")) << service;
  }
  EXPECT_TRUE(store_->rows.count({"findhelper", "job", RowKey(1001)}));
  EXPECT_TRUE(store_->rows.count({"inventory", "template", RowKey(4)}));
}

}  // namespace
}  // namespace restbox::mock
