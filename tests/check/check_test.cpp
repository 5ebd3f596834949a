// restbox-check as a library: the answer checks one deviation at a time, and pacing on the manual
// clock (a full paced run of inventory and findhelper never sends more than 60 in any minute).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <thread>

#include "restbox/check/check.hpp"
#include "restbox/check/pacer.hpp"
#include "restbox/check/report.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace restbox::check {
namespace {

using core::Json;

core::HttpResponse Answer(int status, const std::string& body,
                          const std::string& type = "application/json") {
  core::HttpResponse r;
  r.status = status;
  r.body = body;
  if (!type.empty()) r.headers.Set("Content-Type", type);
  return r;
}

const char* const kJob =
    R"({"id":123,"title":"t","jobType":"general","city":"c","status":"published","createdAt":"2026-01-01T00:00:00Z"})";

bool Has(const std::vector<Problem>& problems, const std::string& path,
         const std::string& actual_part = "") {
  for (const auto& p : problems) {
    if (p.path == path && p.actual.find(actual_part) != std::string::npos) return true;
  }
  return false;
}

std::string All(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) s += ToString(p) + "\n";
  return s;
}

TEST(CheckAnswer, ADocumentedAnswerHasNoProblem) {
  std::vector<std::string> notes;
  auto p = CheckAnswer("findhelper", "jobs.get", 200, "", true,
                       Answer(200, std::string(R"({"success":true,"data":)") + kJob + "}"), notes);
  EXPECT_TRUE(p.empty()) << All(p);
  p = CheckAnswer(
      "findhelper", "jobs.get", 404, "NOT_FOUND", false,
      Answer(404, R"({"success":false,"error":{"code":"NOT_FOUND","message":"no job 5"}})"), notes);
  EXPECT_TRUE(p.empty()) << All(p);
}

TEST(CheckAnswer, WrongTypeIsReportedAtItsPath) {
  std::vector<std::string> notes;
  std::string job = kJob;
  job.replace(job.find("\"id\":123"), 8, "\"id\":\"123\"");
  auto p = CheckAnswer("findhelper", "jobs.get", 200, "", true,
                       Answer(200, R"({"success":true,"data":)" + job + "}"), notes);
  EXPECT_TRUE(Has(p, "$.data.id", "string")) << All(p);
}

TEST(CheckAnswer, MissingFieldWrongStatusEnvelopeAndContentType) {
  std::vector<std::string> notes;
  auto missing = CheckAnswer(
      "findhelper", "jobs.create", 201, "", true,
      Answer(
          201,
          R"({"success":true,"data":{"id":1,"title":"t","jobType":"general","city":"c","status":"published"}})"),
      notes);
  bool found = false;
  for (const auto& x : missing)
    found |= (x.path + x.expected).find("createdAt") != std::string::npos;
  EXPECT_TRUE(found) << All(missing);

  auto status =
      CheckAnswer("findhelper", "jobs.get", 404, "NOT_FOUND", false,
                  Answer(200, std::string(R"({"success":true,"data":)") + kJob + "}"), notes);
  ASSERT_FALSE(status.empty());
  EXPECT_EQ(status[0].path, "status");
  EXPECT_EQ(status[0].expected, "404");
  EXPECT_EQ(status[0].actual, "200");

  auto envelope = CheckAnswer("findhelper", "jobs.get", 403, "FORBIDDEN", false,
                              Answer(403, R"({"error":"forbidden"})"), notes);
  EXPECT_TRUE(Has(envelope, "$.error", "string")) << All(envelope);

  auto html = CheckAnswer("findhelper", "jobs.get", 404, "NOT_FOUND", false,
                          Answer(404, "<html>Not Found</html>", "text/html"), notes);
  EXPECT_TRUE(Has(html, "header Content-Type", "text/html")) << All(html);
  EXPECT_TRUE(Has(html, "$", "not JSON")) << All(html);
}

TEST(CheckAnswer, AnotherErrorCodeIsAProblem) {
  std::vector<std::string> notes;
  auto p = CheckAnswer("inventory", "templates.get", 404, "NOT_FOUND", false,
                       Answer(404, R"({"success":false,"error":{"code":"MISSING","message":"x"}})"),
                       notes);
  EXPECT_TRUE(Has(p, "$.error.code", "MISSING")) << All(p);
}

TEST(CheckAnswer, AMarketCodeOutsideTheDocumentedOnes) {
  std::vector<std::string> notes;
  auto p = CheckAnswer("market", "call", 200, "1003", false,
                       Answer(200, R"({"code":7,"msg":"busy","result":null,"credits":0})"), notes);
  EXPECT_TRUE(Has(p, "$.code", "7")) << All(p);
  auto provider = CheckProviderAnswer(Answer(200, R"({"code":7,"msg":"busy"})"), "1003", notes);
  EXPECT_TRUE(Has(provider, "$.code", "7")) << All(provider);
  EXPECT_TRUE(
      CheckProviderAnswer(Answer(500, R"({"code":1003,"msg":"busy"})"), "1003", notes).empty());
}

TEST(CheckAnswer, AnUndocumented2xxOnASuccessRowIsAcceptedAndNoted) {
  std::vector<std::string> notes;
  auto p = CheckAnswer("findhelper", "jobs.create", 201, "", true,
                       Answer(200, std::string(R"({"success":true,"data":)") + kJob + "}"), notes);
  EXPECT_TRUE(p.empty()) << All(p);
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes[0].find("accepted"), std::string::npos);
}

TEST(CheckAnswer, A429sRetryAfterIsOptionalButMustReadAsAWait) {
  // The documents say "wait and retry" without naming a header: an absent Retry-After is a note,
  // one that is there must be seconds or an HTTP-date (RFC 9110 10.2.3).
  std::vector<std::string> notes;
  const char* body = R"({"success":false,"error":{"code":"TOO_MANY_REQUESTS","message":"slow"}})";
  auto without = CheckAnswer("findhelper", "jobs.list", 429, "TOO_MANY_REQUESTS", false,
                             Answer(429, body), notes);
  EXPECT_TRUE(without.empty()) << All(without);
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes.back().find("no Retry-After"), std::string::npos) << notes.back();
  auto soon = Answer(429, body);
  soon.headers.Set("Retry-After", "soon");
  auto bad = CheckAnswer("findhelper", "jobs.list", 429, "TOO_MANY_REQUESTS", false, soon, notes);
  EXPECT_TRUE(Has(bad, "header Retry-After", "soon")) << All(bad);
  auto with = Answer(429, body);
  with.headers.Set("Retry-After", "7");
  EXPECT_TRUE(
      CheckAnswer("findhelper", "jobs.list", 429, "TOO_MANY_REQUESTS", false, with, notes).empty());
}

TEST(CheckAnswer, TheMarketPlatformKeepsOnlyCodeResultMsgAndCredits) {
  std::vector<std::string> notes;
  auto clean = CheckAnswer("market", "call_get", 200, "", true,
                           Answer(200, R"({"code":0,"result":{"a":1},"credits":0.001})"), notes);
  EXPECT_TRUE(clean.empty()) << All(clean);
  auto leaked = CheckAnswer(
      "market", "call_get", 200, "", true,
      Answer(200, R"({"code":0,"result":{},"forceDeduct":false,"otherField1":"x"})"), notes);
  EXPECT_TRUE(Has(leaked, "$.forceDeduct", "present")) << All(leaked);
  EXPECT_TRUE(Has(leaked, "$.otherField1", "present")) << All(leaked);
}

core::HttpRequest Sent(core::Method method, const std::string& url, const std::string& body = "") {
  core::HttpRequest r;
  r.method = method;
  r.url = url;
  r.body = body;
  return r;
}

// restbox-mock --proxy: exchanges checked without knowing the row they were meant to reach.
TEST(CheckExchange, TheRowIsPickedByTheAnswersStatusAndCode) {
  const auto get = Sent(core::Method::kGet, "/api/jobs/123");
  auto ok = CheckExchange("findhelper", "jobs.get", get,
                          Answer(200, std::string(R"({"success":true,"data":)") + kJob + "}"));
  EXPECT_TRUE(ok.problems.empty()) << All(ok.problems);
  auto not_found = CheckExchange(
      "findhelper", "jobs.get", Sent(core::Method::kGet, "/api/jobs/999999"),
      Answer(404, R"({"success":false,"error":{"code":"NOT_FOUND","message":"no job 999999"}})"));
  EXPECT_TRUE(not_found.problems.empty()) << All(not_found.problems);

  std::string job = kJob;
  job.replace(job.find("\"id\":123"), 8, "\"id\":\"123\"");
  auto wrong = CheckExchange("findhelper", "jobs.get", get,
                             Answer(200, R"({"success":true,"data":)" + job + "}"));
  EXPECT_TRUE(Has(wrong.problems, "$.data.id", "string")) << All(wrong.problems);
  auto envelope =
      CheckExchange("findhelper", "jobs.get", get, Answer(403, R"({"error":"forbidden"})"));
  EXPECT_TRUE(Has(envelope.problems, "$.error", "string")) << All(envelope.problems);
  auto teapot = CheckExchange("findhelper", "jobs.get", get, Answer(418, R"({"tea":true})"));
  ASSERT_EQ(teapot.problems.size(), 1u) << All(teapot.problems);
  EXPECT_EQ(teapot.problems[0].path, "status");
  EXPECT_EQ(teapot.problems[0].actual, "418");
  EXPECT_NE(teapot.problems[0].expected.find("one of 200, "), std::string::npos)
      << teapot.problems[0].expected;

  // market: codes inside HTTP 200 pick their rows.
  const auto call = Sent(core::Method::kPost, "/market/demo-shop/product-info",
                         R"({"bindId":"123","productId":"503503"})");
  auto busy = CheckExchange("market", "call", call,
                            Answer(200, R"({"code":1003,"msg":"busy","result":null,"credits":0})"));
  EXPECT_TRUE(busy.problems.empty()) << All(busy.problems);
  auto seven = CheckExchange("market", "call", call,
                             Answer(200, R"({"code":7,"msg":"busy","result":null,"credits":0})"));
  EXPECT_TRUE(Has(seven.problems, "$.code", "7")) << All(seven.problems);
}

TEST(CheckExchange, TheRequestIsCheckedAgainstTheTableToo) {
  auto unrouted = CheckExchange("findhelper", "", Sent(core::Method::kGet, "/api/nothing"),
                                Answer(404, R"({"success":false})"));
  ASSERT_EQ(unrouted.problems.size(), 1u) << All(unrouted.problems);
  EXPECT_EQ(ToString(unrouted.problems[0]),
            "request: expected a route of the findhelper endpoint table, got GET /api/nothing");

  // A create without its required title and a page size over the limit: the server's 400 is
  // right, the request is what broke the contract.
  auto create = CheckExchange(
      "findhelper", "jobs.create",
      Sent(core::Method::kPost, "/api/jobs",
           R"({"jobType":"general","city":"台北市","address":"x","estimatedAmount":1})"),
      Answer(
          400,
          R"({"success":false,"error":{"code":"VALIDATION_ERROR","message":"invalid","details":[{"field":"title","message":"required"}]}})"));
  EXPECT_TRUE(Has(create.problems, "request $.title", "absent")) << All(create.problems);
  EXPECT_EQ(create.problems.size(), 1u) << All(create.problems);
  auto list =
      CheckExchange("findhelper", "jobs.list", Sent(core::Method::kGet, "/api/jobs?pageSize=500"),
                    Answer(200, R"({"success":true,"data":[]})"));
  EXPECT_TRUE(Has(list.problems, "request query pageSize", "\"500\"")) << All(list.problems);
}

// A GET without a body, a POST with one.
core::HttpRequest SentBy(const std::string& url, const std::string& body = "") {
  return Sent(body.empty() ? core::Method::kGet : core::Method::kPost, url, body);
}

TEST(CheckAnswer, PaginationMustAddUp) {
  std::vector<std::string> notes;
  // A wncms list of `items` items whose pagination says the rest.
  struct Page {
    int items, count, total, page_size, current, last;
    bool more;
  };
  auto list = [](const Page& p) {
    Json items = Json::array();
    for (int i = 0; i < p.items; ++i) items.push_back({{"id", i + 1}, {"name", "m"}});
    Json pagination = {{"total", p.total},
                       {"count", p.count},
                       {"page_size", p.page_size},
                       {"current_page", p.current},
                       {"last_page", p.last},
                       {"has_more", p.more},
                       {"next", p.more ? Json("/n") : Json()},
                       {"previous", nullptr}};
    Json body = {{"code", 200},
                 {"status", "success"},
                 {"message", "ok"},
                 {"data", {{"data", items}, {"pagination", pagination}}},
                 {"extra", Json::object()}};
    return Answer(200, body.dump());
  };
  auto asked = SentBy("http://h/api/v1/menus/index", R"({"api_token":"t","page_size":2})");
  auto check = [&](const Page& p) {
    return CheckAnswer("wncms", "menus.index", 200, "", true, list(p), notes, &asked);
  };
  auto good = check({2, 2, 3, 2, 1, 2, true});
  EXPECT_TRUE(good.empty()) << All(good);
  auto count = check({2, 5, 3, 2, 1, 2, true});
  EXPECT_TRUE(Has(count, "$.data.pagination.count", "5")) << All(count);
  auto last = check({2, 2, 3, 2, 1, 1, false});
  EXPECT_TRUE(Has(last, "$.data.pagination.last_page", "1")) << All(last);
  auto size = check({2, 2, 3, 15, 1, 1, false});
  EXPECT_TRUE(Has(size, "$.data.pagination.page_size", "15")) << All(size);
  auto more = check({2, 2, 3, 2, 1, 2, false});
  EXPECT_TRUE(Has(more, "$.data.pagination.has_more", "false")) << All(more);

  auto templates = [](int total_pages) {
    Json tpl = {{"token", "a"},
                {"title", "t"},
                {"content", ""},
                {"imageUrl", "https://x"},
                {"commentMode", "shared"},
                {"isSharing", false},
                {"createdAt", "2026-01-01T00:00:00Z"}};
    Json body = {
        {"success", true},
        {"data",
         {{"templates", {tpl, tpl}},
          {"pagination",
           {{"page", 1}, {"pageSize", 20}, {"totalItems", 2}, {"totalPages", total_pages}}}}}};
    return Answer(200, body.dump());
  };
  auto plain = SentBy("http://h/apiV1/templates");
  auto one = CheckAnswer("inventory", "templates.list", 200, "", true, templates(1), notes, &plain);
  EXPECT_TRUE(one.empty()) << All(one);
  auto pages =
      CheckAnswer("inventory", "templates.list", 200, "", true, templates(2), notes, &plain);
  EXPECT_TRUE(Has(pages, "$.data.pagination.totalPages", "2")) << All(pages);
}

TEST(CheckAnswer, DocumentedValuesOfWrites) {
  std::vector<std::string> notes;
  auto share =
      SentBy("http://h/apiV1/templates/t/share", R"({"durationMinutes":0,"tags":["a","Bc"]})");
  auto right = CheckAnswer(
      "inventory", "templates.share", 200, "", true,
      Answer(200,
             R"({"success":true,"data":{"shareToken":"s","expiresAt":null,"tags":["A","BC"]}})"),
      notes, &share);
  EXPECT_TRUE(right.empty()) << All(right);
  auto wrong = CheckAnswer(
      "inventory", "templates.share", 200, "", true,
      Answer(
          200,
          R"({"success":true,"data":{"shareToken":"s","expiresAt":"2026-01-01T00:00:00Z","tags":["a","Bc"]}})"),
      notes, &share);
  EXPECT_TRUE(Has(wrong, "$.data.tags")) << All(wrong);
  EXPECT_TRUE(Has(wrong, "$.data.expiresAt")) << All(wrong);

  auto job = SentBy("http://h/api/jobs", R"({"title":"t","jobType":"general","city":"c"})");
  std::string draft = kJob;
  draft.replace(draft.find("published"), 9, "draft");
  auto status = CheckAnswer("findhelper", "jobs.create", 201, "", true,
                            Answer(201, R"({"success":true,"data":)" + draft + "}"), notes, &job);
  EXPECT_TRUE(Has(status, "$.data.status", "draft")) << All(status);
  auto ok =
      CheckAnswer("findhelper", "jobs.create", 201, "", true,
                  Answer(201, std::string(R"({"success":true,"data":)") + kJob + "}"), notes, &job);
  EXPECT_TRUE(ok.empty()) << All(ok);
}

TEST(Pacer, A429HoldsOnlyItsKeyAndALongHoldIsRefusedAtOnce) {
  auto clock = std::make_shared<core::ManualClock>();
  Pacer pacer(clock, clock);
  pacer.Hold("s", "Bearer exhausted", clock->Now() + std::chrono::hours(24 * 20));
  pacer.Hold("s", "Bearer busy", clock->Now() + std::chrono::seconds(30));
  int sent = 0;
  std::string why;
  pacer.Submit(
      "s", [&] { ++sent; }, [&](const std::string& w) { why = w; }, "Bearer other");
  EXPECT_EQ(sent, 1);  // another key is not held
  pacer.Submit(
      "s", [&] { ++sent; }, [&](const std::string& w) { why = w; }, "Bearer busy");
  EXPECT_EQ(sent, 1);  // waits for its Retry-After
  clock->Advance(std::chrono::seconds(30));
  EXPECT_EQ(sent, 2);
  pacer.Submit(
      "s", [&] { ++sent; }, [&](const std::string& w) { why = w; }, "Bearer exhausted");
  EXPECT_EQ(sent, 2);
  EXPECT_NE(why.find("Retry-After"), std::string::npos) << why;
  EXPECT_EQ(clock->PendingTasks(), 0u);  // refused, not scheduled for weeks
}

TEST(Pacer, HoldsEachServiceUnderItsLimitAndStopsAtTheBudget) {
  auto clock = std::make_shared<core::ManualClock>();
  Pacer pacer(clock, clock, 5);
  pacer.SetLimits("s", {{2, core::Duration(60'000)}});
  int sent = 0, refused = 0;
  for (int i = 0; i < 6; ++i)
    pacer.Submit(
        "s", [&] { ++sent; }, [&](const std::string&) { ++refused; });
  EXPECT_EQ(sent, 2);  // the third waits for the window (and a 250 ms margin)
  EXPECT_EQ(refused, 1);
  clock->Advance(core::Duration(60'000));
  EXPECT_EQ(sent, 2);
  clock->Advance(core::Duration(250));
  EXPECT_EQ(sent, 4);
  clock->Advance(core::Duration(60'250));
  EXPECT_EQ(sent, 5);
  EXPECT_LE(pacer.MaxInAnyWindow(core::Duration(60'000)), 2);
  EXPECT_TRUE(pacer.budget_exhausted());
}

// A full run of inventory and findhelper rows as against a real server (realistic, writes on,
// limit rows off), on the in-process mock sharing a manual clock with the pacer.
TEST(CheckPacing, AFullInventoryAndFindhelperRunNeverExceeds60InAnyMinute) {
  auto clock = std::make_shared<core::ManualClock>();
  mock::MockOptions mo;
  mo.clock = clock;
  auto server = mock::MakeMockServer(mo);
  CheckOptions o;
  o.kind = CheckOptions::Kind::kServices;
  o.services = {{"inventory", "http://inventory.mock"}, {"findhelper", "http://findhelper.mock"}};
  o.fixtures = server->Fixtures();
  o.allow_writes = true;
  o.transport = std::make_shared<transports::InProcessTransport>(server);
  o.clock = clock;
  o.scheduler = clock;
  std::atomic<bool> done{false};
  Report report;
  std::thread runner([&] {
    report = check::Run(o);
    done = true;
  });
  auto start = clock->Now();
  // Time moves only when the paced run waits for it.
  while (!done) {
    if (auto next = clock->NextDueIn())
      clock->Advance(*next);
    else
      std::this_thread::yield();
  }
  runner.join();

  std::map<std::string, std::vector<core::TimePoint>>
      times;  // per API: its limits are per API and key
  for (const auto& r : report.rows) {
    for (const auto& x : r.exchanges) times[r.service].push_back(x.at);
    if (r.outcome == Outcome::kFail) {
      ADD_FAILURE() << r.Id() << ": " << r.reason << " "
                    << (r.problems.empty() ? "" : ToString(r.problems[0]));
    }
    for (const auto& x : r.exchanges) {
      if (x.response) {
        EXPECT_NE(x.response->status, 429) << r.Id() << ": a 429 the run did not mean to cause";
      }
    }
  }
  ASSERT_EQ(times.size(), 2u);
  EXPECT_GT(times["inventory"].size(), 60u) << "the run must need pacing to prove it";
  for (auto& [service, list] : times) {
    std::sort(list.begin(), list.end());
    std::size_t lo = 0, most = 0;
    for (std::size_t hi = 0; hi < list.size(); ++hi) {
      while (list[hi] - list[lo] >= std::chrono::minutes(1)) ++lo;
      most = std::max(most, hi - lo + 1);
    }
    EXPECT_LE(most, 60u) << service;
    EXPECT_EQ(report.summary.max_requests_per_minute_by_service[service],
              static_cast<std::int64_t>(most))
        << service;
  }
  EXPECT_EQ(report.summary.max_requests_per_minute, 60);
  EXPECT_GE(clock->Now() - start, std::chrono::minutes(1));
  EXPECT_GT(report.summary.passed, 50);
}

// The same rows without blocking (as the console runs them, in the browser too): each row is a
// task on a loop, no thread; a paced request waits on the manual clock (nothing to resume until
// it is advanced), and Cancel() ends the wait under way at once.
TEST(CheckSession, RowsAreTasksThatWaitForThePacerOnTheSchedulerAndCancelEndsTheWait) {
  auto clock = std::make_shared<core::ManualClock>();
  mock::MockOptions mo;
  mo.clock = clock;
  auto server = mock::MakeMockServer(mo);
  CheckOptions o;
  o.kind = CheckOptions::Kind::kServices;
  o.services = {{"inventory", "http://inventory.mock"}};
  o.fixtures = server->Fixtures();
  o.transport = std::make_shared<transports::InProcessTransport>(server);
  o.clock = clock;
  o.scheduler = clock;
  Session session(o);
  ASSERT_TRUE(contract::RunToCompletion(session.Connect()));
  ASSERT_GT(session.rows().size(), 30u);
  contract::Loop loop;
  const auto start = clock->Now();
  int waits = 0;
  std::size_t ran = 0;
  // Rows run over and over (the same server) until the pacer has waited twice.
  for (std::size_t pass = 0; waits < 2 && pass < 5; ++pass) {
    for (std::size_t i = 0; i < session.rows().size() && waits < 2; ++i, ++ran) {
      std::optional<RowResult> result;
      contract::Start<RowResult>(session.RunRow(i), &loop,
                                 [&](std::optional<RowResult>* r, const std::exception_ptr& e) {
                                   ASSERT_FALSE(e);
                                   result = std::move(**r);
                                 });
      loop.RunReady();
      if (result) {
        EXPECT_NE(result->outcome, Outcome::kFail)
            << result->Id() << ": " << result->reason << " "
            << (result->problems.empty() ? "" : ToString(result->problems[0]));
        continue;
      }
      // Waiting for its turn: a timer on the scheduler, nothing for the loop to run.
      ASSERT_TRUE(clock->NextDueIn().has_value()) << session.rows()[i].Id();
      EXPECT_EQ(loop.RunReady(), 0u);
      ++waits;
      if (waits == 1) {
        clock->Advance(*clock->NextDueIn());
        loop.RunReady();
        ASSERT_TRUE(result.has_value()) << session.rows()[i].Id();
        EXPECT_NE(result->outcome, Outcome::kFail) << result->Id() << ": " << result->reason;
        EXPECT_GE(clock->Now() - start, std::chrono::minutes(1));
      } else {
        session.Cancel();
        loop.RunReady();
        ASSERT_TRUE(result.has_value()) << session.rows()[i].Id();
        EXPECT_EQ(result->outcome, Outcome::kSkip);
        EXPECT_NE(result->reason.find("the run was stopped"), std::string::npos) << result->reason;
        EXPECT_EQ(clock->PendingTasks(), 0u);  // the paced request's timer is gone
      }
    }
  }
  EXPECT_EQ(waits, 2);
  EXPECT_GT(ran, 60u);
  EXPECT_LE(session.requests_sent(), 121);
}

// Every service's cases read fixtures with at(): an absent one skips the row, named.
TEST(CheckRun, ARowNeedingAnAbsentFixtureIsSkippedNamingIt) {
  auto server = mock::MakeMockServer();
  CheckOptions o;
  o.kind = CheckOptions::Kind::kServices;
  o.services = {{"wncms", "http://wncms.mock"}, {"chikage", "http://chikage.mock"}};
  Json fixtures = server->Fixtures();
  fixtures["wncms"].erase("tag_type");
  fixtures.erase("chikage");
  o.fixtures = fixtures;
  o.only = "^(wncms/tags\\.index/200|chikage/get/200)/";
  o.transport = std::make_shared<transports::InProcessTransport>(server);
  Report report = check::Run(o);
  ASSERT_EQ(report.rows.size(), 2u);
  for (const auto& r : report.rows) {
    EXPECT_EQ(r.outcome, Outcome::kSkip) << r.Id();
    EXPECT_EQ(r.reason,
              r.service == "wncms" ? "missing fixture wncms.tag_type" : "missing fixture chikage")
        << r.Id();
  }
}

// A case reads only the fixtures its own endpoint uses: with nothing but a key, inventory's rows
// that need nothing more run (they were all skipped for want of a template token).
TEST(CheckRun, RowsThatNeedOnlyAKeyRunWithOnlyAKey) {
  auto server = mock::MakeMockServer();
  CheckOptions o;
  o.kind = CheckOptions::Kind::kServices;
  o.services = {{"inventory", "http://inventory.mock"}};
  o.fixtures = Json{{"inventory", {{"api_key", server->Fixtures()["inventory"]["api_key"]}}}};
  o.only = "^inventory/(items\\.list|templates\\.list|templates\\.shared|user\\.stats)/200/";
  o.transport = std::make_shared<transports::InProcessTransport>(server);
  Report report = check::Run(o);
  ASSERT_EQ(report.rows.size(), 4u);
  for (const auto& r : report.rows)
    EXPECT_EQ(r.outcome, Outcome::kPass) << r.Id() << ": " << r.reason;
}

TEST(CheckRun, AnUnknownServiceOrABadRegexIsAConfigError) {
  CheckOptions o;
  o.kind = CheckOptions::Kind::kServices;
  o.services = {{"nosuch", "http://x.invalid"}};
  EXPECT_THROW(check::Run(o), ConfigError);
  o.services = {{"inventory", "not a url"}};
  EXPECT_THROW(check::Run(o), ConfigError);
  CheckOptions r;
  r.only = "(";
  EXPECT_THROW(check::Run(r), ConfigError);
}

TEST(Report, TheTableReadsOneProblemOfEveryItemOnceAndTheJsonKeepsEach) {
  Report report;
  RowResult row;
  row.service = "findhelper";
  row.endpoint = "jobs.list";
  row.status = 200;
  row.mode = "realistic";
  row.outcome = Outcome::kFail;
  for (int i = 0; i < 20; ++i)
    row.problems.push_back({"$.data[" + std::to_string(i) + "].id", "integer", "string"});
  row.problems.push_back({"$.data[3].title", "string", "absent"});
  report.rows.push_back(row);
  std::ostringstream table;
  WriteTable(table, report);
  EXPECT_NE(table.str().find("$.data[*].id: expected integer, got string (20 items); "
                             "$.data[3].title: expected string, got absent"),
            std::string::npos)
      << table.str();
  EXPECT_EQ(table.str().find("$.data[7].id"), std::string::npos) << table.str();
  EXPECT_EQ(ToJson(report)["rows"][0]["problems"].size(), 21u);
}

}  // namespace
}  // namespace restbox::check
