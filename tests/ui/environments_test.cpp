// Environments: the settings store round-trips environments through a file and reports a corrupt
// one without applying it; the panel only writes when "Remember" is on, loads the stored copy at
// start, deletes it when turned off, and never exposes a secret in the test state.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "console.hpp"
#include "null_host.hpp"
#include "panels/environments.hpp"
#include "settings_store.hpp"
#include "temp_path.hpp"

namespace restbox::console {
namespace {

namespace fs = std::filesystem;

// A fresh path under the system's temp folder, removed (with its folder) at the end of the test.
class TempConfig final {
 public:
  explicit TempConfig(const std::string& name)
      : dir_(restbox::testing::UniqueTempPath("restbox-console-test-" + name)) {
    fs::remove_all(dir_);
  }
  ~TempConfig() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path() const { return (dir_ / "nested" / "console.json").string(); }
  void Write(const std::string& text) const {
    fs::create_directories(dir_ / "nested");
    std::FILE* f = std::fopen(path().c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }

 private:
  fs::path dir_;
};

// Points the console's default store at `path` for the life of the object.
class ConfigEnv final {
 public:
  explicit ConfigEnv(const std::string& path) {
    ::setenv("RESTBOX_CONSOLE_CONFIG", path.c_str(), 1);
  }
  ~ConfigEnv() { ::unsetenv("RESTBOX_CONSOLE_CONFIG"); }
};

EnvironmentsPanel& Panel(Console& console) {
  for (auto* panel : console.panels()) {
    if (auto* p = dynamic_cast<EnvironmentsPanel*>(panel)) return *p;
  }
  throw std::logic_error("no environments panel");
}

Settings Sample() {
  Environment staging{"Staging", TargetKind::kLive, "https://staging.example", {}, {}};
  staging.service_base_url["chikage"] = "https://chikage.staging.example";
  staging.credentials["chikage"] = {"tm_live_key", ""};
  staging.credentials["inventory"] = {"key-1", "secret-1"};
  Environment mock{"Mock", TargetKind::kHttpMock, "http://127.0.0.1:9000", {}, {}};
  return Settings{{mock, staging}, 1};
}

TEST(SettingsStore, RoundTripsEnvironmentsThroughAFile) {
  TempConfig temp("roundtrip");
  SettingsStore store(temp.path());
  EXPECT_FALSE(store.Load().found);
  ASSERT_EQ(store.Save(Sample()), "");
  EXPECT_EQ(fs::status(temp.path()).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);

  SettingsStore::Loaded loaded = store.Load();
  ASSERT_TRUE(loaded.found);
  ASSERT_TRUE(loaded.settings) << loaded.error;
  const Settings& s = *loaded.settings;
  ASSERT_EQ(s.environments.size(), 2u);
  EXPECT_EQ(s.active_environment, 1u);
  EXPECT_EQ(s.environments[0].name, "Mock");
  EXPECT_EQ(s.environments[0].target, TargetKind::kHttpMock);
  EXPECT_EQ(s.environments[0].base_url, "http://127.0.0.1:9000");
  const Environment& staging = s.environments[1];
  EXPECT_EQ(staging.target, TargetKind::kLive);
  EXPECT_EQ(staging.service_base_url.at("chikage"), "https://chikage.staging.example");
  EXPECT_EQ(staging.credentials.at("chikage").key, "tm_live_key");
  EXPECT_EQ(staging.credentials.at("inventory").secret, "secret-1");

  ASSERT_EQ(store.Remove(), "");
  EXPECT_FALSE(fs::exists(temp.path()));
  EXPECT_EQ(store.Remove(), "");  // nothing stored is fine
}

TEST(SettingsStore, CorruptOrMisshapenFilesAreReportedNotApplied) {
  TempConfig temp("corrupt");
  SettingsStore store(temp.path());
  temp.Write("{\"version\": 1, \"environments\": [");
  SettingsStore::Loaded loaded = store.Load();
  EXPECT_TRUE(loaded.found);
  EXPECT_FALSE(loaded.settings);
  EXPECT_NE(loaded.error.find(temp.path()), std::string::npos) << loaded.error;
  EXPECT_NE(loaded.error.find("invalid JSON"), std::string::npos) << loaded.error;

  temp.Write(R"({"version": 1, "environments": [{"name": "a"}, {"name": "b", "target": "moon"}]})");
  loaded = store.Load();
  EXPECT_FALSE(loaded.settings);
  EXPECT_NE(loaded.error.find("environments[1].target"), std::string::npos) << loaded.error;

  temp.Write(
      R"({"version": 1, "environments": [{"name": "a", "credentials": {"chikage": {"key": 5}}}]})");
  loaded = store.Load();
  EXPECT_FALSE(loaded.settings);
  EXPECT_NE(loaded.error.find("environments[0].credentials.chikage.key"), std::string::npos)
      << loaded.error;

  temp.Write(R"({"version": 7, "environments": []})");
  EXPECT_NE(store.Load().error.find("version"), std::string::npos);
}

TEST(EnvironmentsPanel, CorruptStoredCopyKeepsTheDefaultsAndSaysWhy) {
  TempConfig temp("panel-corrupt");
  temp.Write("not json at all");
  ConfigEnv env(temp.path());
  NullHost host;
  Console console;
  EXPECT_EQ(console.model().environments.size(), 3u);  // the built-in ones
  EXPECT_FALSE(Panel(console).remembering());
  EXPECT_TRUE(Panel(console).message_is_error());
  EXPECT_NE(Panel(console).message().find(temp.path()), std::string::npos);
  console.ShowTab(Console::Tab::kEnvironments);
  host.Run(console, 3);  // draws with the message, no crash
}

TEST(EnvironmentsPanel, RememberWritesOnlyWhenOnAndLoadsAtStart) {
  TempConfig temp("panel-remember");
  ConfigEnv env(temp.path());
  std::string key;
  {
    NullHost host;
    Console console;
    console.ShowTab(Console::Tab::kEnvironments);
    host.Run(console, 3);
    EXPECT_FALSE(Panel(console).remembering());
    // An edit with "Remember" off writes nothing.
    ASSERT_TRUE(host.Click(console, "environments/add"));
    host.Run(console, 2);
    EXPECT_FALSE(fs::exists(temp.path()));

    ASSERT_TRUE(host.Click(console, "environments/remember"));
    EXPECT_TRUE(Panel(console).remembering());
    ASSERT_TRUE(fs::exists(temp.path()));

    // Type into the first environment's chikage key, then leave the input: saved.
    ASSERT_TRUE(host.Click(console, "environments/row/0"));
    ASSERT_TRUE(host.Click(console, "environments/chikage"));
    ASSERT_TRUE(host.Click(console, "environments/chikage/key"));
    host.Type(console, "XYZ");
    ASSERT_TRUE(host.Click(console, "environments/row/0"));
    key = console.model().environments[0].credentials["chikage"].key;
    EXPECT_NE(key.find("XYZ"), std::string::npos);
    // The secret never reaches the test state (which the browser page exposes).
    EXPECT_EQ(core::DumpJson(console.TestState()).find(key), std::string::npos);
  }
  {
    NullHost host;
    Console console;
    EXPECT_TRUE(Panel(console).remembering());
    ASSERT_EQ(console.model().environments.size(), 4u);
    EXPECT_EQ(console.model().environments[0].credentials["chikage"].key, key);

    console.ShowTab(Console::Tab::kEnvironments);
    host.Run(console, 3);
    ASSERT_TRUE(host.Click(console, "environments/remember"));  // off: the stored copy goes
    EXPECT_FALSE(Panel(console).remembering());
    EXPECT_FALSE(fs::exists(temp.path())) << Panel(console).message();
  }
}

TEST(EnvironmentsPanel, DeletingTheRequestsEnvironmentFallsBackToTheFirst) {
  TempConfig temp("panel-delete");
  ConfigEnv env(temp.path());
  NullHost host;
  Console console;
  console.ShowTab(Console::Tab::kEnvironments);
  host.Run(console, 3);
  ASSERT_TRUE(host.Click(console, "environments/row/2"));
  ASSERT_TRUE(host.Click(console, "environments/use"));
  EXPECT_EQ(console.model().draft.environment, 2u);
  ASSERT_TRUE(host.Click(console, "environments/delete"));
  EXPECT_EQ(console.model().environments.size(), 2u);
  EXPECT_EQ(console.model().draft.environment, 0u);
}

TEST(EnvironmentsPanel, DeletingAnEnvironmentKeepsHistoryPointingAtTheSameOnes) {
  TempConfig temp("model-delete");
  ConfigEnv env(temp.path());
  Console console;
  Model& model = console.model();
  model.Select("chikage", "get");
  // Tests send only to loopback or to names that cannot resolve: never to the real API.
  model.environments[2].base_url = "http://live.invalid";
  model.draft.environment = 2;  // Live
  model.Send(model.draft);
  model.draft.environment = 1;  // Local HTTP mock
  model.Send(model.draft);
  const std::string live = model.environments[2].name;
  model.DeleteEnvironment(1);
  ASSERT_EQ(model.environments.size(), 2u);
  // Newest first: the entry that used the deleted one falls back to the first environment; the
  // one that used "Live" still re-sends to "Live" (now at index 1).
  EXPECT_EQ(model.history()[0].draft.environment, 0u);
  EXPECT_EQ(model.environments[model.history()[1].draft.environment].name, live);
  EXPECT_EQ(model.draft.environment, 0u);
  model.DeleteEnvironment(0);
  model.DeleteEnvironment(0);  // the last one stays
  EXPECT_EQ(model.environments.size(), 1u);
}

}  // namespace
}  // namespace restbox::console
