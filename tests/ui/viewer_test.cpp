// The response viewer on the null host, and its two views on their own: the virtualised text view
// (row index, chunked long lines, search) and the lazily expanded JSON tree.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "console.hpp"
#include "demo_data.hpp"
#include "json_view.hpp"
#include "null_host.hpp"
#include "panels/response_viewer.hpp"
#include "text_view.hpp"

namespace restbox::console {
namespace {

ResponseViewerPanel& Viewer(Console& console) {
  for (Panel* p : console.panels()) {
    if (auto* viewer = dynamic_cast<ResponseViewerPanel*>(p)) return *viewer;
  }
  throw std::logic_error("no response viewer");
}

// Drafts chikage's GET of `record_id` (default: the fixture record).
void DraftChikageGet(Model& model, core::Json record_id = nullptr) {
  model.Select("chikage", "get");
  auto fixtures = model.mock()->Fixtures()["chikage"];
  model.draft.params = {
      {"slug", fixtures["slug"]},
      {"record_id", record_id.is_null() ? fixtures["test_record_id"] : record_id}};
}

// Sends the chikage fixture record's GET and draws until it is answered.
std::uint64_t SendChikageGet(NullHost& host, Console& console) {
  Model& model = console.model();
  DraftChikageGet(model);
  const auto id = model.Send(model.draft);
  for (int i = 0; i < 500 && !model.FindExchange(id)->done; ++i) host.Frame(console);
  host.Run(console, 2);
  return id;
}

TEST(ResponseViewer, CompletedExchangeShowsStatusAndAttemptsInHookState) {
  NullHost host;
  Console console;
  host.Run(console, 2);
  EXPECT_TRUE(console.hook().state()["response/status"].is_null());
  const auto id = SendChikageGet(host, console);
  const auto& state = console.hook().state();
  EXPECT_EQ(state["response/status"], 200);
  EXPECT_EQ(state["response/attempts"], 1);
  EXPECT_EQ(state["response/ok"], true);
  EXPECT_EQ(state["response/exchange"], id);
  EXPECT_TRUE(console.hook().widgets().contains("response/status"));
  // The success body is kept (Model stores the final body for successes too) and shown as a tree.
  ASSERT_NE(console.model().FindExchange(id)->body, nullptr);
  EXPECT_GT(Viewer(console).tree_view().row_count(), 1u);
}

TEST(ResponseViewer, TimelineShowsEveryAttemptOfARetry) {
  NullHost host;
  // The retry backoff waits on a manual clock (no sleeping, and no browser timers under node).
  auto clock = std::make_shared<core::ManualClock>();
  Model::Options options;
  options.clock = clock;
  options.scheduler = clock;
  Console console(options);
  Model& model = console.model();
  model.retry.initial_backoff = core::Duration(100);
  model.retry.jitter = 0;
  model.mock()->ForceStatus(503, {}, 2);
  DraftChikageGet(model);
  const auto id = model.Send(model.draft);
  host.Run(console, 2);
  // In flight between attempts: the timeline lists what the wire has seen so far.
  EXPECT_FALSE(model.FindExchange(id)->done);
  EXPECT_TRUE(console.hook().state()["response/status"].is_null());
  for (int i = 0; i < 20 && !model.FindExchange(id)->done; ++i) {
    clock->Advance(core::Duration(100));
    host.Frame(console);
  }
  ASSERT_TRUE(model.FindExchange(id)->done);
  host.Run(console, 1);
  EXPECT_EQ(console.hook().state()["response/status"], 200);
  EXPECT_EQ(console.hook().state()["response/attempts"], 3);
  ASSERT_TRUE(host.Click(console, "response/tab/timeline"));
  host.Run(console, 2);
  EXPECT_TRUE(console.hook().widgets().contains("response/timeline"));
  EXPECT_EQ(console.hook().state()["response/timeline/rows"], 3);
}

TEST(ResponseViewer, ErrorTabShowsTheTypedSdkError) {
  NullHost host;
  Console console;
  Model& model = console.model();
  DraftChikageGet(model, "rec_does_not_exist");
  model.Send(model.draft);
  host.Run(console, 3);
  EXPECT_EQ(console.hook().state()["response/status"], 404);
  EXPECT_EQ(console.hook().state()["response/ok"], false);
  ASSERT_TRUE(host.Click(console, "response/tab/error"));
  host.Run(console, 1);
  EXPECT_EQ(console.hook().state()["response/error/kind"], "not_found");
}

TEST(ResponseViewer, RequestTabMasksCredentialsUnlessRevealed) {
  NullHost host;
  Console console;
  SendChikageGet(host, console);
  const std::string key = console.model().mock()->Fixtures()["chikage"]["test_key"];
  ASSERT_TRUE(host.Click(console, "response/tab/request"));
  host.Run(console, 1);
  std::string headers = console.hook().state()["response/request/headers"];
  EXPECT_EQ(headers.find(key), std::string::npos) << headers;
  EXPECT_NE(headers.find("Authorization: Bearer"), std::string::npos) << headers;
  console.model().reveal_secrets = true;
  host.Run(console, 1);
  headers = console.hook().state()["response/request/headers"];
  EXPECT_NE(headers.find(key), std::string::npos) << headers;
}

TEST(ResponseViewer, TenMegabyteResponseStaysVirtualised) {
  NullHost host;
  Console console;
  Model& model = console.model();
  auto draft = PrepareLargeResponse(*model.mock());
  ASSERT_TRUE(draft.ok()) << draft.error().Describe();
  const auto id = model.Send(*draft);
  for (int i = 0; i < 100 && !model.FindExchange(id)->done; ++i) host.Frame(console);
  const Exchange& e = *model.FindExchange(id);
  ASSERT_TRUE(e.done);
  ASSERT_EQ(e.status, 200) << e.outcome.dump().substr(0, 300);
  ASSERT_NE(e.body, nullptr);
  EXPECT_GT(e.body->size(), 9'500'000u);
  EXPECT_LT(e.body->size(), 11'000'000u);

  ResponseViewerPanel& viewer = Viewer(console);
  host.Run(console, 2);
  // Too large for a tree by default: the Body tab offers it on a button and shows the raw rows.
  EXPECT_EQ(viewer.tree_view().row_count(), 0u);
  EXPECT_TRUE(console.hook().widgets().contains("response/tree/build"));

  viewer.ShowTab(ResponseViewerPanel::Tab::kRaw);
  host.Run(console, 2);
  const auto& state = console.hook().state();
  // One JSON line of ~10 MB, cut into chunks: tens of thousands of rows, a screenful drawn.
  EXPECT_GT(state["response/raw/rows"].get<std::size_t>(), 30'000u);
  EXPECT_FALSE(viewer.raw_view().pretty_printed());
  EXPECT_GT(state["response/raw/drawn"].get<int>(), 0);
  EXPECT_LT(state["response/raw/drawn"].get<int>(), 120);

  // Scrolling keeps drawing and stays bounded.
  const Rect status = console.hook().widgets().at("response/status");
  host.MoveMouse(status.x + 40, status.y + 120);
  EXPECT_EQ(viewer.raw_view().first_drawn_row(), 0u);
  for (int i = 0; i < 30; ++i) {
    host.Wheel(console, -20.0f);
    EXPECT_LT(state["response/raw/drawn"].get<int>(), 120);
  }
  EXPECT_GT(viewer.raw_view().first_drawn_row(), 100u);  // it did scroll
  // Search jumps to the last post's title, far into the body.
  ASSERT_TRUE(viewer.raw_view().Find(std::string(kLargeDemoKeyword) + " #1\""));
  EXPECT_GT(viewer.raw_view().match_offset(), 0u);
  host.Run(console, 2);
  EXPECT_GT(state["response/raw/drawn"].get<int>(), 0);

  // The tree on demand: the first level of the envelope.
  viewer.BuildTree();
  EXPECT_GT(viewer.tree_view().row_count(), 1u);
}

TEST(TextView, CutsOneLongLineIntoChunksOnCharacterBoundaries) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "ab測試c";  // 1+1+3+3+1 bytes, no newline
  TextView::Options options;
  options.chunk_bytes = 64;
  TextView view(options);
  view.Set(std::make_shared<const std::string>(text), false);
  ASSERT_GT(view.row_count(), text.size() / 64);
  std::string joined;
  for (std::size_t r = 0; r < view.row_count(); ++r) {
    const std::string_view row = view.Row(r);
    EXPECT_LE(row.size(), 64u);
    ASSERT_FALSE(row.empty());
    EXPECT_NE(static_cast<unsigned char>(row.front()) & 0xC0, 0x80)
        << "row " << r << " starts mid-character";
    joined += row;
  }
  EXPECT_EQ(joined, text);
}

TEST(TextView, SplitsLinesAndPrettyPrintsOnlySmallJson) {
  TextView view;
  view.Set(std::make_shared<const std::string>("one\r\ntwo\n\nfour\n"), true);
  ASSERT_EQ(view.row_count(), 4u);
  EXPECT_EQ(view.Row(0), "one");
  EXPECT_EQ(view.Row(1), "two");
  EXPECT_EQ(view.Row(2), "");
  EXPECT_EQ(view.Row(3), "four");

  view.Set(std::make_shared<const std::string>(R"({"a":[1,2],"b":"x"})"), true);
  EXPECT_TRUE(view.pretty_printed());
  EXPECT_EQ(view.Row(0), "{");
  EXPECT_EQ(view.Row(1), "  \"a\": [");

  TextView::Options small;
  small.pretty_limit = 8;
  TextView limited(small);
  limited.Set(std::make_shared<const std::string>(R"({"a":[1,2],"b":"x"})"), true);
  EXPECT_FALSE(limited.pretty_printed());
  EXPECT_EQ(limited.row_count(), 1u);
}

TEST(TextView, FindsNextAndPreviousWithWrapAround) {
  TextView view;
  view.Set(std::make_shared<const std::string>("x needle\ny\nneedle z needle\n"), false);
  ASSERT_TRUE(view.Find("needle"));
  EXPECT_EQ(view.match_offset(), 2u);
  EXPECT_EQ(view.match_count(), 3u);
  EXPECT_EQ(view.match_index(), 1u);
  ASSERT_TRUE(view.Find("needle"));
  EXPECT_EQ(view.match_index(), 2u);
  EXPECT_EQ(view.row_of(view.match_offset()), 2u);
  ASSERT_TRUE(view.Find("needle"));
  ASSERT_TRUE(view.Find("needle"));  // wraps to the first
  EXPECT_EQ(view.match_index(), 1u);
  ASSERT_TRUE(view.Find("needle", false));  // back wraps to the last
  EXPECT_EQ(view.match_index(), 3u);
  EXPECT_FALSE(view.Find("absent"));
  EXPECT_EQ(view.match_index(), 0u);
}

TEST(JsonTreeView, ExpandsLazilyAndCollapses) {
  core::Json doc = {{"items", core::Json::array()}, {"name", "demo"}};
  for (int i = 0; i < 1000; ++i) doc["items"].push_back({{"id", i}, {"tags", {"a", "b"}}});
  JsonTreeView tree;
  tree.Set(std::make_shared<const core::Json>(doc));
  ASSERT_EQ(tree.row_count(), 3u);  // the root, open, and its two members
  EXPECT_EQ(tree.Label(1), "items: [1000]");
  EXPECT_EQ(tree.Label(2), "name: \"demo\"");
  EXPECT_FALSE(tree.Toggle(2));  // a scalar
  ASSERT_TRUE(tree.Toggle(1));
  EXPECT_EQ(tree.row_count(), 1003u);
  EXPECT_EQ(tree.Label(2), "[0] {2}");
  ASSERT_TRUE(tree.Toggle(2));
  EXPECT_EQ(tree.row_count(), 1005u);
  ASSERT_TRUE(tree.Toggle(1));  // closing a parent drops its open descendants' rows
  EXPECT_EQ(tree.row_count(), 3u);
  tree.ExpandTo(2);
  EXPECT_EQ(tree.row_count(), 1003u);
  tree.CollapseAll();
  EXPECT_EQ(tree.row_count(), 3u);
}

TEST(JsonTreeView, PreviewsLongStringsOnOneLine) {
  const std::string long_text(1000, 'x');
  const std::string preview = JsonTreeView::Preview(core::Json(long_text + "\n"));
  EXPECT_LT(preview.size(), 200u);
  EXPECT_NE(preview.find("(1001 bytes)"), std::string::npos) << preview;
  EXPECT_EQ(JsonTreeView::Preview(core::Json("a\nb")), "\"a\\nb\"");
  EXPECT_EQ(JsonTreeView::Preview(core::Json(nullptr)), "null");
  EXPECT_EQ(JsonTreeView::Preview(core::Json::object()), "{0}");
}

}  // namespace
}  // namespace restbox::console
