// The findhelper mock's rules, through the typed client (and raw requests where a client would
// never send such bytes): credentials, visibility, filters and paging, the per-key minute and day
// windows on a ManualClock, the 10 MB response cap, settings, state, and hostile input.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "harness.hpp"
#include "restbox/core/masking.hpp"

namespace restbox::findhelper {
namespace {

using core::Json;
using test_support::Harness;
using test_support::HarnessOptions;
using test_support::Wait;

std::vector<std::int64_t> Ids(const std::vector<Job>& jobs) {
  std::vector<std::int64_t> ids;
  for (const auto& j : jobs) ids.push_back(j.id);
  return ids;
}

NewJob SeedJob() {
  return {"居家清潔", "general", "台北市", "台北市信義區信義路五段7號", 3000};
}

TEST(FindhelperMock, FixturesHaveTheContractRoles) {
  Harness h;
  for (const char* role : {"api_key", "api_secret", "expired_key", "expired_secret"}) {
    ASSERT_TRUE(h.fix.contains(role)) << role;
    EXPECT_FALSE(h.Fix(role).empty()) << role;
  }
  EXPECT_TRUE(h.fix["forbidden_job_id"].is_number_integer());
}

TEST(FindhelperMock, ListShowsEveryPublicJobAndOnlyOwnDraftsNewestFirst) {
  Harness h;
  auto page = Wait(h.Main().ListJobs());
  ASSERT_TRUE(page.ok()) << page.error().Describe();
  auto ids = Ids(page->jobs);
  EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend())) << "newest (highest id) first";
  const std::int64_t own_draft = h.Id("own_draft_job_id");
  const std::int64_t foreign_draft = h.Id("forbidden_job_id");
  EXPECT_NE(std::find(ids.begin(), ids.end(), own_draft), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), foreign_draft), ids.end());
  for (const auto& job : page->jobs) {
    if (job.status == "draft") {
      EXPECT_EQ(job.id, own_draft);
    }
  }
  EXPECT_EQ(page->pagination.page, 1);
  EXPECT_EQ(page->pagination.page_size, kDefaultPageSize);
  EXPECT_EQ(page->pagination.total, static_cast<std::int64_t>(ids.size()));
  EXPECT_EQ(page->pagination.total_pages, 1);

  // The other account sees its own drafts and not ours.
  auto partner = Wait(h.Partner().ListJobs({.status = "draft"}));
  ASSERT_TRUE(partner.ok());
  ASSERT_FALSE(partner->jobs.empty());
  const auto partner_ids = Ids(partner->jobs);
  EXPECT_EQ(std::find(partner_ids.begin(), partner_ids.end(), own_draft), partner_ids.end());
  EXPECT_NE(std::find(partner_ids.begin(), partner_ids.end(), foreign_draft), partner_ids.end());
}

TEST(FindhelperMock, FiltersCombine) {
  Harness h;
  auto client = h.Main();
  auto taipei = Wait(client.ListJobs({.city = "台北市"}));
  ASSERT_TRUE(taipei.ok());
  ASSERT_GE(taipei->jobs.size(), 3u);
  for (const auto& j : taipei->jobs) EXPECT_EQ(j.city, "台北市");

  auto narrow =
      Wait(client.ListJobs({.city = "台北市", .job_type = "general", .status = "published"}));
  ASSERT_TRUE(narrow.ok());
  ASSERT_FALSE(narrow->jobs.empty());
  for (const auto& j : narrow->jobs) {
    EXPECT_EQ(j.city, "台北市");
    EXPECT_EQ(j.job_type, "general");
    EXPECT_EQ(j.status, "published");
  }
  EXPECT_LT(narrow->jobs.size(), taipei->jobs.size());
  const auto narrow_ids = Ids(narrow->jobs);
  EXPECT_NE(std::find(narrow_ids.begin(), narrow_ids.end(), h.Id("job_id")), narrow_ids.end());

  auto none = Wait(client.ListJobs({.city = "花蓮縣"}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->jobs.empty());
  EXPECT_EQ(none->pagination.total, 0);
  EXPECT_EQ(none->pagination.total_pages, 0);
}

TEST(FindhelperMock, PagesSliceTheSameOrder) {
  Harness h;
  auto client = h.Main();
  auto all = Wait(client.ListJobs({.page_size = kMaxPageSize}));
  ASSERT_TRUE(all.ok());
  const auto total = all->jobs.size();
  ASSERT_GT(total, 5u);
  std::vector<std::int64_t> paged;
  const int pages = static_cast<int>((total + 4) / 5);
  for (int p = 1; p <= pages + 1; ++p) {
    auto page = Wait(client.ListJobs({.page = p, .page_size = 5}));
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->pagination.total_pages, pages);
    EXPECT_EQ(page->pagination.page, p);
    if (p > pages) {
      EXPECT_TRUE(page->jobs.empty()) << "past the last page";
    }
    for (auto id : Ids(page->jobs)) paged.push_back(id);
  }
  EXPECT_EQ(paged, Ids(all->jobs));
}

TEST(FindhelperMock, BadPagingAndFilterValuesAreValidationErrors) {
  Harness h;
  const std::pair<std::string, std::string> bad[] = {{"pageSize=0", "pageSize"},
                                                     {"pageSize=101", "pageSize"},
                                                     {"pageSize=2.5", "pageSize"},
                                                     {"page=0", "page"},
                                                     {"page=abc", "page"},
                                                     {"page=1e300", "page"},
                                                     {"status=archived", "status"},
                                                     {"jobType=plumbing", "jobType"},
                                                     {"city=", "city"},
                                                     {"page=-3&pageSize=9999", "page"}};
  for (const auto& [query, field] : bad) {
    auto r = h.Raw(core::Method::kGet, "/api/jobs?" + query, h.Credentials());
    EXPECT_EQ(r.status, 400) << query;
    core::Error e = ParseError(r);
    EXPECT_EQ(e.code, "VALIDATION_ERROR") << query;
    ASSERT_FALSE(e.details.empty()) << query;
    EXPECT_EQ(e.details[0].field, field) << query;
  }
  // Unknown parameters are ignored; percent-encoded Chinese works.
  auto ok = h.Raw(core::Method::kGet, "/api/jobs?city=%E5%8F%B0%E5%8C%97%E5%B8%82&utm=x",
                  h.Credentials());
  EXPECT_EQ(ok.status, 200);
}

TEST(FindhelperMock, OneJobVisibility) {
  Harness h;
  auto main = h.Main();
  auto seed = Wait(main.GetJob(h.Id("job_id")));
  ASSERT_TRUE(seed.ok()) << seed.error().Describe();
  EXPECT_EQ(seed->title, "居家清潔");
  EXPECT_EQ(seed->city, "台北市");
  EXPECT_EQ(seed->status, "published");
  EXPECT_TRUE(Wait(main.GetJob(h.Id("own_draft_job_id"))).ok());

  auto forbidden = Wait(main.GetJob(h.Id("forbidden_job_id")));
  ASSERT_FALSE(forbidden.ok());
  EXPECT_EQ(forbidden.error().kind, core::ErrorKind::kForbidden);
  EXPECT_EQ(forbidden.error().code, "FORBIDDEN");
  // The owner reads it, and the other way round.
  EXPECT_TRUE(Wait(h.Partner().GetJob(h.Id("forbidden_job_id"))).ok());
  EXPECT_EQ(Wait(h.Partner().GetJob(h.Id("own_draft_job_id"))).error().http_status, 403);
  // A read-only key of the same account reads the account's drafts.
  EXPECT_TRUE(
      Wait(h.MakeClient("read_only_key", "read_only_secret").GetJob(h.Id("own_draft_job_id")))
          .ok());
}

TEST(FindhelperMock, UnknownAndNonIntegerIdsAreNotFound) {
  Harness h;
  auto missing = Wait(h.Main().GetJob(h.Id("not_found_job_id")));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, core::ErrorKind::kNotFound);
  EXPECT_EQ(missing.error().code, "NOT_FOUND");
  for (const char* id :
       {"abc", "-1", "0", "12.5", "123abc", "%E5%8F%B0", "99999999999999999999999"}) {
    auto r = h.Raw(core::Method::kGet, std::string("/api/jobs/") + id, h.Credentials());
    EXPECT_EQ(r.status, 404) << id;
    EXPECT_EQ(Harness::CodeOf(r), "NOT_FOUND") << id;
  }
  // Routes this service owns but does not have get its error shape too.
  auto deeper = h.Raw(core::Method::kGet, "/api/jobs/123/applications", h.Credentials());
  EXPECT_EQ(deeper.status, 404);
  EXPECT_EQ(Harness::CodeOf(deeper), "NOT_FOUND");
  auto method = h.Raw(core::Method::kDelete, "/api/jobs/123", h.Credentials());
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(Harness::CodeOf(method), "METHOD_NOT_ALLOWED");
}

TEST(FindhelperMock, CreatePublishesAtOnceWithTheMockTime) {
  Harness h;
  h.clock->Advance(std::chrono::hours(24 * 37) + std::chrono::hours(8));  // 2026-02-07T08:00Z
  auto client = h.Main();
  auto created = Wait(client.CreateJob(SeedJob()));
  ASSERT_TRUE(created.ok()) << created.error().Describe();
  EXPECT_EQ(created.status(), 201);
  EXPECT_EQ(created->status, "published");
  EXPECT_EQ(created->created_at, "2026-02-07T08:00:00.000Z");
  EXPECT_EQ(created->title, "居家清潔");
  EXPECT_EQ(created->address, std::optional<std::string>("台北市信義區信義路五段7號"));
  EXPECT_EQ(created->estimated_amount, std::optional<double>(3000));
  EXPECT_EQ(created.meta().headers.GetOr("Location", ""),
            "/api/jobs/" + std::to_string(created->id));

  auto read = Wait(client.GetJob(created->id));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, *created);
  auto listed = Wait(client.ListJobs());
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->jobs.front(), *created);
  // The other account sees it (published), ids keep growing.
  EXPECT_TRUE(Wait(h.Partner().GetJob(created->id)).ok());
  auto second = Wait(client.CreateJob({"搬家", "moving", "新北市", std::nullopt, std::nullopt}));
  ASSERT_TRUE(second.ok());
  EXPECT_GT(second->id, created->id);
  EXPECT_FALSE(second->address.has_value());
  EXPECT_FALSE(second->estimated_amount.has_value());
}

TEST(FindhelperMock, CreateValidation) {
  Harness h;
  auto client = h.Main();
  auto missing = Wait(client.CreateJob({"", "", "", std::nullopt, -1}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, core::ErrorKind::kBadRequest);
  EXPECT_EQ(missing.error().code, "VALIDATION_ERROR");
  std::vector<std::string> fields;
  for (const auto& d : missing.error().details) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "jobType", "city", "estimatedAmount"}));

  // Limits count characters: 100 Chinese characters are a valid title, 101 are not.
  std::string title;
  for (int i = 0; i < 100; ++i) title += "清";
  EXPECT_TRUE(Wait(client.CreateJob({title, "cleaning", "台北市", std::nullopt, 0})).ok());
  auto longer = Wait(client.CreateJob({title + "潔", "cleaning", "台北市", std::nullopt, 0}));
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.error().details.at(0).field, "title");

  const std::pair<std::string, std::string> raw[] = {
      {"", "body"},
      {"{not json", "body"},
      {"[1,2]", "body"},
      {R"({"title":"x","jobType":"general","city":"台北市","estimatedAmount":"3000"})",
       "estimatedAmount"},
      {R"({"title":5,"jobType":"general","city":"台北市"})", "title"},
      {R"({"title":"x","jobType":"general","city":null})", "city"}};
  for (const auto& [body, field] : raw) {
    auto r = h.Raw(core::Method::kPost, "/api/jobs", h.Credentials(), body);
    EXPECT_EQ(r.status, 400) << body;
    core::Error e = ParseError(r);
    EXPECT_EQ(e.code, "VALIDATION_ERROR") << body;
    ASSERT_FALSE(e.details.empty()) << body;
    EXPECT_EQ(e.details[0].field, field) << body;
  }
}

TEST(FindhelperMock, ReadOnlyKeyMayReadButNotWrite) {
  Harness h;
  auto client = h.MakeClient("read_only_key", "read_only_secret");
  EXPECT_TRUE(Wait(client.ListJobs()).ok());
  auto write = Wait(client.CreateJob(SeedJob()));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().http_status, 403);
  EXPECT_EQ(write.error().code, "FORBIDDEN");
  // The scope is checked before the body: even a broken body gets the 403.
  auto r =
      h.Raw(core::Method::kPost, "/api/jobs",
            {{"X-API-Key", h.Fix("read_only_key")}, {"X-API-Secret", h.Fix("read_only_secret")}},
            "{broken");
  EXPECT_EQ(r.status, 403);
}

TEST(FindhelperMock, EveryCredentialProblemIsUnauthorized) {
  Harness h;
  const std::string key = h.Fix("api_key");
  const std::string secret = h.Fix("api_secret");
  const core::Headers cases[] = {
      {},
      {{"X-API-Key", key}},
      {{"X-API-Secret", secret}},
      {{"X-API-Key", key}, {"X-API-Secret", ""}},
      {{"X-API-Key", key}, {"X-API-Secret", h.Fix("second_account_secret")}},
      {{"X-API-Key", "fh_key_unknown_000000000000"}, {"X-API-Secret", secret}},
      {{"X-API-Key", h.Fix("expired_key")}, {"X-API-Secret", h.Fix("expired_secret")}},
      {{"Authorization", "Bearer " + key}},
  };
  for (const auto& headers : cases) {
    for (const char* target : {"/api/jobs", "/api/jobs/123"}) {
      auto r = h.Raw(core::Method::kGet, target, headers);
      EXPECT_EQ(r.status, 401) << target;
      EXPECT_EQ(Harness::CodeOf(r), "UNAUTHORIZED");
      EXPECT_EQ(r.body.find(secret), std::string::npos) << "never echo a secret";
    }
  }
  auto expired = Wait(h.MakeClient("expired_key", "expired_secret").CreateJob(SeedJob()));
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().kind, core::ErrorKind::kUnauthorized);
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos);
}

TEST(FindhelperMock, KeyExpiryReadsTheMockClock) {
  const auto expires = core::ParseIso8601(Harness().Fix("expired_at"));
  ASSERT_TRUE(expires.has_value());
  Harness h(HarnessOptions{.start = *expires - std::chrono::minutes(1)});
  auto client = h.MakeClient("expired_key", "expired_secret");
  EXPECT_TRUE(Wait(client.ListJobs()).ok()) << "still valid a minute before";
  h.server->AdvanceClock(std::chrono::minutes(1));
  auto after = Wait(client.ListJobs());
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, "UNAUTHORIZED");
}

TEST(FindhelperMock, SixtyFirstRequestInAMinuteIsRefusedUntilTheMinuteTurns) {
  Harness h;
  h.clock->Advance(std::chrono::seconds(10));  // 00:00:10, 50 s before the window turns
  auto client = h.Main();
  for (int i = 1; i <= 60; ++i) {
    // Every endpoint counts against the same key.
    auto r = i % 3 == 0 ? Wait(client.GetJob(h.Id("job_id"))).ok() : Wait(client.ListJobs()).ok();
    ASSERT_TRUE(r) << "request " << i;
  }
  auto refused = Wait(client.ListJobs());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, core::ErrorKind::kRateLimited);
  EXPECT_EQ(refused.error().code, "TOO_MANY_REQUESTS");
  EXPECT_EQ(refused.error().retry_after, std::chrono::seconds(50));
  EXPECT_EQ(refused.meta().headers.GetOr("X-RateLimit-Remaining", ""), "0");
  // Refused requests are not counted, and the limit is per key: the other keys still pass.
  EXPECT_FALSE(Wait(client.CreateJob(SeedJob())).ok());
  EXPECT_TRUE(Wait(h.Partner().ListJobs()).ok());
  EXPECT_TRUE(Wait(h.MakeClient("read_only_key", "read_only_secret").ListJobs()).ok());

  h.server->AdvanceClock(std::chrono::seconds(49));
  EXPECT_FALSE(Wait(client.ListJobs()).ok()) << "00:00:59 is the same minute";
  h.server->AdvanceClock(std::chrono::seconds(1));
  auto again = Wait(client.ListJobs());
  ASSERT_TRUE(again.ok()) << again.error().Describe();
  EXPECT_EQ(again.meta().headers.GetOr("X-RateLimit-Remaining", ""), "59");
}

TEST(FindhelperMock, TenThousandAndFirstRequestInADayIsRefusedUntilMidnight) {
  Harness h;
  const core::Headers credentials = h.Credentials();
  int sent = 0;
  // 60 a minute, minute after minute: 10,000 requests take 167 minutes of the same UTC day.
  while (sent < 10000) {
    for (int i = 0; i < 60 && sent < 10000; ++i, ++sent) {
      auto r = h.Raw(core::Method::kGet, "/api/jobs?pageSize=1", credentials);
      ASSERT_EQ(r.status, 200) << "request " << sent + 1;
    }
    h.clock->Advance(std::chrono::minutes(1));
  }
  auto refused = Wait(h.Main().ListJobs());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "TOO_MANY_REQUESTS");
  EXPECT_NE(refused.error().message.find("per day"), std::string::npos) << refused.error().message;
  const auto now = h.clock->Now();
  const auto midnight = core::WindowEnd(core::WindowUnit::kDay, now);
  EXPECT_EQ(refused.error().retry_after, std::chrono::ceil<std::chrono::seconds>(midnight - now));
  // A fresh minute does not help; the next UTC day does.
  h.server->AdvanceClock(std::chrono::minutes(5));
  EXPECT_FALSE(Wait(h.Main().ListJobs()).ok());
  h.clock->AdvanceTo(midnight);
  EXPECT_TRUE(Wait(h.Main().ListJobs()).ok());
}

TEST(FindhelperMock, RateSettingsApplyAtOnceAndLimitsCanBeSwitchedOff) {
  Harness h;
  ASSERT_EQ(h.server->ApplySettings("findhelper", {{"requests_per_minute", 3}}), std::nullopt);
  auto client = h.Main();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Wait(client.ListJobs()).ok());
  EXPECT_EQ(Wait(client.ListJobs()).error().http_status, 429);
  h.server->set_limits_enabled(false);
  EXPECT_TRUE(Wait(client.ListJobs()).ok());
}

TEST(FindhelperMock, BadSettingsChangeNothing) {
  Harness h;
  const Json before = *h.server->Settings("findhelper");
  EXPECT_EQ(before["requests_per_minute"], 60);
  EXPECT_EQ(before["requests_per_day"], 10000);
  EXPECT_EQ(before["max_response_bytes"], 10 * 1024 * 1024);
  const Json bad[] = {
      {{"requests_per_minute", 10}, {"colour", "blue"}},
      {{"requests_per_minute", 10}, {"requests_per_day", 0}},
      {{"requests_per_minute", "10"}},
      {{"max_response_bytes", 10 * 1024 * 1024 + 1}},
      {{"max_response_bytes", 100}},
      Json::array(),
  };
  for (const auto& patch : bad) {
    EXPECT_NE(h.server->ApplySettings("findhelper", patch), std::nullopt) << patch.dump();
    EXPECT_EQ(*h.server->Settings("findhelper"), before) << patch.dump();
  }
  h.server->Reset();
  EXPECT_EQ(*h.server->Settings("findhelper"), before);
}

// Worst-case jobs: every field at its limit in characters JSON escapes to 6 bytes.
NewJob HugeJob(int n) {
  std::string title =
      std::to_string(n) + std::string(kMaxTitleLength - std::to_string(n).size(), '\x01');
  return {title, "caregiving", std::string(kMaxCityLength, '\x02'),
          std::string(kMaxAddressLength, '\x03'), 1.2345678901234567e-3};
}

TEST(FindhelperMock, NoResponseExceedsTheCapAndPagingStillCoversEveryJob) {
  Harness h(HarnessOptions{.limits_enabled = false});
  auto client = h.Main();
  const int kJobs = 150;
  for (int i = 0; i < kJobs; ++i) ASSERT_TRUE(Wait(client.CreateJob(HugeJob(i))).ok()) << i;
  auto visible = Wait(client.ListAllJobs({.page_size = kMaxPageSize}));
  ASSERT_TRUE(visible.ok()) << visible.error().Describe();
  const std::size_t total = visible->size();
  ASSERT_GE(total, static_cast<std::size_t>(kJobs));

  // Default cap: a full page of the largest jobs is far below 10 MB.
  auto full = h.Raw(core::Method::kGet, "/api/jobs?pageSize=100", h.Credentials());
  ASSERT_EQ(full.status, 200);
  EXPECT_LE(full.body.size(), kMaxResponseBytes);
  EXPECT_EQ(core::DecodeJson<JobPage>(full.body)->jobs.size(), 100u);

  // A lower cap: the page shrinks to what always fits, and says so.
  const std::size_t cap = 30000;
  ASSERT_EQ(h.server->ApplySettings("findhelper", {{"max_response_bytes", cap}}), std::nullopt);
  for (int p = 1; p <= 3; ++p) {
    auto r = h.Raw(core::Method::kGet, "/api/jobs?pageSize=100&page=" + std::to_string(p),
                   h.Credentials());
    ASSERT_EQ(r.status, 200);
    EXPECT_LE(r.body.size(), cap);
    auto page = core::DecodeJson<JobPage>(r.body);
    ASSERT_TRUE(page.ok());
    EXPECT_LT(page->pagination.page_size, 100);
    EXPECT_GT(page->pagination.page_size, 0);
    EXPECT_EQ(page->jobs.size(), static_cast<std::size_t>(page->pagination.page_size));
  }
  // Following the reported page size still returns every job exactly once, in order.
  auto capped = Wait(client.ListAllJobs({.page_size = kMaxPageSize}));
  ASSERT_TRUE(capped.ok()) << capped.error().Describe();
  EXPECT_EQ(Ids(*capped), Ids(*visible));
  const auto capped_ids = Ids(*capped);
  EXPECT_EQ(std::set<std::int64_t>(capped_ids.begin(), capped_ids.end()).size(), total);
  // At the smallest cap the mock accepts, a page holds one of the largest jobs, and it fits:
  // the worst-case bound behind the page sizes is not an underestimate.
  const std::size_t smallest = h.fix["min_response_bytes"].get<std::size_t>();
  EXPECT_NE(h.server->ApplySettings("findhelper", {{"max_response_bytes", smallest - 1}}),
            std::nullopt);
  ASSERT_EQ(h.server->ApplySettings("findhelper", {{"max_response_bytes", smallest}}),
            std::nullopt);
  auto single =
      h.Raw(core::Method::kGet, "/api/jobs?pageSize=100&jobType=caregiving", h.Credentials());
  ASSERT_EQ(single.status, 200) << single.body.substr(0, 200);
  EXPECT_LE(single.body.size(), smallest);
  auto one = core::DecodeJson<JobPage>(single.body);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->pagination.page_size, 1);
  ASSERT_EQ(one->jobs.size(), 1u);
  EXPECT_EQ(one->jobs[0].address->size(), kMaxAddressLength);
  auto get =
      h.Raw(core::Method::kGet, "/api/jobs/" + std::to_string(one->jobs[0].id), h.Credentials());
  EXPECT_EQ(get.status, 200);
  EXPECT_LE(get.body.size(), smallest);
}

TEST(FindhelperMock, StateSurvivesARestart) {
  Harness h;
  auto created = Wait(h.Main().CreateJob(SeedJob()));
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(h.server->ApplySettings("findhelper", {{"requests_per_minute", 30}}), std::nullopt);
  const Json state = h.server->State();

  Harness restarted;
  ASSERT_EQ(restarted.server->LoadState(state), std::nullopt);
  auto read = Wait(restarted.Main().GetJob(created->id));
  ASSERT_TRUE(read.ok()) << read.error().Describe();
  EXPECT_EQ(*read, *created);
  EXPECT_EQ((*restarted.server->Settings("findhelper"))["requests_per_minute"], 30);
  auto next = Wait(restarted.Main().CreateJob(SeedJob()));
  ASSERT_TRUE(next.ok());
  EXPECT_GT(next->id, created->id);
  // The other account's draft stays the other account's.
  EXPECT_EQ(Wait(restarted.Main().GetJob(h.Id("forbidden_job_id"))).error().http_status, 403);
}

TEST(FindhelperMock, BrokenStateIsRefusedWhole) {
  Harness h;
  const Json before = h.server->State()["findhelper"];
  Json state = before;
  state["jobs"].push_back({{"id", 5000},
                           {"title", "x"},
                           {"jobType", "general"},
                           {"city", "台北市"},
                           {"status", "published"},
                           {"createdAt", "yesterday"},
                           {"account", "acct_demo"}});
  Json bad_account = before;
  bad_account["jobs"][0]["account"] = "acct_nobody";
  Json bad_type = before;
  bad_type["jobs"][0]["jobType"] = "plumbing";
  Json bad_settings = before;
  bad_settings["settings"]["requests_per_day"] = -5;
  for (const Json& s : {state, bad_account, bad_type, bad_settings, Json("jobs")}) {
    EXPECT_NE(h.server->LoadState({{"findhelper", s}}), std::nullopt) << s.dump().substr(0, 80);
    EXPECT_EQ(h.server->State()["findhelper"], before);
  }
}

TEST(FindhelperMock, ForcedStatusesAndFaultsUseTheErrorShape) {
  Harness h;
  auto client = h.Main();
  RequestOptions forced;
  forced.headers.Set("Prefer", "code=404");
  auto r = Wait(client.GetJob(h.Id("job_id"), forced));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "NOT_FOUND");
  EXPECT_EQ(r.error().message, "forced by Prefer: code=404");

  h.server->ForceStatus(503);
  auto unavailable = Wait(client.ListJobs());
  ASSERT_FALSE(unavailable.ok());
  EXPECT_EQ(unavailable.error().kind, core::ErrorKind::kServerError);
  EXPECT_EQ(unavailable.error().code, "SERVICE_UNAVAILABLE");

  mock::FaultRule fault;
  fault.action = mock::FaultAction::kStatus;
  fault.status = 500;
  fault.times = 1;
  h.server->AddFault(fault);
  auto internal = Wait(client.CreateJob(SeedJob()));
  ASSERT_FALSE(internal.ok());
  EXPECT_EQ(internal.error().code, "INTERNAL_SERVER_ERROR");
  EXPECT_TRUE(Wait(client.CreateJob(SeedJob())).ok()) << "the fault applied once";
}

TEST(FindhelperMock, SecretsStayOutOfTheJournal) {
  Harness h;
  (void)Wait(h.Main().ListJobs());
  (void)Wait(h.MakeClient("api_key", "expired_secret").ListJobs());
  const std::string journal = [&] {
    std::string all;
    for (const auto& e : h.server->Journal()) all += mock::ToJson(e).dump();
    return all;
  }();
  ASSERT_FALSE(journal.empty());
  for (const char* role : {"api_key", "api_secret", "expired_secret"}) {
    EXPECT_EQ(journal.find(h.Fix(role)), std::string::npos) << role;
  }
}

TEST(FindhelperMock, HostileInputGetsADocumentedAnswer) {
  Harness h;
  std::string deep(100000, '[');
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  const std::string bodies[] = {deep,
                                bytes,
                                std::string(3 * 1024 * 1024, 'x'),
                                "\xff\xfe{}",
                                R"({"title":"\ud800","jobType":"general","city":"x"})",
                                R"({"title":{"a":1},"jobType":["general"],"city":1e999})"};
  for (const auto& body : bodies) {
    auto r = h.Raw(core::Method::kPost, "/api/jobs", h.Credentials(), body);
    EXPECT_EQ(r.status, 400) << body.substr(0, 40);
    EXPECT_EQ(Harness::CodeOf(r), "VALIDATION_ERROR");
  }
  const std::string targets[] = {
      "/api/jobs?page=%zz&pageSize=%00", "/api/jobs/%00", "/api/jobs/" + bytes.substr(48, 10),
      "/api/jobs?city=" + std::string(5000, 'a'), "/api/jobs?" + bytes.substr(33, 60)};
  for (const auto& target : targets) {
    auto r = h.Raw(core::Method::kGet, target, h.Credentials());
    EXPECT_TRUE(r.status == 200 || r.status == 400 || r.status == 404) << target << " " << r.status;
    EXPECT_FALSE(Harness::CodeOf(r).empty() && r.status != 200) << target;
  }
  auto weird =
      h.Raw(core::Method::kGet, "/api/jobs", {{"X-API-Key", bytes}, {"X-API-Secret", deep}});
  EXPECT_EQ(weird.status, 401);
}

}  // namespace
}  // namespace restbox::findhelper
