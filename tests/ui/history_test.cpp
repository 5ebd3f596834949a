// The History tab on the null host: rows select the exchange the viewer shows, re-send repeats
// the draft, the filter narrows the list, and exports (cURL/C++/JS, HAR to a file) are masked
// unless secrets are revealed.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "console.hpp"
#include "null_host.hpp"
#include "panels/history.hpp"

namespace restbox::console {
namespace {

HistoryPanel& History(Console& console) {
  for (Panel* p : console.panels()) {
    if (auto* history = dynamic_cast<HistoryPanel*>(p)) return *history;
  }
  throw std::logic_error("no history panel");
}

std::uint64_t Send(NullHost& host, Console& console, const std::string& record_id) {
  Model& model = console.model();
  model.Select("chikage", "get");
  auto fixtures = model.mock()->Fixtures()["chikage"];
  model.draft.params = {{"slug", fixtures["slug"]}, {"record_id", record_id}};
  const auto id = model.Send(model.draft);
  host.Run(console, 3);
  return id;
}

struct Fixture {
  NullHost host;
  Console console;
  std::string key;
  std::uint64_t found = 0;
  std::uint64_t missing = 0;
  Fixture() {
    console.ShowTab(Console::Tab::kHistory);
    key = console.model().mock()->Fixtures()["chikage"]["test_key"];
    found = Send(host, console, console.model().mock()->Fixtures()["chikage"]["test_record_id"]);
    missing = Send(host, console, "rec_missing");
  }
};

TEST(History, RowSelectsTheExchangeAndResendRepeatsIt) {
  Fixture f;
  Model& model = f.console.model();
  ASSERT_EQ(model.history().size(), 2u);
  EXPECT_EQ(f.console.hook().state()["history/count"], 2);
  EXPECT_EQ(model.selected_exchange, f.missing);  // the newest is shown

  // Row 1 is the older exchange (newest first).
  ASSERT_TRUE(f.host.Click(f.console, "history/row/1"));
  EXPECT_EQ(model.selected_exchange, f.found);
  f.host.Run(f.console, 1);  // the viewer (drawn before the tabs) shows it on the next frame
  EXPECT_EQ(f.console.hook().state()["response/status"], 200);

  ASSERT_TRUE(f.host.Click(f.console, "history/resend"));
  f.host.Run(f.console, 3);
  ASSERT_EQ(model.history().size(), 3u);
  const Exchange& again = model.history().front();
  EXPECT_NE(again.id, f.found);
  EXPECT_EQ(model.selected_exchange, again.id);
  EXPECT_EQ(again.draft.params, model.FindExchange(f.found)->draft.params);
  EXPECT_TRUE(again.done);
  EXPECT_EQ(again.status, 200);
}

TEST(History, FilterNarrowsTheList) {
  Fixture f;
  ASSERT_TRUE(f.host.Click(f.console, "history/filter"));
  f.host.Type(f.console, "  404");
  f.host.Run(f.console, 1);
  EXPECT_EQ(f.console.hook().state()["history/shown"], 1);
  EXPECT_TRUE(f.console.hook().widgets().contains("history/row/0"));
  EXPECT_FALSE(f.console.hook().widgets().contains("history/row/1"));
}

TEST(History, ExportsAreMaskedUnlessRevealed) {
  Fixture f;
  for (const char* kind : {"curl", "cpp", "js"}) {
    f.console.model().reveal_secrets = false;
    ASSERT_TRUE(f.host.Click(f.console, std::string("history/export/") + kind)) << kind;
    f.host.Run(f.console, 1);
    const auto& state = f.console.hook().state();
    EXPECT_EQ(state["history/export/kind"], kind);
    std::string text = state["history/export/text"];
    EXPECT_FALSE(text.empty()) << kind;
    EXPECT_EQ(text, History(f.console).export_text());
    // The credential is read from a variable; only the commented line that sets it shows the
    // demo value (the mock publishes it at /__restbox/fixtures).
    EXPECT_NE(text.find("RESTBOX_"), std::string::npos) << kind << ":\n" << text;
    std::string code;
    for (std::size_t at = 0; at < text.size();) {
      std::size_t end = text.find('\n', at);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(at, end - at);
      if (line.find("export RESTBOX_") == std::string::npos) code += line + "\n";
      at = end + 1;
    }
    EXPECT_EQ(code.find(f.key), std::string::npos) << kind << ":\n" << text;
    EXPECT_TRUE(f.console.hook().widgets().contains("history/export/copy"));

    f.console.model().reveal_secrets = true;
    f.host.Run(f.console, 1);
    text = state["history/export/text"].get<std::string>();
    EXPECT_NE(text.find(f.key), std::string::npos) << kind << ":\n" << text;
  }
}

TEST(History, HarIsWrittenToAFileMasked) {
  Fixture f;
#ifdef __EMSCRIPTEN__
  // In the browser the HAR is a download (nothing to read back under node): the entries counted.
  ASSERT_TRUE(f.host.Click(f.console, "history/export/har"));
  EXPECT_EQ(f.console.hook().state()["history/har/entries"], 2);
  EXPECT_TRUE(f.console.hook().state()["history/har/path"].get<std::string>().ends_with(".har"));
  return;
#endif
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("restbox-har-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
       std::to_string(f.found));
  std::filesystem::create_directories(dir);
  History(f.console).set_export_directory(dir.string());
  ASSERT_TRUE(f.host.Click(f.console, "history/export/har"));
  const std::string path = f.console.hook().state()["history/har/path"];
  ASSERT_FALSE(path.empty()) << History(f.console).har_error();
  EXPECT_EQ(History(f.console).har_path(), path);
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto har = core::ParseJson(text);
  ASSERT_TRUE(har.ok());
  EXPECT_EQ((*har)["log"]["version"], "1.2");
  EXPECT_EQ((*har)["log"]["entries"].size(), 2u);
  EXPECT_EQ(text.find(f.key), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace restbox::console
