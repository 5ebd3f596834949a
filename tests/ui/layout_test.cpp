// The console fits the screen: at 1024x700, 1280x800 and 1920x1080 no widget the test hook knows
// is cut by its region (a button past the edge, a label losing its end) in any tab, unless the
// region scrolls sideways; the splitters move the columns.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "console.hpp"
#include "null_host.hpp"

namespace restbox::console {
namespace {

struct Size {
  float width, height;
};
void PrintTo(const Size& s, std::ostream* os) {
  *os << s.width << "x" << s.height;
}

class Layout : public ::testing::TestWithParam<Size> {};

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "  " + l + "\n";
  return out;
}

TEST_P(Layout, NoWidgetIsCutInAnyTab) {
  const Size size = GetParam();
  NullHost host(size.width, size.height);
  Console console;
  Model& model = console.model();
  model.Select("chikage", "get");
  model.Send(model.draft);
  host.Run(console, 3);
  // A forced status shows the badge beside Send.
  ASSERT_TRUE(host.Click(console, "explorer/chikage/get/429"));
  host.Run(console, 2);
  ASSERT_TRUE(console.hook().widgets().contains("editor/forced"));

  for (auto tab : {Console::Tab::kHistory, Console::Tab::kEnvironments, Console::Tab::kMock,
                   Console::Tab::kContract}) {
    console.ShowTab(tab);
    host.Run(console, 4);
    if (tab == Console::Tab::kMock) {
      // Every section open, one after the other (a click toggles a closed one open).
      for (const char* section :
           {"mock/section/snapshots", "mock/section/webhooks", "mock/section/journal",
            "mock/section/state", "mock/section/settings"}) {
        if (host.Click(console, section)) host.Run(console, 3);
      }
      host.Run(console, 30);  // the admin answers (in-process) and the refresh
      for (const char* id : {"mock/reset", "mock/clock/advance", "mock/target"}) {
        EXPECT_TRUE(console.hook().widgets().contains(id))
            << id << " not drawn at " << size.width << "x" << size.height;
      }
    }
    const std::string where = std::to_string(static_cast<int>(size.width)) + "x" +
                              std::to_string(static_cast<int>(size.height)) + ", tab " +
                              console.hook().state().value("tabs/active", std::string("?"));
    const auto clipped = console.hook().Clipped();
    EXPECT_TRUE(clipped.empty()) << where << ":\n" << Join(clipped);
    // Every glyph of the frame, whichever widget drew it (a label inside a scrolling child, a combo
    // preview, a table cell, a button narrower than its text).
    std::vector<std::string> cut;
    for (const CutText& c : host.ProbeText(console)) cut.push_back(c.ToString());
    EXPECT_TRUE(cut.empty()) << where << ", text cut:\n" << Join(cut);
  }
}

// Every endpoint of every API, sent once, with each tab of the editor and of the response open:
// field names, hints, enum previews, answers and headers all fit (or wrap, or end in "..." with a
// tooltip) at every size.
TEST_P(Layout, NoTextIsCutForAnyEndpointInAnyEditorOrResponseTab) {
  const Size size = GetParam();
  NullHost host(size.width, size.height);
  Console console;
  Model& model = console.model();
  std::vector<std::pair<std::string, std::string>> endpoints;
  for (const ServiceView& service : model.services()) {
    for (const auto& endpoint : service.spec().endpoints)
      endpoints.emplace_back(service.id, endpoint.id);
  }
  ASSERT_EQ(endpoints.size(), 33u);
  std::vector<std::string> cut;
  const auto probe = [&](const std::string& where) {
    for (const CutText& c : host.ProbeText(console)) cut.push_back(where + ": " + c.ToString());
  };
  for (const auto& [service, endpoint] : endpoints) {
    model.Select(service, endpoint);
    model.Send(model.draft);
    host.Run(console, 4);
    const std::string at = service + "/" + endpoint;
    for (const char* tab :
         {"editor/tab/form", "editor/raw", "editor/tab/headers", "editor/tab/options"}) {
      ASSERT_TRUE(host.Click(console, tab)) << tab << " for " << at;
      host.Run(console, 2);
      probe(at + " " + tab);
    }
    ASSERT_TRUE(host.Click(console, "editor/tab/form"));
    for (const char* tab :
         {"response/tab/body", "response/tab/raw", "response/tab/headers", "response/tab/timeline",
          "response/tab/error", "response/tab/request"}) {
      if (!host.Click(console, tab)) continue;  // Error shows only for errors
      host.Run(console, 2);
      probe(at + " " + tab);
    }
  }
  EXPECT_TRUE(cut.empty()) << size.width << "x" << size.height << ", " << cut.size()
                           << " texts cut:\n"
                           << Join(cut);
}

INSTANTIATE_TEST_SUITE_P(ThreeScreens, Layout,
                         ::testing::Values(Size{1024, 700}, Size{1280, 800}, Size{1920, 1080}),
                         [](const ::testing::TestParamInfo<Size>& param) {
                           return std::to_string(static_cast<int>(param.param.width)) + "x" +
                                  std::to_string(static_cast<int>(param.param.height));
                         });

TEST(Layout, TheRightColumnGrowsWithTheWindowAndItsSplitterMovesIt) {
  float widths[2] = {0, 0};
  int i = 0;
  for (float width : {1024.0f, 1920.0f}) {
    NullHost host(width, 800);
    Console console;
    host.Run(console, 2);
    const auto& w = console.hook().widgets();
    ASSERT_TRUE(w.contains("layout/split_right"));
    widths[i++] = width - w.at("layout/split_right").x;
  }
  EXPECT_GT(widths[1], widths[0] * 1.5f) << "the right column does not follow the window";
}

TEST(Layout, DraggingASplitterWidensTheExplorer) {
  NullHost host(1280, 800);
  Console console;
  host.Run(console, 2);
  const Rect before = console.hook().widgets().at("layout/split_left");
  host.MoveMouse(before.x + before.w / 2, before.y + before.h / 2);
  host.Drag(console, 120, 0);
  host.Run(console, 2);
  const Rect after = console.hook().widgets().at("layout/split_left");
  EXPECT_NEAR(after.x, before.x + 120, 2.0f);
}

TEST(Layout, TheResponsePaneSaysWhenItShowsAnotherEndpoint) {
  NullHost host(1280, 800);
  Console console;
  Model& model = console.model();
  model.Select("chikage", "get");
  model.Send(model.draft);
  host.Run(console, 3);
  EXPECT_FALSE(console.hook().widgets().contains("response/other_endpoint"));
  ASSERT_TRUE(host.Click(console, "explorer/chikage/create"));
  host.Run(console, 2);
  EXPECT_TRUE(console.hook().widgets().contains("response/other_endpoint"));
}

TEST(Layout, ForcedBadgeRemovesThePreferHeader) {
  NullHost host(1280, 800);
  Console console;
  host.Run(console, 2);
  ASSERT_TRUE(host.Click(console, "explorer/chikage/get/429"));
  host.Run(console, 2);
  EXPECT_EQ(console.hook().state().value("editor/forced", std::string()), "429");
  ASSERT_TRUE(host.Click(console, "editor/forced"));
  host.Run(console, 2);
  EXPECT_FALSE(console.model().draft.extra_headers.Has("Prefer"));
  EXPECT_FALSE(console.hook().widgets().contains("editor/forced"));
}

TEST(Layout, TheMockTabFollowsTheRequestsTarget) {
  NullHost host(1280, 800);
  Console console;
  console.ShowTab(Console::Tab::kMock);
  host.Run(console, 3);
  console.model().draft.environment = 1;  // the Local HTTP mock
  host.Run(console, 3);
  EXPECT_EQ(console.hook().state().value("mock/target", std::string()),
            console.model().environments[1].name);
}

}  // namespace
}  // namespace restbox::console
