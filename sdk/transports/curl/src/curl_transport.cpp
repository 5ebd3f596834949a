#include "restbox/transports/curl_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace restbox::transports {
namespace {

// curl_global_init must run once before any other curl call; this libcurl (7.88, "threadsafe")
// makes it safe from any thread, and call_once keeps older ones safe too. curl_global_cleanup is
// never called: other code in the process may use libcurl after us.
void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool HasLineBreakOrNul(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

core::ErrorKind KindOf(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:  // the connection closed before the whole body arrived
      return core::ErrorKind::kConnection;
    case CURLE_OPERATION_TIMEDOUT:
      return core::ErrorKind::kTimeout;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return core::ErrorKind::kInvalidArgument;
    default:  // TLS failures, malformed HTTP, HTTP/2 framing, and anything else curl reports
      return core::ErrorKind::kProtocol;
  }
}

}  // namespace

// One request from Send() to its completion. Owned by the engine; the easy handle points at it.
struct Job {
  std::uint64_t id = 0;
  core::HttpRequest request;
  core::Duration timeout{0};
  std::shared_ptr<core::CancellationSource> cancellation;
  std::uint64_t cancel_id = 0;
  core::TransportCompletion completion;

  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  core::HttpResponse response;  // status and headers are filled in when the transfer ends
  std::vector<core::Headers::Field> header_fields;
  std::size_t max_body = 0;  // CurlOptions::max_response_bytes (0: none)
  bool body_too_large = false;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

struct CurlTransport::Engine : std::enable_shared_from_this<Engine> {
  explicit Engine(CurlOptions o) : options(std::move(o)) {}

  CurlOptions options;
  std::atomic<std::uint64_t> next_id{1};
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> connections_opened{0};

  // Shared with Send() and cancellation callbacks, under `mutex`. `multi` is only used here to
  // wake the worker, and is null once the worker has cleaned it up.
  std::mutex mutex;
  CURLM* multi = nullptr;
  bool stopping = false;
  std::vector<std::unique_ptr<Job>> incoming;
  std::vector<std::uint64_t> cancels;
  std::thread worker;

  // Worker thread only.
  std::map<std::uint64_t, std::unique_ptr<Job>> active;
  std::vector<CURL*> idle_handles;

  void Start() {
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.max_cached_connections);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    // The worker holds the engine alive: a transport destroyed from a completion (on the worker)
    // detaches instead of joining itself, and the worker cleans up on its own.
    worker = std::thread([self = shared_from_this()] { self->Run(); });
  }

  // Wakes the worker; caller holds `mutex`.
  void WakeLocked() {
    if (multi) curl_multi_wakeup(multi);
  }

  void RequestCancel(std::uint64_t id) {
    std::lock_guard lock(mutex);
    if (!multi) return;
    cancels.push_back(id);
    WakeLocked();
  }

  void Run() {
    bool stop = false;
    while (!stop) {
      std::vector<std::unique_ptr<Job>> new_jobs;
      std::vector<std::uint64_t> new_cancels;
      {
        std::lock_guard lock(mutex);
        new_jobs.swap(incoming);
        new_cancels.swap(cancels);
        stop = stopping;
      }
      if (stop) {
        for (auto& job : new_jobs) {
          Complete(std::move(job),
                   core::MakeError(core::ErrorKind::kCancelled, "the transport was destroyed"));
        }
        break;
      }
      // New jobs first: a cancellation may name a job that arrived in the same batch.
      for (auto& job : new_jobs) Begin(std::move(job));
      for (auto id : new_cancels) {
        auto it = active.find(id);
        if (it == active.end()) continue;  // already completed: the answer won the race
        auto job = std::move(it->second);
        active.erase(it);
        Detach(*job);
        Complete(std::move(job), core::MakeError(core::ErrorKind::kCancelled, "cancelled"));
      }
      int running = 0;
      curl_multi_perform(multi, &running);
      int left = 0;
      while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
        if (message->msg != CURLMSG_DONE) continue;
        Finish(message->easy_handle, message->data.result);
      }
      // Sleeps until a socket is ready, curl's next timer, or a wakeup (new job, cancel, stop).
      // With a per-host connection limit, libcurl 7.88 sometimes leaves a queued transfer asleep
      // when a connection frees up (it would wait for the 1 s cap); a short cap while transfers
      // are in flight bounds that.
      const int max_wait_ms = options.max_host_connections > 0 && !active.empty() ? 50 : 1000;
      curl_multi_poll(multi, nullptr, 0, max_wait_ms, nullptr);
    }
    // Shutdown: everything still in flight ends as cancelled.
    auto remaining = std::move(active);
    active.clear();
    for (auto& [id, job] : remaining) {
      Detach(*job);
      Complete(std::move(job),
               core::MakeError(core::ErrorKind::kCancelled, "the transport was destroyed"));
    }
    for (CURL* easy : idle_handles) curl_easy_cleanup(easy);
    idle_handles.clear();
    CURLM* to_clean = nullptr;
    std::vector<std::unique_ptr<Job>> late;
    {
      std::lock_guard lock(mutex);
      to_clean = multi;
      multi = nullptr;
      late.swap(incoming);  // none expected: Send() refuses once stopping is set
    }
    for (auto& job : late) {
      Complete(std::move(job),
               core::MakeError(core::ErrorKind::kCancelled, "the transport was destroyed"));
    }
    curl_multi_cleanup(to_clean);
  }

  CURL* TakeHandle() {
    if (idle_handles.empty()) return curl_easy_init();
    CURL* easy = idle_handles.back();
    idle_handles.pop_back();
    curl_easy_reset(easy);  // keeps nothing of the previous request but the caches
    return easy;
  }

  void ReturnHandle(CURL* easy) {
    if (idle_handles.size() < options.max_idle_handles) {
      idle_handles.push_back(easy);
    } else {
      curl_easy_cleanup(easy);
    }
  }

  // Removes the job's transfer from the multi handle and recycles its easy handle.
  void Detach(Job& job) {
    if (!job.easy) return;
    curl_multi_remove_handle(multi, job.easy);
    ReturnHandle(job.easy);
    job.easy = nullptr;
  }

  void Complete(std::unique_ptr<Job> job, core::Result<core::HttpResponse> outcome) {
    if (job->header_list) curl_slist_free_all(job->header_list);
    job->header_list = nullptr;
    if (job->cancellation && job->cancel_id) job->cancellation->Unregister(job->cancel_id);
    auto completion = std::move(job->completion);
    job.reset();
    ++completed;
    completion(std::move(outcome));
  }

  static std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* job = static_cast<Job*>(user);
    const std::size_t n = size * count;
    if (job->max_body != 0 && n > job->max_body - job->response.body.size()) {
      job->body_too_large = true;
      return CURL_WRITEFUNC_ERROR;  // curl stops the transfer (CURLE_WRITE_ERROR)
    }
    job->response.body.append(data, n);
    return n;
  }

  static std::string TooLargeMessage(std::size_t limit) {
    return "response body larger than the " + std::to_string(limit) +
           "-byte limit (CurlOptions::max_response_bytes)";
  }

  // One header line at a time, status lines included. A new status line starts a new response
  // (an interim 1xx), so only the final response's fields are kept.
  static std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* job = static_cast<Job*>(user);
    std::string_view line(data, size * count);
    auto& fields = job->header_fields;
    if (line.rfind("HTTP/", 0) == 0) {
      fields.clear();
    } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      // obs-fold: a continuation of the previous field's value.
      auto more = Trim(line);
      if (!more.empty() && !fields.empty()) fields.back().second.append(" ").append(more);
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      auto name = Trim(line.substr(0, colon));
      if (!name.empty()) fields.emplace_back(name, Trim(line.substr(colon + 1)));
    }  // else: the blank line that ends the header section
    return line.size();
  }

  // Returns "" or why the request cannot be sent.
  std::string Configure(Job& job) {
    CURL* easy = job.easy;
    const core::HttpRequest& request = job.request;
    for (const auto& [name, value] : request.headers) {
      if (name.empty() || HasLineBreakOrNul(name) || HasLineBreakOrNul(value) ||
          name.find(':') != std::string::npos)
        return "header field \"" + name + "\" has a character HTTP does not allow";
    }
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &job);
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, job.error_buffer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Engine::OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &job);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Engine::OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &job);
    curl_easy_setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    job.max_body = options.max_response_bytes;
    // A Content-Length over the limit fails before any of the body is read.
    if (job.max_body != 0)
      curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(job.max_body));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(job.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(job.timeout, options.connect_timeout).count()));
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options.insecure_skip_verify ? 0L : 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options.insecure_skip_verify ? 0L : 2L);
    if (!options.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str());
    if (!options.ca_path.empty()) curl_easy_setopt(easy, CURLOPT_CAPATH, options.ca_path.c_str());
    // Left unset, libcurl reads http_proxy/https_proxy/all_proxy/no_proxy from the environment.
    if (options.proxy) curl_easy_setopt(easy, CURLOPT_PROXY, options.proxy->c_str());
    if (options.no_proxy) curl_easy_setopt(easy, CURLOPT_NOPROXY, options.no_proxy->c_str());

    const std::string_view method = core::ToString(request.method);
    const bool has_body = !request.body.empty();
    bool sends_body = false;
    switch (request.method) {
      case core::Method::kHead:
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
        break;
      case core::Method::kPost:
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
        sends_body = true;
        break;
      case core::Method::kGet:
        if (!has_body) {
          curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
          break;
        }
        [[fallthrough]];
      default:
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());
        // PUT and PATCH always carry a body (Content-Length: 0 when empty); others only when set.
        sends_body = has_body || request.method == core::Method::kPut ||
                     request.method == core::Method::kPatch;
        break;
    }
    if (sends_body) {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    }

    curl_slist* list = nullptr;
    auto append = [&list](const std::string& line) {
      curl_slist* next = curl_slist_append(list, line.c_str());
      if (next) list = next;
      return next != nullptr;
    };
    bool ok = true;
    for (const auto& [name, value] : request.headers) {
      // "Name;" is curl's spelling of a field with an empty value ("Name:" would remove it).
      ok = ok && append(value.empty() ? name + ";" : name + ": " + value);
    }
    // Without these, curl would label a raw body as a form and wait for "100 Continue" before
    // sending a large one.
    if (sends_body && !request.headers.Has("Content-Type")) ok = ok && append("Content-Type:");
    if (!request.headers.Has("Expect")) ok = ok && append("Expect:");
    job.header_list = list;
    if (!ok) return "out of memory building the header list";
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);
    return {};
  }

  void Begin(std::unique_ptr<Job> job) {
    if (job->cancellation && job->cancellation->cancelled()) {
      Complete(std::move(job), core::MakeError(core::ErrorKind::kCancelled, "cancelled"));
      return;
    }
    job->easy = TakeHandle();
    if (!job->easy) {
      Complete(std::move(job), core::MakeError(core::ErrorKind::kProtocol,
                                               "curl_easy_init failed (out of memory)"));
      return;
    }
    std::string problem = Configure(*job);
    if (!problem.empty()) {
      ReturnHandle(job->easy);
      job->easy = nullptr;
      Complete(std::move(job), core::MakeError(core::ErrorKind::kInvalidArgument, problem));
      return;
    }
    CURLMcode added = curl_multi_add_handle(multi, job->easy);
    if (added != CURLM_OK) {
      ReturnHandle(job->easy);
      job->easy = nullptr;
      Complete(std::move(job),
               core::MakeError(core::ErrorKind::kProtocol, curl_multi_strerror(added)));
      return;
    }
    auto id = job->id;
    active.emplace(id, std::move(job));
  }

  void Finish(CURL* easy, CURLcode code) {
    Job* raw = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, reinterpret_cast<char**>(&raw));
    auto it = raw ? active.find(raw->id) : active.end();
    if (it == active.end()) return;
    auto job = std::move(it->second);
    active.erase(it);
    long connects = 0;
    if (curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0)
      connections_opened += static_cast<std::uint64_t>(connects);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    Detach(*job);
    if (job->body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
      Complete(std::move(job), core::MakeError(core::ErrorKind::kProtocol,
                                               TooLargeMessage(options.max_response_bytes)));
      return;
    }
    if (code != CURLE_OK) {
      std::string message = curl_easy_strerror(code);
      if (job->error_buffer[0] != '\0') message += std::string(": ") + job->error_buffer;
      Complete(std::move(job), core::MakeError(KindOf(code), std::move(message)));
      return;
    }
    job->response.status = static_cast<int>(status);
    for (auto& [name, value] : job->header_fields) job->response.headers.Add(name, value);
    auto response = std::move(job->response);
    Complete(std::move(job), std::move(response));
  }
};

CurlTransport::CurlTransport(CurlOptions options)
    : engine_(std::make_shared<Engine>(std::move(options))) {
  GlobalInit();
  engine_->Start();
}

CurlTransport::~CurlTransport() {
  {
    std::lock_guard lock(engine_->mutex);
    engine_->stopping = true;
    engine_->WakeLocked();
  }
  if (engine_->worker.get_id() == std::this_thread::get_id()) {
    engine_->worker.detach();
  } else if (engine_->worker.joinable()) {
    engine_->worker.join();
  }
}

void CurlTransport::Send(core::HttpRequest request, const core::Context& context,
                         core::TransportCompletion completion) {
  if (context.cancelled()) {
    completion(core::MakeError(core::ErrorKind::kCancelled, "cancelled before sending"));
    return;
  }
  auto job = std::make_unique<Job>();
  job->id = engine_->next_id++;
  job->request = std::move(request);
  // curl reads a zero timeout as "none": the shortest real timeout is 1 ms.
  job->timeout = std::max(context.TimeoutOr(engine_->options.default_timeout), core::Duration(1));
  job->cancellation = context.cancellation;
  // A plain completion: only the worker ever calls it, once, when it retires the job.
  job->completion = std::move(completion);
  if (job->cancellation) {
    // Registered before the job is queued; the worker also checks the flag when it starts the
    // job, so a cancellation that lands in between is never lost.
    std::weak_ptr<Engine> weak = engine_;
    auto id = job->id;
    job->cancel_id = job->cancellation->OnCancel([weak, id] {
      if (auto engine = weak.lock()) engine->RequestCancel(id);
    });
  }
  std::unique_lock lock(engine_->mutex);
  if (engine_->stopping || !engine_->multi) {
    lock.unlock();
    if (job->cancellation && job->cancel_id) job->cancellation->Unregister(job->cancel_id);
    job->completion(core::MakeError(core::ErrorKind::kCancelled, "the transport is shutting down"));
    return;
  }
  engine_->incoming.push_back(std::move(job));
  engine_->WakeLocked();
}

CurlStats CurlTransport::Stats() const {
  return {engine_->completed.load(), engine_->connections_opened.load()};
}

}  // namespace restbox::transports
