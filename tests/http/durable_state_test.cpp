// restbox-mock --state FILE on SQLite (issue 11 item 2), through the real program: kill -9 at
// random points loses no acknowledged write and no pending webhook delivery; one process per
// file; corrupt, foreign, newer-schema and JSON files are refused and left untouched; an older
// schema is migrated; export/import and named snapshots round-trip over HTTP and restarts.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "restbox/core/json_codec.hpp"
#include "run_command.hpp"

extern char** environ;

namespace restbox {
namespace {

using core::Json;
using ::testing::HasSubstr;

std::string TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/restbox-durable-XXXXXX";
  if (!::mkdtemp(dir.data())) return {};
  return dir;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Json Body(const std::string& text) {
  auto parsed = core::ParseJson(text);
  return parsed.ok() ? parsed.value() : Json();
}

// Waits (bounded) until `predicate` holds; process supervision, not test timing.
template <typename Predicate>
bool Eventually(Predicate predicate, std::chrono::seconds bound = std::chrono::seconds(15)) {
  auto until = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < until) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return predicate();
}

// restbox-mock with its output in a file; `port()` is read from the banner (0: it never listened).
class Mock {
 public:
  explicit Mock(const std::string& dir, std::vector<std::string> args, bool wait_listening = true) {
    static int n = 0;
    out_path_ = dir + "/out" + std::to_string(++n) + ".txt";
    args.insert(args.begin(), {RESTBOX_MOCK_BINARY, "--port", "0", "--quiet"});
    std::string problem;
    pid_ =
        restbox::testing::Spawn(args, {.output_path = out_path_, .truncate_output = true}, problem);
    if (!wait_listening) return;
    Eventually([&] {
      std::string out = Output();
      std::size_t at = out.find("listening on http://127.0.0.1:");
      if (at != std::string::npos)
        port_ = std::atoi(out.c_str() + at + std::string("listening on http://127.0.0.1:").size());
      return port_ > 0 || Exited();
    });
  }
  ~Mock() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  std::string Output() const { return ReadFile(out_path_); }
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // The exit code once it exited by itself (bounded wait), or -1.
  int Wait() {
    Eventually([&] { return Exited(); }, std::chrono::seconds(20));
    return code_;
  }
  void Term() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
  }

 private:
  bool Exited() {
    if (pid_ <= 0) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    pid_ = -1;
    code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return true;
  }
  pid_t pid_ = -1;
  int port_ = 0;
  int code_ = -1;
  std::string out_path_;
};

httplib::Client Client(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(10, 0);
  return c;
}

constexpr const char* kTestKey = "tm_test_demo4d2f8a9c0b1e7f3a";  // chikage's fixture key

httplib::Headers Auth(const std::string& callback = {}) {
  httplib::Headers h{{"Authorization", std::string("Bearer ") + kTestKey}};
  if (!callback.empty()) h.emplace("X-Webhook-Callback", callback);
  return h;
}

// A loopback webhook receiver that answers 200 and remembers every (event, record id).
class Receiver {
 public:
  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      Json event = Body(req.body);
      std::lock_guard lock(mutex_);
      seen_.insert(event.value("event", std::string()) + " " + event.value("id", std::string()));
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  bool Seen(const std::string& what) {
    std::lock_guard lock(mutex_);
    return seen_.contains(what);
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::set<std::string> seen_;
};

TEST(DurableState, KillNineAtRandomPointsLosesNoAcknowledgedWrite) {
  const std::string dir = TempDir();
  const std::string db = dir + "/state.db";
  Receiver receiver;
  std::mt19937 rng(std::random_device{}());
  // id -> the order_id values that may be its current data: the last acknowledged one, plus one
  // sent but not answered (killed in flight: it may or may not have been committed).
  std::map<std::string, std::set<std::string>> expected;
  std::vector<std::string> hooked;  // creates acknowledged with a callback
  int acknowledged = 0;
  for (int round = 0; round < 4; ++round) {
    Mock mock(dir, {"--state", db});
    ASSERT_GT(mock.port(), 0) << mock.Output();
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      auto client = Client(mock.port());
      client.set_read_timeout(2, 0);
      for (int i = 0; !stop; ++i) {
        const std::string value = "R" + std::to_string(round) + "-" + std::to_string(i);
        const bool update = !expected.empty() && i % 3 == 2;
        if (update) {
          auto it = expected.begin();
          std::advance(it, static_cast<long>(static_cast<std::size_t>(i) % expected.size()));
          const std::string id = it->first;
          std::set<std::string> before = it->second;
          it->second.insert(value);  // in flight
          auto r = client.Put(("/api/v1/data/orders/" + id).c_str(), Auth(receiver.url()),
                              "{\"order_id\":\"" + value + "\"}", "application/json");
          if (!r) return;
          if (r->status == 202) {
            it->second = {value};
            ++acknowledged;
          } else {
            it->second = before;
          }
        } else {
          const bool hook = i % 2 == 0;
          auto r = client.Post("/api/v1/data/orders", Auth(hook ? receiver.url() : ""),
                               "{\"order_id\":\"" + value + "\"}", "application/json");
          if (!r) return;
          if (r->status != 202) continue;
          const std::string id = Body(r->body).value("id", std::string());
          expected[id] = {value};
          if (hook) hooked.push_back(id);
          ++acknowledged;
        }
      }
    });
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(150, 600)(rng)));
    mock.Kill();
    stop = true;
    writer.join();
  }
  ASSERT_GT(acknowledged, 20) << "too few writes to test anything";
  std::printf("%d writes acknowledged over 4 kills, %zu records, %zu with a webhook\n",
              acknowledged, expected.size(), hooked.size());

  Mock last(dir, {"--state", db});
  ASSERT_GT(last.port(), 0) << last.Output();
  auto client = Client(last.port());
  for (const auto& [id, values] : expected) {
    auto r = client.Get(("/api/v1/data/orders/" + id).c_str(), Auth());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << "acknowledged record " << id << " is gone";
    EXPECT_TRUE(values.contains(Body(r->body)["data"].value("order_id", std::string())))
        << id << ": " << r->body;
  }
  // Every delivery that was pending (or in flight) at a kill is delivered after the restart.
  for (const auto& id : hooked) {
    EXPECT_TRUE(Eventually([&] { return receiver.Seen("record.created " + id); }))
        << "no delivery for " << id;
  }
  last.Term();
  EXPECT_EQ(last.Wait(), 0);
}

// The other APIs that keep records (findhelper jobs, inventory templates, wncms posts: each a row
// of its own since their modules report their changes record by record): creates acknowledged
// before a kill -9 are all there after the restart, with what was sent.
TEST(DurableState, KillNineLosesNoAcknowledgedCreateOfAnyApi) {
  const std::string dir = TempDir();
  const std::string db = dir + "/state.db";
  struct Api {
    std::string name;
    httplib::Headers headers;
    // The create's path and body for `title`, the id in its answer, the path that reads it back.
    std::function<std::pair<std::string, std::string>(const std::string& title)> create;
    std::function<std::string(const Json& answer)> id;
    std::function<std::string(const std::string& id)> read;
    bool read_is_post = false;
  };
  const std::string wncms_token = R"("api_token":"wncms_demo_7f3a9c2e5b1d4f60a8e2c4b6")";
  const std::vector<Api> apis = {
      {"findhelper",
       {{"X-API-Key", "fh_key_demo_3f9a1c7e52b8"},
        {"X-API-Secret", "fh_secret_demo_8b2e6d4f1a9c7305"}},
       [](const std::string& title) {
         return std::make_pair(
             std::string("/api/jobs"),
             R"({"title":")" + title +
                 R"(","jobType":"general","city":"台北市","address":"x","estimatedAmount":1})");
       },
       [](const Json& a) { return std::to_string(a["data"].value("id", 0)); },
       [](const std::string& id) { return "/api/jobs/" + id; }},
      {"inventory",
       {{"Authorization", "Bearer inv_sVHDJD69MlVnw1ghKe19MzWFgCz40CyGpVoChpOaUOT"}},
       [](const std::string& title) {
         return std::make_pair(
             std::string("/apiV1/templates"),
             R"({"title":")" + title + R"(","imageUrl":"https://example.com/a.png"})");
       },
       [](const Json& a) { return a["data"].value("token", std::string()); },
       [](const std::string& id) { return "/apiV1/templates/" + id; }},
      {"wncms",
       {},
       [&](const std::string& title) {
         return std::make_pair(
             std::string("/api/v1/posts/store"),
             "{" + wncms_token + R"(,"title":")" + title + R"(","content":"<p>x</p>"})");
       },
       [](const Json& a) { return std::to_string(a["data"].value("id", 0)); },
       [](const std::string& id) { return "/api/v1/posts/" + id; },
       true},
  };
  std::mt19937 rng(std::random_device{}());
  std::vector<std::tuple<std::size_t, std::string, std::string>> acknowledged;  // api, id, title
  for (int round = 0; round < 3; ++round) {
    Mock mock(dir, {"--state", db, "--no-limits"});
    ASSERT_GT(mock.port(), 0) << mock.Output();
    // Several connections at once: the mock commits concurrent writes together (group commit),
    // and every one of them must be committed before its answer leaves.
    std::atomic<bool> stop{false};
    std::mutex acknowledged_mutex;
    std::vector<std::thread> writers;
    for (int w = 0; w < 6; ++w) {
      writers.emplace_back([&, w] {
        auto client = Client(mock.port());
        client.set_read_timeout(2, 0);
        for (int i = w; !stop; i += 6) {
          const std::size_t a = static_cast<std::size_t>(i) % apis.size();
          const std::string title = "R" + std::to_string(round) + "-" + std::to_string(i);
          auto [path, body] = apis[a].create(title);
          auto r = client.Post(path.c_str(), apis[a].headers, body, "application/json");
          if (!r) return;  // killed
          if (r->status / 100 != 2) continue;
          std::lock_guard lock(acknowledged_mutex);
          acknowledged.emplace_back(a, apis[a].id(Body(r->body)), title);
        }
      });
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(200, 600)(rng)));
    mock.Kill();
    stop = true;
    for (auto& t : writers) t.join();
  }
  for (std::size_t a = 0; a < apis.size(); ++a) {
    ASSERT_GT(std::count_if(acknowledged.begin(), acknowledged.end(),
                            [&](const auto& t) { return std::get<0>(t) == a; }),
              3)
        << "too few " << apis[a].name << " creates to test anything";
  }
  std::printf("%zu creates acknowledged over 3 kills\n", acknowledged.size());

  Mock last(dir, {"--state", db, "--no-limits"});
  ASSERT_GT(last.port(), 0) << last.Output();
  auto client = Client(last.port());
  for (const auto& [a, id, title] : acknowledged) {
    const Api& api = apis[a];
    auto r = api.read_is_post ? client.Post(api.read(id).c_str(), api.headers,
                                            "{" + wncms_token + "}", "application/json")
                              : client.Get(api.read(id).c_str(), api.headers);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << api.name << ": acknowledged " << id << " is gone: " << r->body;
    EXPECT_EQ(Body(r->body)["data"].value("title", std::string()), title) << api.name << " " << id;
  }
  last.Term();
  EXPECT_EQ(last.Wait(), 0);
}

TEST(DurableState, ASecondProcessOnTheSameFileIsRefused) {
  const std::string dir = TempDir();
  Mock first(dir, {"--state", dir + "/state.db"});
  ASSERT_GT(first.port(), 0) << first.Output();
  Mock second(dir, {"--state", dir + "/state.db"}, false);
  EXPECT_EQ(second.Wait(), 1);
  EXPECT_THAT(second.Output(), HasSubstr("is in use by another process"));
  // The first one goes on unharmed.
  auto client = Client(first.port());
  auto r =
      client.Post("/api/v1/data/orders", Auth(), R"({"order_id":"STILL-OK"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202);
}

TEST(DurableState, CorruptForeignAndJsonFilesAreRefusedAndLeftUntouched) {
  const std::string dir = TempDir();
  struct Case {
    std::string name;
    std::string content;
    std::string message;
  };
  std::string damaged("SQLite format 3\0", 16);
  damaged += std::string(4080, '\x5a');
  const std::vector<Case> cases = {
      {"random.bin", std::string("\x01\x02garbage that is no database at all", 36),
       "not a restbox-mock state database"},
      {"damaged.db", damaged, "refusing to start"},
      {"old.json", R"({"chikage": {"sandbox": {}}})", "JSON state file of an earlier restbox-mock"},
  };
  for (const auto& c : cases) {
    const std::string path = dir + "/" + c.name;
    std::ofstream(path, std::ios::binary) << c.content;
    Mock mock(dir, {"--state", path}, false);
    EXPECT_EQ(mock.Wait(), 1) << c.name;
    EXPECT_THAT(mock.Output(), HasSubstr(c.message)) << c.name;
    EXPECT_EQ(ReadFile(path), c.content) << c.name << " was changed";
  }
  // Another program's SQLite database.
  const std::string foreign = dir + "/foreign.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(foreign.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  const std::string before = ReadFile(foreign);
  Mock mock(dir, {"--state", foreign}, false);
  EXPECT_EQ(mock.Wait(), 1);
  EXPECT_THAT(mock.Output(), HasSubstr("SQLite database of another program"));
  EXPECT_EQ(ReadFile(foreign), before);
}

// Schema 1 (rows, no snapshots table) is migrated in place; a newer schema is refused.
TEST(DurableState, AnOlderSchemaIsMigratedANewerOneRefused) {
  const std::string dir = TempDir();
  const std::string old_db = dir + "/v1.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(old_db.c_str(), &db), SQLITE_OK);
  const char* v1 =
      "CREATE TABLE rows(service TEXT NOT NULL, collection TEXT NOT NULL, key TEXT NOT NULL, value "
      "TEXT NOT NULL, "
      "PRIMARY KEY(service, collection, key)) WITHOUT ROWID;"
      "INSERT INTO rows VALUES('chikage', 'record', 'test/orders/rec_schema1000001', "
      "'{\"id\":\"rec_schema1000001\",\"data\":{\"order_id\":\"FROM-V1\"},\"created_at\":\"2026-01-"
      "01T00:00:00.000Z\","
      "\"updated_at\":\"2026-01-01T00:00:00.000Z\",\"environment\":\"test\",\"slug\":\"orders\"}');"
      "PRAGMA application_id=1380079693; PRAGMA user_version=1;";
  ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  {
    Mock mock(dir, {"--state", old_db});
    ASSERT_GT(mock.port(), 0) << mock.Output();
    EXPECT_THAT(mock.Output(), HasSubstr("state schema 1 migrated to 2"));
    auto client = Client(mock.port());
    auto r = client.Get("/api/v1/data/orders/rec_schema1000001", Auth());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(Body(r->body)["data"]["order_id"], "FROM-V1");
    // The migrated file has the snapshots of schema 2.
    auto made =
        client.Post("/__restbox/snapshots", R"({"name":"after-migration"})", "application/json");
    ASSERT_TRUE(made);
    EXPECT_EQ(made->status, 201) << made->body;
  }
  const std::string new_db = dir + "/v99.db";
  ASSERT_EQ(sqlite3_open(new_db.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(
          db, "CREATE TABLE rows(x); PRAGMA application_id=1380079693; PRAGMA user_version=99;",
          nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  const std::string before = ReadFile(new_db);
  Mock mock(dir, {"--state", new_db}, false);
  EXPECT_EQ(mock.Wait(), 1);
  EXPECT_THAT(mock.Output(), HasSubstr("schema version 99, newer than this restbox-mock reads"));
  EXPECT_EQ(ReadFile(new_db), before);
}

TEST(DurableState, ExportImportRoundTrip) {
  const std::string dir = TempDir();
  std::string id;
  {
    Mock mock(dir, {"--state", dir + "/a.db"});
    ASSERT_GT(mock.port(), 0) << mock.Output();
    auto client = Client(mock.port());
    auto r = client.Post("/api/v1/data/orders", Auth(), R"({"order_id":"EXPORTED"})",
                         "application/json");
    ASSERT_TRUE(r);
    id = Body(r->body).value("id", std::string());
    ASSERT_EQ(client
                  .Post("/__restbox/faults",
                        R"({"service":"chikage","endpoint":"delete","status":503,"times":2})",
                        "application/json")
                  ->status,
              201);
  }  // kill -9
  Mock exporter(dir, {"--state", dir + "/a.db", "--export-state", dir + "/world.json"}, false);
  ASSERT_EQ(exporter.Wait(), 0) << exporter.Output();
  const Json world = Body(ReadFile(dir + "/world.json"));
  ASSERT_TRUE(world.is_object());
  EXPECT_THAT(world.dump(), HasSubstr("EXPORTED"));
  EXPECT_EQ(world["__faults"]["rules"].size(), 1u);

  // Into a new database, and it stays there after a restart without --import-state.
  { Mock importer(dir, {"--state", dir + "/b.db", "--import-state", dir + "/world.json"}); }
  Mock again(dir, {"--state", dir + "/b.db"});
  ASSERT_GT(again.port(), 0) << again.Output();
  auto client = Client(again.port());
  auto r = client.Get(("/api/v1/data/orders/" + id).c_str(), Auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Body(client.Get("/__restbox/faults")->body).size(), 1u);

  // A file that is not a world is refused with the reason.
  std::ofstream(dir + "/bad.json") << R"({"__format": {"name": "something else"}})";
  Mock bad(dir, {"--import-state", dir + "/bad.json"}, false);
  EXPECT_EQ(bad.Wait(), 1);
  EXPECT_THAT(bad.Output(), HasSubstr("__format"));
}

TEST(DurableState, SnapshotsOverHttpSurviveARestart) {
  const std::string dir = TempDir();
  const std::string db = dir + "/state.db";
  std::string id;
  {
    Mock mock(dir, {"--state", db});
    ASSERT_GT(mock.port(), 0) << mock.Output();
    auto client = Client(mock.port());
    auto r =
        client.Post("/api/v1/data/orders", Auth(), R"({"order_id":"SNAPPED"})", "application/json");
    ASSERT_TRUE(r);
    id = Body(r->body).value("id", std::string());
    auto made =
        client.Post("/__restbox/snapshots", R"({"name":"with-record"})", "application/json");
    ASSERT_TRUE(made);
    ASSERT_EQ(made->status, 201) << made->body;
    auto typo = client.Post("/__restbox/snapshots", R"({"title":"x"})", "application/json");
    ASSERT_TRUE(typo);
    EXPECT_EQ(typo->status, 400);
    EXPECT_THAT(typo->body, HasSubstr("\"valid\":[\"name\"]"));
    ASSERT_EQ(client.Post("/__restbox/reset", "{}", "application/json")->status, 200);
  }
  Mock mock(dir, {"--state", db});
  ASSERT_GT(mock.port(), 0) << mock.Output();
  auto client = Client(mock.port());
  EXPECT_EQ(client.Get(("/api/v1/data/orders/" + id).c_str(), Auth())->status,
            404);  // reset, durably
  auto list = Body(client.Get("/__restbox/snapshots")->body);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "with-record");
  auto restored = client.Post("/__restbox/snapshots/with-record/restore", "{}", "application/json");
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->status, 200) << restored->body;
  EXPECT_EQ(client.Get(("/api/v1/data/orders/" + id).c_str(), Auth())->status, 200);
  EXPECT_EQ(client.Post("/__restbox/snapshots/missing/restore", "{}", "application/json")->status,
            404);
  EXPECT_EQ(client.Delete("/__restbox/snapshots/with-record")->status, 200);
  EXPECT_EQ(Body(client.Get("/__restbox/snapshots")->body).size(), 0u);
}

}  // namespace
}  // namespace restbox
