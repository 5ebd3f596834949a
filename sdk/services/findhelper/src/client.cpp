#include "restbox/findhelper/client.hpp"

namespace restbox::findhelper {
Client::Client(ClientOptions options)
    : core::ServiceClient(Spec(), options,
                          {std::move(options.api_key), std::move(options.api_secret)}) {}

core::CallSpec Client::Base(std::string_view endpoint, const RequestOptions& options) const {
  core::CallSpec call;
  call.endpoint = &Endpoint(endpoint);
  call.headers = options.headers;
  call.context = options.context;
  return call;
}

core::Future<JobPage> Client::ListJobs(const JobQuery& query, const RequestOptions& options) {
  core::CallSpec call = Base(kListJobs, options);
  call.query = query.ToQuery();
  return Call<JobPage>(std::move(call), &core::ConvertJson<JobPage>);
}

core::Future<Job> Client::GetJob(std::int64_t id, const RequestOptions& options) {
  core::CallSpec call = Base(kGetJob, options);
  call.path = {{"id", std::to_string(id)}};
  return Call<Job>(std::move(call), &ConvertData<Job>);
}

core::Future<Job> Client::CreateJob(const NewJob& job, const RequestOptions& options) {
  core::CallSpec call = Base(kCreateJob, options);
  call.body = core::Json(job);
  return Call<Job>(std::move(call), &ConvertData<Job>);
}

core::Future<std::vector<Job>> Client::ListAllJobs(JobQuery query, ListAllOptions options) {
  auto promise =
      std::make_shared<core::Promise<std::vector<Job>>>(options.request.context.cancellation);
  auto future = promise->GetFuture();
  int pages = options.max_pages;
  NextPage(std::make_shared<Client>(*this), promise, std::move(query), std::move(options), {},
           pages);
  return future;
}

void Client::NextPage(const std::shared_ptr<Client>& self,
                      const std::shared_ptr<core::Promise<std::vector<Job>>>& promise,
                      JobQuery query, ListAllOptions options, std::vector<Job> so_far,
                      int pages_left) {
  if (pages_left <= 0) {
    promise->Set(core::MakeError(core::ErrorKind::kInvalidArgument,
                                 "more than " + std::to_string(options.max_pages) + " pages"));
    return;
  }
  self->ListJobs(query, options.request)
      .Then([self, promise, query, options, so_far = std::move(so_far),
             pages_left](core::Result<JobPage> r) mutable {
        if (!r.ok()) {
          promise->Set(core::Result<std::vector<Job>>(r.error(), r.meta()));
          return;
        }
        const Pagination& p = r->pagination;
        so_far.insert(so_far.end(), r->jobs.begin(), r->jobs.end());
        // Without pagination metadata there is no next page to ask for.
        if (r->jobs.empty() || !r->paginated || p.page >= p.total_pages) {
          promise->Set(core::Result<std::vector<Job>>(std::move(so_far), r.meta()));
          return;
        }
        // The server may use a smaller page than asked (its response-size cap): continue with
        // the size it used, so no job is skipped.
        query.page = p.page + 1;
        query.page_size = p.page_size;
        NextPage(self, promise, std::move(query), std::move(options), std::move(so_far),
                 pages_left - 1);
      });
}

}  // namespace restbox::findhelper
