// The typed wncms client against the in-process mock on a ManualClock: pagination, filters,
// the pager, writes, validation on both sides, toggles and auth settings, state.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "restbox/mock/all.hpp"
#include "restbox/transports/in_process_transport.hpp"
#include "restbox/wncms/client.hpp"
#include "scripted_transport.hpp"

namespace restbox::wncms {
namespace {

using core::Json;
using ::testing::StartsWith;

template <typename T>
core::Result<T> Wait(core::Future<T> f) {
  // The in-process mock answers inline; nothing here may need time to pass.
  auto r = f.TryGet();
  if (!r) return core::MakeError(core::ErrorKind::kTimeout, "not completed");
  return std::move(*r);
}

std::vector<std::int64_t> Ids(const std::vector<Post>& posts) {
  std::vector<std::int64_t> ids;
  for (const auto& p : posts) ids.push_back(p.id);
  return ids;
}

class WncmsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<core::ManualClock>();
    mock::MockOptions mo;
    mo.clock = clock_;
    server_ = mock::MakeMockServer(mo);
    fix_ = server_->Fixtures()["wncms"];
    client_ = std::make_unique<Client>(Options(fix_["api_token"]));
  }

  ClientOptions Options(const std::string& token, bool validation = true) {
    ClientOptions o;
    o.transport = std::make_shared<transports::InProcessTransport>(
        server_, transports::InProcessOptions{.scheduler = clock_});
    o.base_url = "http://mock";
    o.clock = clock_;
    o.scheduler = clock_;
    o.retry.max_attempts = 1;
    o.client_validation = validation;
    o.api_token = token;
    return o;
  }

  std::vector<Post> AllPosts(ListQuery q = {}) {
    q.page_size = 100;
    auto r = Wait(client_->ListPosts(q));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().Describe());
    return r.ok() ? r->items : std::vector<Post>{};
  }

  std::shared_ptr<core::ManualClock> clock_;
  std::shared_ptr<mock::MockServer> server_;
  Json fix_;
  std::unique_ptr<Client> client_;
};

TEST_F(WncmsClientTest, FirstPageHasDefaultSizeAndFullMetadata) {
  auto r = Wait(client_->ListPosts());
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  const Pagination& p = r->pagination;
  const std::int64_t published = fix_["published_posts"];
  EXPECT_EQ(p.total, published);
  EXPECT_EQ(p.page_size, kDefaultPageSize);
  EXPECT_EQ(p.count, kDefaultPageSize);
  EXPECT_EQ(p.current_page, 1);
  EXPECT_EQ(p.last_page, (published + kDefaultPageSize - 1) / kDefaultPageSize);
  EXPECT_TRUE(p.has_more);
  EXPECT_EQ(p.next, "/api/v1/posts/index?page=2");
  EXPECT_EQ(p.previous, std::nullopt);
  EXPECT_EQ(r.meta().service_message, "Successfully fetched posts");
  // Default order: created_at, newest first.
  for (std::size_t i = 1; i < r->items.size(); ++i)
    EXPECT_GE(r->items[i - 1].created_at, r->items[i].created_at);
  for (const auto& post : r->items) EXPECT_EQ(post.status, "published");
}

TEST_F(WncmsClientTest, LastPageAndBeyond) {
  auto last = Wait(client_->ListPosts({.page = 2}));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->pagination.count, fix_["published_posts"].get<std::int64_t>() - kDefaultPageSize);
  EXPECT_FALSE(last->pagination.has_more);
  EXPECT_EQ(last->pagination.next, std::nullopt);
  EXPECT_EQ(last->pagination.previous, "/api/v1/posts/index?page=1");
  auto beyond = Wait(client_->ListPosts({.page = 9}));
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->pagination.count, 0);
}

TEST_F(WncmsClientTest, LegacyPathIsTheSameList) {
  auto o = Options(fix_["api_token"]);
  o.legacy_posts_path = true;
  Client legacy(o);
  auto via_index = Wait(client_->ListPosts({.page_size = 4}));
  auto via_alias = Wait(legacy.ListPosts({.page_size = 4}));
  ASSERT_TRUE(via_alias.ok() && via_index.ok());
  EXPECT_EQ(Ids(via_alias->items), Ids(via_index->items));
  EXPECT_EQ(via_alias->pagination.next, "/api/v1/posts?page=2");  // the seed's own form
  EXPECT_EQ(server_->Journal(1)[0].url, "http://mock/api/v1/posts");
}

TEST_F(WncmsClientTest, KeywordsMatchChineseAndIgnoreAsciiCase) {
  auto zh = AllPosts({.keywords = "設定"});
  ASSERT_FALSE(zh.empty());
  for (const auto& p : zh)
    EXPECT_NE((p.title + p.content).find("設定"), std::string::npos) << p.title;
  auto en = AllPosts({.keywords = "wncms"});
  auto en_upper = AllPosts({.keywords = "WNCMS"});
  EXPECT_EQ(Ids(en), Ids(en_upper));
  // Several words: any of them.
  auto either = AllPosts({.keywords = "設定 roadmap"});
  EXPECT_EQ(either.size(), zh.size() + AllPosts({.keywords = "roadmap"}).size());
}

TEST_F(WncmsClientTest, TagFiltersAndExclusions) {
  const std::int64_t child = fix_["child_tag_id"];
  auto tagged = AllPosts({.tags = {child}});
  ASSERT_FALSE(tagged.empty());
  for (const auto& p : tagged)
    EXPECT_NE(std::find(p.tag_ids.begin(), p.tag_ids.end(), child), p.tag_ids.end());
  // tag_type narrows the ids: a category id under post_tag matches nothing.
  EXPECT_TRUE(AllPosts({.tags = {child}, .tag_type = "post_tag"}).empty());
  EXPECT_EQ(Ids(AllPosts({.tags = {child}, .tag_type = "post_category"})), Ids(tagged));
  // tag_type alone: posts carrying any tag of that type.
  const std::int64_t post_tag = fix_["post_tag_id"];
  auto with_post_tags = AllPosts({.tag_type = "post_tag"});
  EXPECT_EQ(with_post_tags.size(), AllPosts().size());
  EXPECT_LT(AllPosts({.tags = {post_tag}}).size(), with_post_tags.size());

  auto all = AllPosts();
  auto rest = AllPosts({.excluded_post_ids = {all[0].id, all[1].id}});
  EXPECT_EQ(rest.size(), all.size() - 2);
  for (const auto& p : rest) EXPECT_TRUE(p.id != all[0].id && p.id != all[1].id);
}

TEST_F(WncmsClientTest, SortFieldsAndDirections) {
  auto by_title = AllPosts({.sort = "title", .direction = "asc"});
  for (std::size_t i = 1; i < by_title.size(); ++i)
    EXPECT_LE(by_title[i - 1].title, by_title[i].title);
  auto by_sort = AllPosts({.sort = "sort", .direction = "desc"});
  for (std::size_t i = 1; i < by_sort.size(); ++i) EXPECT_GE(by_sort[i - 1].sort, by_sort[i].sort);
  auto by_updated = AllPosts({.sort = "updated_at", .direction = "asc"});
  for (std::size_t i = 1; i < by_updated.size(); ++i)
    EXPECT_LE(by_updated[i - 1].updated_at, by_updated[i].updated_at);
  auto oldest_first = AllPosts({.direction = "asc"});
  auto newest_first = AllPosts();
  std::reverse(oldest_first.begin(), oldest_first.end());
  EXPECT_EQ(Ids(oldest_first), Ids(newest_first));
  EXPECT_NE(Ids(by_updated), Ids(AllPosts({.direction = "asc"})));  // the field matters
}

TEST_F(WncmsClientTest, RandomOrderIsSeededAndAPermutation) {
  auto first = Ids(AllPosts({.is_random = true}));
  server_->Reset();
  auto again = Ids(AllPosts({.is_random = true}));
  EXPECT_EQ(first, again);  // same seed, same sequence
  auto sorted = Ids(AllPosts());
  EXPECT_NE(first, sorted);
  std::sort(first.begin(), first.end());
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(first, sorted);
  EXPECT_NE(Ids(AllPosts({.is_random = true})), again);  // the next draw differs
}

TEST_F(WncmsClientTest, LocaleChoosesTranslations) {
  const std::string id = std::to_string(fix_["post_id"].get<std::int64_t>());
  auto zh = Wait(client_->GetPost(id));
  auto en = Wait(client_->GetPost(id, "en"));
  ASSERT_TRUE(zh.ok() && en.ok());
  EXPECT_EQ(zh->title, "歡迎使用 WNCMS");
  EXPECT_EQ(en->title, "Welcome to WNCMS");
  EXPECT_EQ(zh->categories, std::vector<std::string>{"公告"});
  EXPECT_EQ(en->categories, std::vector<std::string>{"Announcements"});
  auto missing = Wait(client_->GetPost(id, "ja"));  // no translation: the stored text
  EXPECT_EQ(missing->title, "歡迎使用 WNCMS");
  auto by_slug = Wait(client_->GetPost(fix_["post_slug"]));
  EXPECT_EQ(by_slug->id, fix_["post_id"].get<std::int64_t>());
  auto tags = Wait(client_->ListTags(fix_["tag_type"], {.locale = "en"}));
  ASSERT_TRUE(tags.ok());
  std::set<std::string> names;
  for (const auto& t : tags->items) names.insert(t.name);
  EXPECT_TRUE(names.count("Tutorials"));
}

TEST_F(WncmsClientTest, PagerWalksEveryPage) {
  auto pager = client_->PostsPager({.page_size = 4});
  std::vector<std::int64_t> walked;
  int pages = 0;
  while (!pager.done()) {
    auto page = Wait(pager.Next());
    ASSERT_TRUE(page.ok()) << page.error().Describe();
    EXPECT_EQ(page->pagination.current_page, ++pages);
    for (const auto& p : page->items) walked.push_back(p.id);
  }
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(walked, Ids(AllPosts()));
  auto after = Wait(pager.Next());
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().kind, core::ErrorKind::kInvalidArgument);

  auto all = Wait(client_->PostsPager({.page_size = 3}).CollectAll());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Ids(*all), walked);
  auto some = Wait(client_->PostsPager({.page_size = 3}).CollectAll(5));
  EXPECT_EQ(some->size(), 5u);
  const std::size_t requests = server_->Journal().size();
  auto from_page_3 = Wait(client_->PostsPager({.page = 3, .page_size = 5}).CollectAll());
  EXPECT_EQ(Ids(*from_page_3), std::vector<std::int64_t>(walked.begin() + 10, walked.end()));
  EXPECT_EQ(server_->Journal().size(), requests + 2);  // pages 3 and 4 only
}

TEST_F(WncmsClientTest, APagerMayOutliveItsClient) {
  auto client = std::make_unique<Client>(Options(fix_["api_token"]));
  auto pager = client->PostsPager({.page_size = 10});
  client.reset();  // the pager works on a copy of the client
  auto all = Wait(pager.CollectAll());
  ASSERT_TRUE(all.ok()) << all.error();
  EXPECT_EQ(static_cast<std::int64_t>(all->size()), fix_["published_posts"].get<std::int64_t>());
}

TEST_F(WncmsClientTest, TheEnvelopeCodeAndMessageAreInMeta) {
  auto stored = Wait(client_->StoreTag({.name = "Envelope"}));
  ASSERT_TRUE(stored.ok()) << stored.error();
  EXPECT_EQ(stored.meta().service_code, "200");
  EXPECT_EQ(stored.meta().service_message, "tag #" + std::to_string(stored->id) + " created");
  auto listed = Wait(client_->ListPosts());
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed.meta().service_code, "200");
  ASSERT_EQ(server_->ApplySettings("wncms", {{"wncms_api_tag_store", false}}), std::nullopt);
  auto off = Wait(client_->StoreTag({.name = "x"}));
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.meta().service_code, "403");
  EXPECT_EQ(off.meta().service_code, off.error().code);
  EXPECT_EQ(off.meta().service_message, "API access is disabled");
}

TEST_F(WncmsClientTest, ARefusedRequestSaysNotSent) {
  const std::size_t sent = server_->Journal().size();
  auto refused = Wait(client_->StorePost({.title = "only a title"}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, core::ErrorKind::kClientValidation);
  EXPECT_TRUE(refused.error().not_sent);
  EXPECT_EQ(refused.error().attempts, 0);
  EXPECT_EQ(
      refused.error().message,
      "not sent: Validation failed; 1 invalid field: content: The content field is required.");
  EXPECT_EQ(refused.meta().service_code, "");  // the service said nothing
  EXPECT_EQ(server_->Journal().size(), sent);
}

TEST_F(WncmsClientTest, PagerStopsAtTheFirstError) {
  auto pager = client_->PostsPager({.page_size = 5});
  ASSERT_TRUE(Wait(pager.Next()).ok());
  server_->ApplySettings("wncms", {{"wncms_api_posts_index", false}});
  auto all = Wait(pager.CollectAll());
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.error().code, "403");
  EXPECT_TRUE(pager.done());
}

TEST_F(WncmsClientTest, StoredPostIsInTheNextList) {
  clock_->Advance(std::chrono::hours(24 * 60));
  auto before = Wait(client_->ListPosts());
  auto stored = Wait(client_->StorePost({.title = "新文章 New post",
                                         .content = "<p>內容</p>",
                                         .categories = "公告,Brand New",
                                         .tags = "wncms"}));
  ASSERT_TRUE(stored.ok()) << stored.error().Describe();
  EXPECT_EQ(stored.meta().service_message, "post #" + std::to_string(stored->id) + " created");
  EXPECT_EQ(stored->status, "published");
  EXPECT_EQ(stored->visibility, "public");
  EXPECT_EQ(stored->slug.size(), 6u);
  EXPECT_EQ(stored->created_at, core::FormatIso8601(clock_->Now()));
  EXPECT_EQ(stored->categories, (std::vector<std::string>{"公告", "Brand New"}));
  auto after = Wait(client_->ListPosts());
  EXPECT_EQ(after->pagination.total, before->pagination.total + 1);
  EXPECT_EQ(after->items[0].id, stored->id);
  // The new category exists now.
  auto categories = Wait(client_->ListTags("post_category", {.keywords = "brand"}));
  ASSERT_EQ(categories->items.size(), 1u);
  EXPECT_EQ(categories->items[0].name, "Brand New");
  // A draft is stored but not listed.
  auto draft = Wait(client_->StorePost({.title = "Draft", .content = "x", .status = "drafted"}));
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(Wait(client_->ListPosts())->pagination.total, after->pagination.total);
  EXPECT_TRUE(Wait(client_->GetPost(std::to_string(draft->id))).ok());
}

TEST_F(WncmsClientTest, CheckTitleSkipsOrUpdatesTheDuplicate) {
  const std::string title = "Getting started with WNCMS";
  auto skipped = Wait(client_->StorePost({.title = title, .content = "new", .check_title = true}));
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(skipped.meta().service_message, "Skipped. Duplicated post is found");
  EXPECT_NE(skipped->content, "new");
  clock_->Advance(std::chrono::hours(1));
  auto updated = Wait(client_->StorePost({.title = title,
                                          .content = "new",
                                          .check_title = true,
                                          .update_content_when_duplicated = true}));
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated.meta().service_message, "Existing post updated");
  EXPECT_EQ(updated->id, skipped->id);
  EXPECT_EQ(updated->content, "new");
  EXPECT_EQ(updated->updated_at, core::FormatIso8601(clock_->Now()));
  // Without check_title the same title is a new post.
  auto twin = Wait(client_->StorePost({.title = title, .content = "twin"}));
  EXPECT_NE(twin->id, skipped->id);
}

TEST_F(WncmsClientTest, ClientAndServerRefuseAlike) {
  Client unchecked(Options(fix_["api_token"], false));
  const std::size_t sent = server_->Journal().size();
  std::string long_title;
  for (int i = 0; i < 256; ++i) long_title += "長";
  struct Bad {
    std::function<core::Result<Post>(Client&)> call;
    int status;
  };
  auto store = [](const NewPost& p) { return [p](Client& c) { return Wait(c.StorePost(p)); }; };
  for (auto [call, status] :
       std::vector<Bad>{{store({.title = "only a title"}), 422},
                        {store({.title = long_title, .content = "c"}), 422},
                        {store({.title = "t", .content = "c", .status = "pending"}), 422},
                        {store({.title = "t", .content = "c", .published_at = "soon"}), 422}}) {
    auto local = call(*client_);
    auto remote = call(unchecked);
    ASSERT_FALSE(local.ok());
    ASSERT_FALSE(remote.ok());
    EXPECT_EQ(local.error().kind, core::ErrorKind::kClientValidation);
    EXPECT_EQ(remote.error().kind, core::ErrorKindFromStatus(status));
    EXPECT_EQ(local.error().code, std::to_string(status));
    EXPECT_EQ(remote.error().code, local.error().code);
    // The server's own message, after "not sent: " and the list of fields.
    EXPECT_THAT(local.error().message, StartsWith("not sent: " + remote.error().message + "; "));
    EXPECT_TRUE(local.error().not_sent);
    EXPECT_FALSE(remote.error().not_sent);
    EXPECT_EQ(remote.error().details, local.error().details);
  }
  EXPECT_EQ(server_->Journal().size(), sent + 4);  // only the unchecked client's requests

  auto bad_sort = Wait(client_->ListPosts({.sort = "popularity"}));
  auto bad_sort_remote = Wait(unchecked.ListPosts({.sort = "popularity"}));
  EXPECT_EQ(bad_sort.error().code, "400");
  EXPECT_EQ(bad_sort_remote.error().kind, core::ErrorKind::kBadRequest);
  EXPECT_EQ(bad_sort_remote.error().details, bad_sort.error().details);
  EXPECT_EQ(bad_sort_remote.error().details[0].message,
            "The sort field must be one of: created_at, updated_at, title, sort.");
  auto missing = Wait(unchecked.StorePost({.title = "x"}));
  EXPECT_EQ(missing.error().details,
            (std::vector<core::FieldError>{{"content", "The content field is required."}}));
}

TEST_F(WncmsClientTest, TagsStoreRules) {
  const std::int64_t parent = fix_["tag_id"];
  auto created = Wait(client_->StoreTag({.name = "子分類", .parent_id = parent, .sort = 3}));
  ASSERT_TRUE(created.ok()) << created.error().Describe();
  EXPECT_EQ(created.meta().service_message, "tag #" + std::to_string(created->id) + " created");
  EXPECT_EQ(created->type, kDefaultTagType);
  EXPECT_EQ(created->slug, "子分類");  // no ASCII to slugify: the name itself
  EXPECT_EQ(created->parent_id, parent);
  auto skipped = Wait(client_->StoreTag({.name = "子分類", .description = "changed"}));
  EXPECT_EQ(skipped.meta().service_message, "Skipped. Duplicated tag found");
  EXPECT_EQ(skipped->id, created->id);
  EXPECT_EQ(skipped->description, "");
  auto updated = Wait(client_->StoreTag(
      {.name = "子分類", .description = "changed", .update_when_duplicated = true}));
  EXPECT_EQ(updated.meta().service_message, "Existing tag updated");
  EXPECT_EQ(updated->description, "changed");
  // Same name, other type: a different tag.
  auto other = Wait(client_->StoreTag({.name = "子分類", .type = "post_tag"}));
  EXPECT_NE(other->id, created->id);
  // The child shows under its parent.
  auto tree = Wait(client_->ListTags("post_category", {.page_size = 100}));
  bool found = false;
  for (const auto& t : tree->items) {
    if (t.id != parent) continue;
    for (const auto& c : t.children) found = found || c.id == created->id;
  }
  EXPECT_TRUE(found);
  auto orphan = Wait(
      client_->StoreTag({.name = "Orphan", .parent_id = fix_["unknown_id"].get<std::int64_t>()}));
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, "422");
  EXPECT_EQ(orphan.error().details,
            (std::vector<core::FieldError>{{"parent_id", "The selected parent id is invalid."}}));

  const std::int64_t unknown = fix_["unknown_id"];
  auto exist = Wait(client_->ExistingTagIds({unknown, parent, created->id, parent}));
  ASSERT_TRUE(exist.ok());
  EXPECT_EQ(*exist, (std::vector<std::int64_t>{parent, created->id}));
}

TEST_F(WncmsClientTest, TogglesAndAuthSettings) {
  ASSERT_EQ(server_->ApplySettings("wncms", {{"wncms_api_tag_store", false}}), std::nullopt);
  auto off = Wait(client_->StoreTag({.name = "x"}));
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().kind, core::ErrorKind::kForbidden);
  EXPECT_EQ(off.error().message, "API access is disabled");
  EXPECT_TRUE(Wait(client_->ListTags("post_category")).ok());  // other routes unaffected

  Client anonymous(Options(""));
  auto denied = Wait(anonymous.ListPages());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "401");
  EXPECT_EQ(denied.error().message, "Invalid token");
  ASSERT_EQ(server_->ApplySettings("wncms", {{"wncms_api_page_index_should_auth", "none"}}),
            std::nullopt);
  EXPECT_TRUE(Wait(anonymous.ListPages()).ok());
  EXPECT_FALSE(Wait(anonymous.GetPage("about")).ok());  // its own setting still asks for a token
  EXPECT_EQ(server_->Settings("wncms")->at("wncms_api_page_index_should_auth"), "none");

  // A bad patch changes nothing, not even its valid members.
  auto err =
      server_->ApplySettings("wncms", {{"wncms_api_posts_index", false}, {"wncms_api_nope", true}});
  ASSERT_TRUE(err.has_value());
  EXPECT_TRUE(Wait(client_->ListPosts()).ok());
  EXPECT_TRUE(server_->ApplySettings("wncms", {{"wncms_api_posts_index_should_auth", "basic"}})
                  .has_value());
  // WNCMS's own spelling of the auth modes.
  ASSERT_EQ(server_->ApplySettings("wncms", {{"wncms_api_menu_show_should_auth", ""}}),
            std::nullopt);
  EXPECT_EQ(server_->Settings("wncms")->at("wncms_api_menu_show_should_auth"), "none");
  server_->Reset();
  EXPECT_TRUE(Wait(client_->StoreTag({.name = "after reset"})).ok());
}

TEST_F(WncmsClientTest, UnknownIdsAndServerErrors) {
  const std::string unknown = std::to_string(fix_["unknown_id"].get<std::int64_t>());
  EXPECT_EQ(Wait(client_->GetPost(unknown)).error().code, "404");
  EXPECT_EQ(Wait(client_->GetPage("nope")).error().kind, core::ErrorKind::kNotFound);
  EXPECT_EQ(Wait(client_->GetMenu(fix_["unknown_id"])).error().code, "404");
  mock::FaultRule rule;
  rule.action = mock::FaultAction::kStatus;
  rule.status = 500;
  rule.times = 1;
  server_->AddFault(rule);
  auto failed = Wait(client_->ListMenus());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "500");
  EXPECT_TRUE(failed.error().message.starts_with("Server Error: ")) << failed.error().message;
}

TEST_F(WncmsClientTest, MenusStoreSyncAndShow) {
  auto stored = Wait(client_->StoreMenu(
      {.name = "Sidebar",
       .menu_items = {
           {.name = "文章", .url = "/posts", .children = {{.name = "教學", .url = "/t"}}}}}));
  ASSERT_TRUE(stored.ok()) << stored.error().Describe();
  ASSERT_EQ(stored->items.size(), 1u);
  EXPECT_EQ(stored->items[0].items[0].parent_id, stored->items[0].id);
  auto again = Wait(client_->StoreMenu({.name = "Sidebar"}));
  EXPECT_EQ(again.error().details,
            (std::vector<core::FieldError>{{"name", "The name has already been taken."}}));

  auto synced =
      Wait(client_->SyncMenu({.name = "Sidebar", .menu_items = {{.name = "Home", .url = "/"}}}));
  ASSERT_TRUE(synced.ok());
  EXPECT_EQ(synced.meta().service_message, "Successfully synced menu");
  EXPECT_EQ(synced->id, stored->id);
  auto shown = Wait(client_->GetMenu(stored->id));
  ASSERT_EQ(shown->items.size(), 1u);
  EXPECT_EQ(shown->items[0].name, "Home");
  auto fresh = Wait(client_->SyncMenu({.name = "New menu"}));
  EXPECT_EQ(fresh.meta().service_message, "Successfully created menu");
  EXPECT_EQ(Wait(client_->ListMenus())->pagination.total, 4);
}

TEST_F(WncmsClientTest, PagesStoreAndShow) {
  auto page =
      Wait(client_->StorePage({.title = "服務條款", .slug = "terms", .content = "<p>…</p>"}));
  ASSERT_TRUE(page.ok()) << page.error().Describe();
  EXPECT_EQ(Wait(client_->GetPage("terms"))->id, page->id);
  EXPECT_EQ(Wait(client_->GetPage(std::to_string(page->id)))->title, "服務條款");
  auto taken = Wait(client_->StorePage({.title = "again", .slug = "terms"}));
  EXPECT_EQ(taken.error().details,
            (std::vector<core::FieldError>{{"slug", "The slug has already been taken."}}));
  auto titles = Wait(client_->ListPages({.keywords = "服務"}));
  ASSERT_EQ(titles->items.size(), 1u);
}

TEST_F(WncmsClientTest, StateSurvivesARestart) {
  auto stored = Wait(client_->StorePost({.title = "kept", .content = "c", .tags = "persisted"}));
  ASSERT_TRUE(stored.ok());
  server_->ApplySettings("wncms", {{"wncms_api_menu_index", false}});
  Json state = server_->State();
  server_->Reset();
  EXPECT_FALSE(Wait(client_->GetPost(std::to_string(stored->id))).ok());
  ASSERT_EQ(server_->LoadState(state), std::nullopt);
  auto back = Wait(client_->GetPost(std::to_string(stored->id)));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *stored);
  EXPECT_EQ(Wait(client_->ListMenus()).error().code, "403");
  auto next = Wait(client_->StorePost({.title = "next", .content = "c"}));
  EXPECT_EQ(next->id, stored->id + 1);
  // A broken state is refused whole.
  EXPECT_TRUE(server_->LoadState({{"wncms", {{"posts", {{{"title", "no id"}}}}}}}).has_value());
  EXPECT_TRUE(Wait(client_->GetPost(std::to_string(next->id))).ok());
}

TEST_F(WncmsClientTest, AnyBodyGetsADocumentedAnswer) {
  auto send = [&](const std::string& path, const std::string& body) {
    core::HttpRequest r;
    r.method = core::Method::kPost;
    r.url = "http://mock" + path;
    r.body = body;
    return server_->Process(r).response;
  };
  const std::string token = fix_["api_token"];
  // Not JSON: 400 in the envelope, before the token (which cannot be read from it).
  EXPECT_EQ(send("/api/v1/posts/index", "\x01\xff{garbage").status, 400);
  server_->ApplySettings("wncms", {{"wncms_api_posts_index_should_auth", "none"},
                                   {"wncms_api_posts_store_should_auth", "none"}});
  auto index = send("/api/v1/posts/index", "[1,2]");
  EXPECT_EQ(index.status, 400);
  EXPECT_EQ(ParseError(index).details[0].field, "body");
  EXPECT_EQ(send("/api/v1/posts/store", "not json").status, 400);
  EXPECT_EQ(send("/api/v1/posts/store", "[1,2]").status, 422);  // JSON, but no input in it
  EXPECT_EQ(send("/api/v1/posts/index", "").status, 200);       // no body: every default
  for (const std::string body :
       {R"({"page":"2"})", R"({"tags":"1"})", R"({"tags":[1,"x"]})", R"({"page":-1})",
        R"({"is_random":"yes"})", R"({"page":1e300})", R"({"keywords":5})"}) {
    EXPECT_EQ(send("/api/v1/posts/index", body).status, 400) << body;
  }
  EXPECT_EQ(send("/api/v1/posts/store", R"({"title":null,"content":[]})").status, 422);
  EXPECT_EQ(send("/api/v1/posts/%FF%00", "{}").status, 401);
  EXPECT_EQ(send("/api/v1/nothing", "{}").status, 404);
  auto wrong_method = [&] {
    core::HttpRequest r;
    r.method = core::Method::kGet;
    r.url = "http://mock/api/v1/posts/index";
    return server_->Process(r).response;
  }();
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(ParseError(wrong_method).code, "405");
  // The token never reaches the journal in clear.
  send("/api/v1/tags/exist", R"({"api_token":")" + token + R"(","tagIds":[1]})");
  EXPECT_EQ(server_->Journal(1)[0].request_body.find(token), std::string::npos);
}

// A transport that gives `canned` to every call.
std::shared_ptr<restbox::testing::ScriptedTransport> Canned(core::HttpResponse canned) {
  auto transport = std::make_shared<restbox::testing::ScriptedTransport>();
  transport->otherwise = std::move(canned);
  return transport;
}

// The short legacy 403 shape reaches typed callers as the same error as the envelope.
TEST(WncmsClient, ParsesTheLegacyDisabledShape) {
  for (int status : {403, 200}) {
    core::HttpResponse canned;
    canned.status = status;
    canned.body = R"({"status":403,"message":"API access is disabled"})";
    auto transport = Canned(canned);
    ClientOptions o;
    o.transport = transport;
    o.retry.max_attempts = 1;
    o.api_token = "secret-token-123456";
    Client client(o);
    auto r = Wait(client.ListPosts({.page = 2}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, core::ErrorKind::kForbidden);
    EXPECT_EQ(r.error().code, "403");
    EXPECT_EQ(r.error().message, "API access is disabled");
    ASSERT_EQ(transport->requests.size(), 1U);
    EXPECT_EQ(Json::parse(transport->requests[0].body),
              Json::parse(R"({"page":2,"api_token":"secret-token-123456"})"));
  }
}

// tags/exist: WNCMS answers {"ids":[…]}; the documents only say "the ids that exist", and a
// server answering the bare array is read the same.
TEST(WncmsClient, ExistingTagIdsReadsBothShapes) {
  for (const char* data : {R"({"ids":[1,5]})", "[1,5]"}) {
    core::HttpResponse canned;
    canned.status = 200;
    canned.body = std::string(R"({"code":200,"status":"success","message":"ok","data":)") + data +
                  R"(,"extra":{}})";
    ClientOptions o;
    o.transport = Canned(canned);
    o.retry.max_attempts = 1;
    o.api_token = "t";
    auto r = Wait(Client(o).ExistingTagIds({1, 5, 9}));
    ASSERT_TRUE(r.ok()) << data << ": " << r.error().Describe();
    EXPECT_EQ(*r, (std::vector<std::int64_t>{1, 5})) << data;
  }
}

}  // namespace
}  // namespace restbox::wncms
