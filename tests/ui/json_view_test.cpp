// The console's one JSON tree on its own (filter, mask, open nodes kept across new documents) and
// as the Mock tab's state browser, refreshed from the mock every half second.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "console.hpp"
#include "imgui.h"
#include "json_view.hpp"
#include "null_host.hpp"
#include "panels/mock_control.hpp"

namespace restbox::console {
namespace {

std::shared_ptr<const core::Json> Doc(core::Json json) {
  return std::make_shared<const core::Json>(std::move(json));
}

// The listed rows as paths, top to bottom.
std::vector<std::string> Paths(const JsonTreeView& tree) {
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < tree.row_count(); ++i) paths.push_back(tree.Path(i));
  return paths;
}

std::size_t RowOf(const JsonTreeView& tree, const std::string& path) {
  for (std::size_t i = 0; i < tree.row_count(); ++i) {
    if (tree.Path(i) == path) return i;
  }
  throw std::logic_error("no row " + path);
}

core::Json People() {
  return {{"users",
           {{{"name", "Alice"}, {"email", "alice@example.com"}},
            {{"name", "Bob"}, {"email", "bob@example.com"}}}},
          {"config", {{"Region", "eu"}, {"limits", {{"max", 10}}}}},
          {"note", "nothing here"}};
}

using Rows = std::vector<std::string>;

TEST(JsonTreeFilter, ListsMatchesOfNamesAndValuesWithTheirAncestorsOpen) {
  JsonTreeView tree;
  tree.Set(Doc(People()));
  EXPECT_EQ(Paths(tree), (Rows{"", "/config", "/note", "/users"}));

  tree.SetFilter("ALICE");  // case-insensitive; both of Alice's values, Bob and the rest hidden
  EXPECT_EQ(tree.match_count(), 2u);
  EXPECT_EQ(Paths(tree), (Rows{"", "/users", "/users/0", "/users/0/email", "/users/0/name"}));
  EXPECT_TRUE(tree.IsOpen(RowOf(tree, "/users/0")));
  EXPECT_EQ(tree.Label(RowOf(tree, "/users/0/name")), "name: \"Alice\"");

  tree.SetFilter("region");  // a member name
  EXPECT_EQ(Paths(tree), (Rows{"", "/config", "/config/Region"}));

  tree.SetFilter("10");  // a number leaf
  EXPECT_EQ(Paths(tree), (Rows{"", "/config", "/config/limits", "/config/limits/max"}));

  // A container whose name matches is listed closed; opened, it lists all that is below it.
  tree.SetFilter("limit");
  EXPECT_EQ(tree.match_count(), 1u);
  EXPECT_EQ(Paths(tree), (Rows{"", "/config", "/config/limits"}));
  ASSERT_TRUE(tree.Toggle(RowOf(tree, "/config/limits")));
  EXPECT_EQ(Paths(tree), (Rows{"", "/config", "/config/limits", "/config/limits/max"}));

  tree.SetFilter("zzz");
  EXPECT_EQ(tree.match_count(), 0u);
  EXPECT_EQ(Paths(tree), (Rows{""}));
}

TEST(JsonTreeFilter, RebuildsOnlyWhenTheTextChangesAndClearingBringsBackTheOpenNodes) {
  JsonTreeView tree;
  tree.Set(Doc(People()));
  ASSERT_TRUE(tree.Toggle(RowOf(tree, "/users")));
  const Rows before = Paths(tree);
  EXPECT_EQ(before, (Rows{"", "/config", "/note", "/users", "/users/0", "/users/1"}));

  tree.SetFilter("bob");
  ASSERT_TRUE(tree.Toggle(RowOf(tree, "/users/1")));  // the user closes the match
  const Rows closed = Paths(tree);
  EXPECT_EQ(closed, (Rows{"", "/users", "/users/1"}));
  tree.SetFilter("bob");  // as every frame: the same text keeps the rows (and the user's toggle)
  EXPECT_EQ(Paths(tree), closed);
  tree.SetFilter("bo");
  EXPECT_TRUE(tree.IsOpen(RowOf(tree, "/users/1")));

  tree.SetFilter("");
  EXPECT_EQ(tree.match_count(), 0u);
  EXPECT_EQ(Paths(tree), before);
}

TEST(JsonTreeMask, HidesSecretsInNamesAndValuesAndFromTheFilter) {
  const std::string secret = "s3cr3t";
  // The secret starts just before the preview's cut: masked after the cut, its start would show.
  const std::string long_value =
      std::string(JsonTreeView::kPreviewCodePoints - 3, 'x') + secret + "yyyy";
  const core::Json doc = {
      {"key." + secret + ".enabled", true}, {"token", "Bearer " + secret}, {"long", long_value}};
  auto mask = [&secret](std::string text) {
    for (std::size_t pos = 0; (pos = text.find(secret, pos)) != std::string::npos;)
      text.replace(pos, secret.size(), "****");
    return text;
  };

  JsonTreeView plain;
  plain.Set(Doc(doc));
  EXPECT_EQ(plain.Label(RowOf(plain, "/token")), "token: \"Bearer " + secret + "\"");

  JsonTreeView tree(mask);
  tree.Set(Doc(doc));
  ASSERT_EQ(tree.row_count(), 4u);
  for (std::size_t i = 0; i < tree.row_count(); ++i) {
    const std::string label = tree.Label(i);
    EXPECT_EQ(label.find("s3c"), std::string::npos) << label;
  }
  EXPECT_EQ(tree.Label(RowOf(tree, "/key.s3cr3t.enabled")), "key.****.enabled: true");
  EXPECT_EQ(tree.Label(RowOf(tree, "/token")), "token: \"Bearer ****\"");
  EXPECT_NE(tree.Label(RowOf(tree, "/long")).find("x***..."), std::string::npos)
      << tree.Label(RowOf(tree, "/long"));

  // The filter sees what is shown: the hidden text finds nothing, the mask's stars find all three.
  tree.SetFilter(secret);
  EXPECT_EQ(tree.match_count(), 0u);
  tree.SetFilter("****");
  EXPECT_EQ(tree.match_count(), 3u);
  tree.SetFilter("");

  tree.SetMask({});
  EXPECT_EQ(tree.Label(RowOf(tree, "/token")), "token: \"Bearer " + secret + "\"");
}

TEST(JsonTreeOpenState, KeepsOpenAndClosedNodesAcrossNewDocuments) {
  JsonTreeView tree;
  tree.Set(Doc({{"a", {{"b", {{"c", 1}}}, {"d", {1, 2}}}}, {"e", {{"f", 1}}}}));
  ASSERT_TRUE(tree.Toggle(RowOf(tree, "/a")));
  ASSERT_TRUE(tree.Toggle(RowOf(tree, "/a/b")));
  EXPECT_EQ(Paths(tree), (Rows{"", "/a", "/a/b", "/a/b/c", "/a/d", "/e"}));

  // New data: /a/b gained a member, /a/d shrank, /h is new (closed), and the open paths stay open.
  tree.Set(Doc(
      {{"a", {{"b", {{"c", 2}, {"g", 3}}}, {"d", {1}}}}, {"e", {{"f", 1}}}, {"h", {{"i", 1}}}}));
  EXPECT_EQ(Paths(tree), (Rows{"", "/a", "/a/b", "/a/b/c", "/a/b/g", "/a/d", "/e", "/h"}));
  EXPECT_EQ(tree.Label(RowOf(tree, "/a/b/c")), "c: 2");

  // A path that is gone is dropped; when it comes back it is closed.
  tree.Set(Doc({{"a", {{"d", {1}}}}, {"e", {{"f", 1}}}}));
  EXPECT_EQ(Paths(tree), (Rows{"", "/a", "/a/d", "/e"}));
  tree.Set(Doc({{"a", {{"b", {{"c", 1}}}, {"d", {1}}}}, {"e", {{"f", 1}}}}));
  EXPECT_EQ(Paths(tree), (Rows{"", "/a", "/a/b", "/a/d", "/e"}));

  // A closed root stays closed; nullptr forgets, and the next document opens its first level.
  ASSERT_TRUE(tree.Toggle(0));
  tree.Set(Doc({{"a", 1}}));
  EXPECT_EQ(Paths(tree), (Rows{""}));
  tree.Set(nullptr);
  EXPECT_TRUE(tree.empty());
  tree.Set(Doc({{"a", 1}}));
  EXPECT_EQ(Paths(tree), (Rows{"", "/a"}));
}

TEST(JsonTreeOpenState, NewMatchesOpenWhileTheUsersClosedMatchesStayClosed) {
  JsonTreeView tree;
  tree.SetFilter("ali");
  core::Json doc = People();
  tree.Set(Doc(doc));
  EXPECT_EQ(Paths(tree), (Rows{"", "/users", "/users/0", "/users/0/email", "/users/0/name"}));
  ASSERT_TRUE(tree.Toggle(RowOf(tree, "/users/0")));

  doc["users"].push_back({{"name", "Alicia"}});
  tree.Set(Doc(doc));
  EXPECT_EQ(Paths(tree), (Rows{"", "/users", "/users/0", "/users/2", "/users/2/name"}));
  EXPECT_FALSE(tree.IsOpen(RowOf(tree, "/users/0")));
}

TEST(JsonTreeView, PathsEscapeNamesLikeAJsonPointer) {
  JsonTreeView tree;
  tree.Set(Doc({{"a/b~c", {1}}}));
  ASSERT_TRUE(tree.Toggle(1));
  EXPECT_EQ(Paths(tree), (Rows{"", "/a~1b~0c", "/a~1b~0c/0"}));
}

// The Mock tab's state browser: the same tree, masked, filtered from its input, and refreshed.
TEST(MockStateBrowser, FiltersMasksAndKeepsTheOpenNodesAcrossRefreshes) {
  Console console;
  if (!console.model().mock()->FindService("chikage"))
    GTEST_SKIP() << "chikage is not part of this build";
  const core::Json fix = console.model().mock()->Fixtures()["chikage"];
  const std::string disabled_key = fix["disabled_key"];
  NullHost host(1600, 1400);
  console.ShowTab(Console::Tab::kMock);
  host.Run(console, 3);
  MockControlPanel* panel = nullptr;
  for (Panel* p : console.panels()) {
    if (auto* mock = dynamic_cast<MockControlPanel*>(p)) panel = mock;
  }
  ASSERT_NE(panel, nullptr);
  const auto refresh_frames = static_cast<int>(MockControlPanel::kRefreshSeconds * 60) + 4;

  ASSERT_TRUE(host.Click(console, "mock/section/state"));
  host.Run(console, refresh_frames);
  const JsonTreeView& tree = panel->state_tree();
  ASSERT_FALSE(tree.empty());
  EXPECT_NO_THROW(RowOf(tree, "/chikage"));

  // chikage's settings name the disabled key ("key.<key>.enabled"): listed, never shown.
  ASSERT_TRUE(host.Click(console, "mock/state/filter"));
  host.Type(console, "enabled");
  host.Run(console, 2);
  EXPECT_EQ(tree.filter(), "enabled");
  EXPECT_GT(console.hook().state()["mock/state/matches"].get<std::size_t>(), 0u);
  bool key_row = false;
  for (std::size_t i = 0; i < tree.row_count(); ++i) {
    const std::string label = tree.Label(i);
    EXPECT_EQ(label.find(disabled_key), std::string::npos) << label;
    key_row = key_row || label.rfind("key.", 0) == 0;
  }
  EXPECT_TRUE(key_row);
  EXPECT_ANY_THROW(RowOf(tree, "/__clock"));  // nothing of the clock matches

  // The user clicks chikage's settings closed; refreshes bring new documents and keep it closed.
  const std::size_t settings = RowOf(tree, "/chikage/settings");
  ASSERT_TRUE(tree.IsOpen(settings));
  const Rect box = console.hook().widgets().at("mock/state/tree");
  const float row_y = box.y + ImGui::GetFrameHeightWithSpacing() * static_cast<float>(settings);
  host.MoveMouse(box.x + box.w / 2, row_y + ImGui::GetFrameHeight() / 2);
  host.Frame(console);
  ImGui::GetIO().MouseDown[0] = true;
  host.Frame(console);
  ImGui::GetIO().MouseDown[0] = false;
  host.Run(console, 2);
  ASSERT_FALSE(tree.IsOpen(RowOf(tree, "/chikage/settings")));
  const Rows shown = Paths(tree);
  host.Run(console, 2 * refresh_frames);
  EXPECT_EQ(Paths(tree), shown);
  EXPECT_FALSE(tree.IsOpen(RowOf(tree, "/chikage/settings")));
}

}  // namespace
}  // namespace restbox::console
