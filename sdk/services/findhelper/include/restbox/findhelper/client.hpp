#pragma once
// The typed findhelper (找幫手) client.
//
//   restbox::findhelper::ClientOptions o;
//   o.transport = ...; o.api_key = "…"; o.api_secret = "…";
//   o.rate_limit.windows = restbox::findhelper::RateWindows();  // optional: stay under 60/min
//   restbox::findhelper::Client client(o);
//   auto page = client.ListJobs({.city = "台北市"}).Get();      // native blocking
//   client.GetJob(123).Then([](auto r) { ... });                // async, everywhere
//
// Every request carries X-API-Key and X-API-Secret; both are redacted from logs and from error
// messages. Client-side validation (ClientOptions::client_validation, default on) refuses a
// request the server would answer 400 with the server's own VALIDATION_ERROR (kind
// kClientValidation, not_sent, same code and details, the server's message after "not sent: "),
// without sending it. meta().service_code is the error code of a failure the server answered
// ("" on success), like every client's envelope facts.

#include <cstdint>
#include <string>
#include <vector>

#include "restbox/core/client.hpp"
#include "restbox/findhelper/models.hpp"
#include "restbox/findhelper/spec.hpp"

namespace restbox::findhelper {

struct ClientOptions : core::ClientOptions {
  std::string api_key;     // sent as X-API-Key (a secret). Required by the server.
  std::string api_secret;  // sent as X-API-Secret (a secret). Required by the server.
};

// Per-call options: a context (timeout, cancellation) and extra headers.
using RequestOptions = core::RequestOptions;

struct ListAllOptions {
  RequestOptions request;
  // Stop (kInvalidArgument) rather than fetch more than this many pages. Default 1000.
  int max_pages = 1000;
};

class Client final : public core::ServiceClient {
 public:
  explicit Client(ClientOptions options);

  // GET /api/jobs: one page of the jobs the key's account may see (every non-draft job, plus its
  // own drafts), newest first.
  core::Future<JobPage> ListJobs(const JobQuery& query = {}, const RequestOptions& options = {});
  // GET /api/jobs/{id}.
  core::Future<Job> GetJob(std::int64_t id, const RequestOptions& options = {});
  // POST /api/jobs: answers 201 with the job, status "published".
  core::Future<Job> CreateJob(const NewJob& job, const RequestOptions& options = {});

  // Follows the pages of `query` from query.page (default 1) to the last one, with the page size
  // the server reports, and returns every job in order (an answer without pagination metadata is
  // the whole list: no further page is asked for). Ends with the first error. Works on a
  // copy of this client, so it may outlive it.
  core::Future<std::vector<Job>> ListAllJobs(JobQuery query = {}, ListAllOptions options = {});

 private:
  core::CallSpec Base(std::string_view endpoint, const RequestOptions& options) const;
  // `self` is a copy of the client that started the walk (a call may outlive its client).
  static void NextPage(const std::shared_ptr<Client>& self,
                       const std::shared_ptr<core::Promise<std::vector<Job>>>& promise,
                       JobQuery query, ListAllOptions options, std::vector<Job> so_far,
                       int pages_left);
};

}  // namespace restbox::findhelper
