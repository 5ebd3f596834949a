// wncms' durable state record by record (issue 11 item 2): with a store attached, every write
// route commits the rows of what it changed (the post, page, menu or tag, tags a post created,
// and the "meta" row of settings, id counters and generator draws), never the whole state; reads
// commit none; a fresh server loaded from the rows has the same state and goes on exactly as the
// original (same next ids, same generated slugs, same random order); records that go (a reset)
// lose their row; a store written when wncms was kept as one row is carried over to rows; the
// indexes that spare a write from reading every record follow writes and loads.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "recording_state_store.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/mock/state_store.hpp"

namespace restbox::mock {
namespace {

using core::Json;

// The store with what the wncms tests read of it.
class WncmsRecordingStore final : public testing::RecordingStore {
 public:
  // The wncms rows of every commit since the last call: "collection/key" -> value (nullopt:
  // deleted).
  std::map<std::string, std::optional<std::string>> TakeWncms() {
    std::map<std::string, std::optional<std::string>> out;
    for (const auto& commit : commits) {
      for (const auto& c : commit) {
        if (c.service == "wncms") out[c.collection + "/" + c.key] = c.value;
      }
    }
    commits.clear();
    return out;
  }
  std::size_t WncmsRowCount() const {
    std::size_t n = 0;
    for (const auto& [k, v] : rows) n += std::get<0>(k) == "wncms";
    return n;
  }
  bool Has(const std::string& collection, const std::string& key) const {
    return rows.count({"wncms", collection, key}) > 0;
  }
};

std::string Key(std::int64_t id) {
  std::string digits = std::to_string(id);
  return std::string(19 - digits.size(), '0') + digits;
}

std::set<std::string> ChangedNames(
    const std::map<std::string, std::optional<std::string>>& changes) {
  std::set<std::string> out;
  for (const auto& [name, value] : changes) out.insert(name);
  return out;
}

class WncmsRows : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = Make();
    token_ = server_->Fixtures()["wncms"]["api_token"];
    store_ = std::make_shared<WncmsRecordingStore>();
    ASSERT_FALSE(server_->AttachStore(store_));
    store_->commits.clear();
  }

  std::shared_ptr<MockServer> Make() {
    MockOptions options;
    options.clock = clock_;
    options.seed = 7;
    return MakeMockServer(options);
  }

  // POSTs `body` (with the api token) to `path`; the answer's JSON.
  Json Call(MockServer& server, const std::string& path, Json body, int status = 200) {
    body["api_token"] = token_;
    core::HttpRequest r;
    r.method = core::Method::kPost;
    r.url = "http://mock" + path;
    r.headers.Set("Content-Type", "application/json");
    r.body = core::DumpJson(body);
    auto response = server.Process(std::move(r)).response;
    EXPECT_EQ(response.status, status) << path << " " << response.body;
    auto parsed = core::ParseJson(response.body);
    return parsed.ok() ? parsed.value() : Json();
  }
  Json Call(const std::string& path, Json body, int status = 200) {
    return Call(*server_, path, std::move(body), status);
  }

  // The row a record of the browsable state has (post and tag rows are their SaveState entry).
  std::string StateEntry(const char* list, std::int64_t id) const {
    const Json state = server_->State();
    for (const auto& j : state["wncms"][list]) {
      if (j["id"] == id) return core::DumpJson(j);
    }
    return "";
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<MockServer> server_;
  std::shared_ptr<WncmsRecordingStore> store_;
  std::string token_;
};

TEST_F(WncmsRows, AttachingWritesOneRowPerRecordAndMeta) {
  Json state = server_->State()["wncms"];
  const std::size_t records =
      state["posts"].size() + state["tags"].size() + state["pages"].size() + state["menus"].size();
  EXPECT_EQ(store_->WncmsRowCount(), records + 1);
  EXPECT_TRUE(store_->Has("meta", ""));
  EXPECT_TRUE(store_->Has("post", Key(20)));
  EXPECT_TRUE(store_->Has("tag", Key(8)));
  EXPECT_TRUE(store_->Has("page", Key(4)));
  EXPECT_TRUE(store_->Has("menu", Key(2)));
  EXPECT_FALSE(store_->Has("state", ""));
}

TEST_F(WncmsRows, CreatingAPostWritesThatPostAndMetaWhateverTheStateHolds) {
  // The meta row changes too: the id counter, and the draws of its generated slug.
  for (int i = 0; i < 150; ++i) {
    Json r =
        Call("/api/v1/posts/store", {{"title", "Post " + std::to_string(i)}, {"content", "x"}});
    const std::int64_t id = r["data"]["id"];
    auto changes = store_->TakeWncms();
    ASSERT_EQ(ChangedNames(changes), (std::set<std::string>{"post/" + Key(id), "meta/"})) << i;
    EXPECT_EQ(changes["post/" + Key(id)], StateEntry("posts", id));
  }
  EXPECT_GT(store_->WncmsRowCount(), 150u);
}

TEST_F(WncmsRows, APostNamingNewTagsWritesThoseTagsToo) {
  Json r = Call("/api/v1/posts/store", {{"title", "Tagged"},
                                        {"content", "x"},
                                        {"slug", "tagged"},
                                        {"categories", "教學, Brand new category"},
                                        {"tags", "php, fresh-tag"}});
  const std::int64_t id = r["data"]["id"];
  auto changes = store_->TakeWncms();
  // 教學 and php exist (tags 2 and 6): only the two new tags (9 and 10) get rows.
  EXPECT_EQ(ChangedNames(changes),
            (std::set<std::string>{"post/" + Key(id), "tag/" + Key(9), "tag/" + Key(10), "meta/"}));
  EXPECT_EQ(changes["tag/" + Key(10)], StateEntry("tags", 10));
}

TEST_F(WncmsRows, UpdatingADuplicatePostWritesOnlyThatPost) {
  Call("/api/v1/posts/store", {{"title", "Getting started with WNCMS"},
                               {"content", "new text"},
                               {"check_title", true},
                               {"update_content_when_duplicated", true}});
  auto changes = store_->TakeWncms();
  EXPECT_EQ(ChangedNames(changes), (std::set<std::string>{"post/" + Key(2)}));
  EXPECT_EQ(changes["post/" + Key(2)], StateEntry("posts", 2));
  // A skipped duplicate changes nothing, and writes nothing.
  Call("/api/v1/posts/store",
       {{"title", "Getting started with WNCMS"}, {"content", "other"}, {"check_title", true}});
  EXPECT_TRUE(store_->TakeWncms().empty());
}

TEST_F(WncmsRows, TagsStoreWritesTheNewOrUpdatedTag) {
  Json r = Call("/api/v1/tags/store", {{"name", "Docs"}, {"type", "post_category"}});
  const std::int64_t id = r["data"]["id"];
  EXPECT_EQ(ChangedNames(store_->TakeWncms()), (std::set<std::string>{"tag/" + Key(id), "meta/"}));
  Call("/api/v1/tags/store", {{"name", "Docs"},
                              {"type", "post_category"},
                              {"description", "updated"},
                              {"update_when_duplicated", true}});
  auto changes = store_->TakeWncms();
  EXPECT_EQ(ChangedNames(changes), (std::set<std::string>{"tag/" + Key(id)}));
  EXPECT_EQ(changes["tag/" + Key(id)], StateEntry("tags", id));
  Call("/api/v1/tags/store", {{"name", "Docs"}, {"type", "post_category"}});  // skipped
  EXPECT_TRUE(store_->TakeWncms().empty());
}

TEST_F(WncmsRows, PagesAndMenusWriteTheirRecord) {
  Json page = Call("/api/v1/pages/store", {{"title", "Terms"}, {"slug", "terms"}});
  EXPECT_EQ(ChangedNames(store_->TakeWncms()),
            (std::set<std::string>{"page/" + Key(page["data"]["id"]), "meta/"}));
  Json menu = Call("/api/v1/menus/store",
                   {{"name", "Side"}, {"menu_items", {{{"name", "Home"}, {"url", "/"}}}}});
  EXPECT_EQ(ChangedNames(store_->TakeWncms()),
            (std::set<std::string>{"menu/" + Key(menu["data"]["id"]), "meta/"}));
  // Syncing an existing menu replaces its items (new item ids: the meta row's counter).
  Call("/api/v1/menus/sync", {{"name", "Footer"}, {"menu_items", {{{"name", "Only"}}}}});
  auto changes = store_->TakeWncms();
  EXPECT_EQ(ChangedNames(changes), (std::set<std::string>{"menu/" + Key(2), "meta/"}));
  EXPECT_EQ(changes["menu/" + Key(2)], StateEntry("menus", 2));
}

TEST_F(WncmsRows, ReadsAndRefusalsWriteNothingARandomListOnlyMeta) {
  for (const char* path :
       {"/api/v1/posts/index", "/api/v1/posts", "/api/v1/pages/index", "/api/v1/menus/index",
        "/api/v1/posts/1", "/api/v1/pages/about", "/api/v1/menus/1"})
    Call(path, Json::object());
  Call("/api/v1/tags/index", {{"type", "post_category"}});
  Call("/api/v1/tags/exist", {{"tagIds", {1, 2, 99}}});
  Call("/api/v1/posts/store", {{"title", "no content"}}, 422);
  Call("/api/v1/pages/store", {{"title", "About again"}, {"slug", "about"}}, 422);
  EXPECT_TRUE(store_->TakeWncms().empty());
  // A random order draws from the generator: its count is in the meta row.
  Call("/api/v1/posts/index", {{"is_random", true}});
  EXPECT_EQ(ChangedNames(store_->TakeWncms()), (std::set<std::string>{"meta/"}));
}

TEST_F(WncmsRows, AdminSettingsWriteTheMetaRow) {
  ASSERT_FALSE(server_->ApplySettings("wncms", {{"wncms_api_posts_index", false}}));
  auto changes = store_->TakeWncms();
  ASSERT_EQ(ChangedNames(changes), (std::set<std::string>{"meta/"}));
  auto meta = core::ParseJson(*changes["meta/"]);
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ((*meta)["settings"]["wncms_api_posts_index"], false);
}

TEST_F(WncmsRows, AFreshServerLoadedFromTheRowsHasTheSameStateAndGoesOnTheSame) {
  Call("/api/v1/posts/store", {{"title", "One"}, {"content", "a"}, {"tags", "new-one"}});
  Call("/api/v1/pages/store", {{"title", "Generated slug"}});
  Call("/api/v1/menus/sync", {{"name", "Footer"}, {"menu_items", Json::array()}});
  Call("/api/v1/tags/store", {{"name", "Child"}, {"parent_id", 1}});
  Call("/api/v1/posts/index", {{"is_random", true}});
  ASSERT_FALSE(server_->ApplySettings("wncms", {{"wncms_api_page_index_should_auth", "none"}}));

  auto copy = std::make_shared<WncmsRecordingStore>();
  copy->rows = store_->rows;
  auto fresh = Make();
  bool loaded = false;
  ASSERT_FALSE(fresh->AttachStore(copy, &loaded));
  EXPECT_TRUE(loaded);
  EXPECT_EQ(fresh->State()["wncms"], server_->State()["wncms"]);
  EXPECT_TRUE(copy->TakeWncms().empty());  // loading writes nothing back

  // Both hand out the same next ids and generated slugs, and shuffle the same way: the counters
  // and the generator's draws came back too (the menu sync above freed the highest item ids).
  auto next = [&](MockServer& s) {
    Json out = Json::array();
    out.push_back(Call(s, "/api/v1/posts/store", {{"title", "Two"}, {"content", "b"}})["data"]);
    out.push_back(Call(s, "/api/v1/menus/store",
                       {{"name", "New"}, {"menu_items", {{{"name", "A"}}}}})["data"]);
    out.push_back(Call(s, "/api/v1/posts/index", {{"is_random", true}})["data"]);
    return out;
  };
  EXPECT_EQ(next(*fresh), next(*server_));
  EXPECT_EQ(fresh->State()["wncms"], server_->State()["wncms"]);
}

TEST_F(WncmsRows, RecordsThatGoLoseTheirRow) {
  // wncms has no delete route: records go with a reset or a loaded state, which rewrite the rows.
  Json r = Call("/api/v1/posts/store", {{"title", "Short-lived"}, {"content", "x"}});
  const std::string key = Key(r["data"]["id"]);
  ASSERT_TRUE(store_->Has("post", key));
  server_->Reset();
  EXPECT_FALSE(store_->Has("post", key));
  EXPECT_TRUE(store_->Has("post", Key(20)));

  Json state = server_->State();
  state["wncms"]["pages"] = Json::array();
  ASSERT_FALSE(server_->LoadState(state));
  EXPECT_FALSE(store_->Has("page", Key(1)));
  EXPECT_TRUE(store_->Has("meta", ""));
}

TEST_F(WncmsRows, AStoreHoldingWncmsAsOneRowIsCarriedOverToRows) {
  Call("/api/v1/posts/store", {{"title", "Kept"}, {"content", "x"}});
  const Json before = server_->State()["wncms"];
  auto old = std::make_shared<WncmsRecordingStore>();
  for (const auto& [k, v] : store_->rows) {
    if (std::get<0>(k) != "wncms") old->rows[k] = v;
  }
  old->rows[{"wncms", "state", ""}] = core::DumpJson(before);

  auto fresh = Make();
  ASSERT_FALSE(fresh->AttachStore(old));
  EXPECT_EQ(fresh->State()["wncms"], before);
  EXPECT_FALSE(old->Has("state", ""));
  EXPECT_TRUE(old->Has("post", Key(21)));
  EXPECT_EQ(old->WncmsRowCount(), store_->WncmsRowCount());
}

// The lookups a write makes (slugs, titles and their translations, tag names, menu names, a tag's
// children) use indexes instead of reading every record; they follow every write and every load.
TEST_F(WncmsRows, LookupsFollowWritesAndLoads) {
  auto children = [&](MockServer& s, std::int64_t parent) {
    std::set<std::string> names;
    Json list = Call(s, "/api/v1/tags/index", {{"type", "post_category"}, {"page_size", 100}});
    for (const auto& t : list["data"]["data"]) {
      if (t["id"] != parent) continue;
      for (const auto& c : t["children"]) names.insert(c["name"].get<std::string>());
    }
    return names;
  };
  Call("/api/v1/tags/store", {{"name", "Child"}, {"parent_id", 1}});
  EXPECT_EQ(children(*server_, 1), (std::set<std::string>{"Child"}));
  Call("/api/v1/tags/store",
       {{"name", "Child"}, {"parent_id", 2}, {"update_when_duplicated", true}});
  EXPECT_TRUE(children(*server_, 1).empty());
  EXPECT_EQ(children(*server_, 2), (std::set<std::string>{"Child", "Laravel"}));

  // Post 1 is found by its English title; once retitled, its old title finds nothing.
  Json updated = Call("/api/v1/posts/store", {{"title", "Welcome to WNCMS"},
                                              {"content", "x"},
                                              {"check_title", true},
                                              {"update_content_when_duplicated", true}});
  EXPECT_EQ(updated["data"]["id"], 1);
  Json created = Call("/api/v1/posts/store",
                      {{"title", "歡迎使用 WNCMS"}, {"content", "x"}, {"check_title", true}});
  EXPECT_EQ(created["message"], "post #21 created");

  auto copy = std::make_shared<WncmsRecordingStore>();
  copy->rows = store_->rows;
  auto fresh = Make();
  ASSERT_FALSE(fresh->AttachStore(copy));
  for (auto* s : {server_.get(), fresh.get()}) {
    Call(*s, "/api/v1/posts/store", {{"title", "t"}, {"content", "c"}, {"slug", "welcome"}}, 422);
    Call(*s, "/api/v1/pages/store", {{"title", "t"}, {"slug", "about"}}, 422);
    Call(*s, "/api/v1/menus/store", {{"name", "Site menu"}}, 422);
    EXPECT_EQ(Call(*s, "/api/v1/tags/store", {{"name", "Child"}})["message"],
              "Skipped. Duplicated tag found");
    EXPECT_EQ(Call(*s, "/api/v1/posts/welcome", Json::object())["data"]["id"], 1);
    EXPECT_EQ(children(*s, 2), (std::set<std::string>{"Child", "Laravel"}));
  }
}

TEST_F(WncmsRows, BadRowsAreRefusedWithWhatIsWrong) {
  auto attach = [&](const std::string& collection, const std::string& key, std::string value) {
    auto bad = std::make_shared<WncmsRecordingStore>();
    bad->rows = store_->rows;
    bad->rows[{"wncms", collection, key}] = std::move(value);
    auto fresh = Make();
    auto error = fresh->AttachStore(bad);
    return error.value_or("");
  };
  EXPECT_NE(attach("post", Key(3), "[1]").find("post/" + Key(3) + " is not a JSON object"),
            std::string::npos);
  EXPECT_NE(
      attach("post", Key(3), StateEntry("posts", 4)).find("does not hold the record with that id"),
      std::string::npos);
  EXPECT_NE(attach("comment", "1", "{}").find("unknown row collection 'comment'"),
            std::string::npos);
  EXPECT_NE(attach("page", Key(9), R"({"id": 9, "title": 5})").find("wncms: pages"),
            std::string::npos);
}

}  // namespace
}  // namespace restbox::mock
