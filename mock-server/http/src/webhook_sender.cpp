#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "restbox/core/url.hpp"
#include "restbox/mock/http_front.hpp"

namespace restbox::mock {
namespace {

struct Job {
  WebhookRequest request;
  std::function<void(int)> done;
};

// One POST; the receiver's status, or 0 when it cannot be reached in time.
int Deliver(const WebhookRequest& request, core::Duration timeout) {
  auto url = core::ParseUrl(request.url);
  if (!url || url->host.empty() || (url->scheme != "http" && url->scheme != "https")) return 0;
  std::string host = url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
  std::string origin = url->scheme + "://" + host + (url->port ? ":" + std::to_string(url->port) : "");
  httplib::Client client(origin);
  if (!client.is_valid()) return 0;
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout - seconds);
  client.set_connection_timeout(seconds.count(), micros.count());
  client.set_read_timeout(seconds.count(), micros.count());
  client.set_write_timeout(seconds.count(), micros.count());
  httplib::Headers headers;
  std::string content_type = "application/json";
  for (const auto& [name, value] : request.headers) {
    if (core::EqualsIgnoreCase(name, "Content-Type")) content_type = value;
    else headers.emplace(name, value);
  }
  std::string target = url->path + (url->query.empty() ? "" : "?" + url->query);
  auto result = client.Post(target, headers, request.body, content_type);
  return result ? result->status : 0;
}

}  // namespace

class HttpWebhookSender::Impl {
 public:
  explicit Impl(HttpWebhookOptions options) : options_(options) {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.workers); ++i) {
      workers_.emplace_back([this] { Work(); });
    }
  }

  ~Impl() { Shutdown(); }

  void Post(WebhookRequest request, std::function<void(int)> done) {
    {
      std::lock_guard lock(mutex_);
      if (!stopping_ && queue_.size() < options_.max_queue) {
        queue_.push_back({std::move(request), std::move(done)});
        ready_.notify_one();
        return;
      }
    }
    done(0);  // shut down or overloaded: a failed attempt, which the service retries later
  }

  void Shutdown() {
    std::lock_guard once(shutdown_mutex_);  // joins happen once, whoever calls
    std::deque<Job> cancelled;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      cancelled.swap(queue_);
    }
    ready_.notify_all();
    for (auto& job : cancelled) job.done(0);
    for (auto& w : workers_) {
      if (w.joinable()) w.join();
    }
    workers_.clear();
  }

 private:
  void Work() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      int status = Deliver(job.request, options_.timeout);
      job.done(status);
    }
  }

  HttpWebhookOptions options_;
  std::mutex shutdown_mutex_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

HttpWebhookSender::HttpWebhookSender(HttpWebhookOptions options) : impl_(std::make_unique<Impl>(options)) {}
HttpWebhookSender::~HttpWebhookSender() = default;
void HttpWebhookSender::Post(WebhookRequest request, std::function<void(int)> done) {
  impl_->Post(std::move(request), std::move(done));
}
void HttpWebhookSender::Shutdown() { impl_->Shutdown(); }

}  // namespace restbox::mock
