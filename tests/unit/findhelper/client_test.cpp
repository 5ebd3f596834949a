// The typed client: client-side validation gives the server's own error without sending, secrets
// never reach logs or error messages, ListAllJobs stops at errors, and the opt-in client-side
// windows keep a client under the server's limits.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

namespace restbox::findhelper {
namespace {

using test_support::Harness;
using test_support::Wait;

Client WithValidation(const Harness& h) {
  ClientOptions o = h.Options("api_key", "api_secret");
  o.client_validation = true;
  return Client(o);
}

TEST(FindhelperClient, ValidationRefusesWithTheServersOwnError) {
  Harness h;
  auto checked = WithValidation(h);
  auto unchecked = h.Main();
  const NewJob bad[] = {
      {"", "general", "台北市", std::nullopt, std::nullopt},
      {"居家清潔", "gardening", "台北市", std::nullopt, -5},
      {"居家清潔", "general", std::string(21, 'c'), std::string(201, 'a'), 1e9},
  };
  for (const NewJob& job : bad) {
    h.server->ClearJournal();
    auto local = Wait(checked.CreateJob(job));
    ASSERT_FALSE(local.ok());
    EXPECT_EQ(local.error().kind, core::ErrorKind::kClientValidation);
    EXPECT_EQ(local.error().http_status, 0);
    EXPECT_TRUE(h.server->Journal().empty()) << "nothing was sent";

    auto remote = Wait(unchecked.CreateJob(job));
    ASSERT_FALSE(remote.ok());
    EXPECT_EQ(remote.error().kind, core::ErrorKind::kBadRequest);
    EXPECT_EQ(local.error().code, remote.error().code);
    EXPECT_EQ(local.error().message, "not sent: " + remote.error().message);
    EXPECT_EQ(local.error().details, remote.error().details);
  }
  const JobQuery bad_queries[] = {
      {.page_size = 0}, {.page_size = 101}, {.page = 0}, {.status = "archived"}, {.city = ""}};
  for (const JobQuery& q : bad_queries) {
    auto local = Wait(checked.ListJobs(q));
    auto remote = Wait(unchecked.ListJobs(q));
    ASSERT_FALSE(local.ok());
    ASSERT_FALSE(remote.ok());
    EXPECT_EQ(local.error().kind, core::ErrorKind::kClientValidation);
    EXPECT_EQ(local.error().message, "not sent: " + remote.error().message);
    EXPECT_EQ(local.error().details, remote.error().details);
  }
  // Valid requests go through untouched.
  EXPECT_TRUE(Wait(checked.CreateJob({"居家清潔", "general", "台北市", std::nullopt, 0})).ok());
  EXPECT_TRUE(Wait(checked.ListJobs({.page = 2, .page_size = kMaxPageSize})).ok());
}

TEST(FindhelperClient, SecretsNeverReachLogsOrErrors) {
  Harness h;
  std::vector<std::string> lines;
  ClientOptions o = h.Options("api_key", "api_secret");
  o.logger = [&lines](core::LogLevel, std::string_view line) { lines.emplace_back(line); };
  o.log_bodies = true;
  Client client(o);
  ASSERT_TRUE(Wait(client.ListJobs({.city = "台北市"})).ok());

  ClientOptions wrong = o;
  wrong.api_secret = "fh_secret_wrong_0123456789abcdef";
  auto refused = Wait(Client(wrong).GetJob(123));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "UNAUTHORIZED");

  ASSERT_FALSE(lines.empty());
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  for (const std::string& secret : {h.Fix("api_key"), h.Fix("api_secret"), wrong.api_secret}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret;
    EXPECT_EQ(refused.error().message.find(secret), std::string::npos);
    EXPECT_EQ(refused.error().raw_body.find(secret), std::string::npos);
  }
}

TEST(FindhelperClient, ListAllJobsEndsWithTheFirstError) {
  Harness h;
  auto client = h.Main();
  ASSERT_EQ(h.server->ApplySettings("findhelper", {{"requests_per_minute", 2}}), std::nullopt);
  auto all = Wait(client.ListAllJobs({.page_size = 3}));
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.error().code, "TOO_MANY_REQUESTS") << "the third page is the third request";

  h.server->AdvanceClock(std::chrono::minutes(1));
  ASSERT_EQ(h.server->ApplySettings("findhelper", {{"requests_per_minute", 60}}), std::nullopt);
  auto capped = Wait(client.ListAllJobs({.page_size = 1}, {.max_pages = 2}));
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.error().kind, core::ErrorKind::kInvalidArgument);

  auto everything = Wait(client.ListAllJobs({.page_size = 4}));
  ASSERT_TRUE(everything.ok());
  auto one_page = Wait(client.ListJobs({.page_size = kMaxPageSize}));
  ASSERT_TRUE(one_page.ok());
  EXPECT_EQ(*everything, one_page->jobs);
}

TEST(FindhelperClient, ClientSideWindowsRefuseTheSixtyFirstWithoutSending) {
  Harness h;
  ClientOptions o = h.Options("api_key", "api_secret");
  o.rate_limit.windows = RateWindows();
  o.rate_limit.mode = core::RateLimitMode::kFail;
  Client client(o);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(Wait(client.ListJobs()).ok()) << i;
  h.server->ClearJournal();
  auto refused = Wait(client.ListJobs());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, core::ErrorKind::kClientRateLimited);
  EXPECT_TRUE(refused.error().not_sent);
  EXPECT_TRUE(refused.error().message.starts_with("not sent: ")) << refused.error().message;
  EXPECT_TRUE(h.server->Journal().empty());
  h.server->AdvanceClock(std::chrono::minutes(1));
  EXPECT_TRUE(Wait(client.ListJobs()).ok());
}

TEST(FindhelperClient, ListAllJobsOutlivesItsClient) {
  Harness h;
  mock::FaultRule slow;
  slow.match.service = "findhelper";
  slow.action = mock::FaultAction::kLatency;
  slow.latency = core::Duration(1000);
  h.server->AddFault(slow);
  auto client = std::make_unique<Client>(h.Options("api_key", "api_secret"));
  auto all = client->ListAllJobs({.page_size = 5});
  client.reset();  // every later page is fetched through the walk's own copy of the client
  for (int i = 0; i < 10 && !all.ready(); ++i) h.clock->Advance(core::Duration(1000));
  auto r = Wait(std::move(all));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_GT(r->size(), 5u);  // more than one page
}

TEST(FindhelperClient, ServiceCodesAreInMeta) {
  Harness h;
  auto client = h.Main();
  auto job = Wait(client.GetJob(h.Id("job_id")));
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job.meta().service_code, "");  // a success body carries no code
  auto missing = Wait(client.GetJob(h.Id("not_found_job_id")));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.meta().service_code, "NOT_FOUND");
  EXPECT_EQ(missing.meta().service_code, missing.error().code);
  EXPECT_EQ(missing.meta().service_message, missing.error().message);
}

}  // namespace
}  // namespace restbox::findhelper
