#pragma once
// A deliberately minimal implementation of the five APIs for tests (not the mock): a cpp-httplib
// server on a free loopback port that answers every route with what the seed documents show and
// nothing more: the seeds' own example bodies where they give one, the smallest body the
// documents allow where they give none (no pagination for findhelper lists, no timestamps on a
// chikage record), statuses the documents do not fix chosen differently from restbox's mock
// (201 for an inventory template create, 200 for a findhelper job create), and one member no
// document mentions in every object answer ("x_unknown"), which clients must ignore.
// It checks nothing of the request beyond its route: it exists to prove that the typed clients
// accept any answer the documents allow.

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace restbox::testing_support {

// Well-formed tokens (the client checks the shape of the tokens it sends, see inventory
// validation.hpp); the seed's own placeholders ("encrypted_template_id") are not.
inline constexpr const char* kTemplateToken = "tpl_AAAAAAAAAAAAAAAAAAAAAA";
inline constexpr const char* kItemToken = "itm_AAAAAAAAAAAAAAAAAAAAAA";
inline constexpr const char* kShareToken = "shr_AAAAAAAAAAAAAAAAAAAAAA";
inline constexpr const char* kDeletedRecord = "rec_deleted";

class MinimalApiServer final {
 public:
  MinimalApiServer() {
    server_.set_keep_alive_timeout(1);
    Routes();
  }
  ~MinimalApiServer() { Stop(); }
  MinimalApiServer(const MinimalApiServer&) = delete;
  MinimalApiServer& operator=(const MinimalApiServer&) = delete;

  // Binds a free loopback port and serves on a thread. False when it could not.
  bool Start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return false;
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    return server_.is_running();
  }
  void Stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }
  std::string BaseUrl(const std::string& prefix = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + prefix;
  }
  // "METHOD path" of every request received, in order.
  std::vector<std::string> Received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  void Json(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, "application/json");
  }

  template <typename Handler>
  httplib::Server::Handler Logged(Handler handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mutex_);
        received_.push_back(req.method + " " + req.path);
      }
      handler(req, res);
    };
  }

  void Routes() {
    // ---- chikage (seed 000): the seed's 202 answer; GET's shape is not in the seed ----
    const std::string queued =
        R"({"success":true,"id":"rec_abc123","message":"Request queued","x_unknown":1})";
    server_.Post(R"(/api/v1/data/([^/]+))",
                 Logged([this, queued](const auto&, auto& res) { Json(res, 202, queued); }));
    server_.Put(R"(/api/v1/data/([^/]+)/([^/]+))",
                Logged([this, queued](const auto&, auto& res) { Json(res, 202, queued); }));
    server_.Delete(R"(/api/v1/data/([^/]+)/([^/]+))",
                   Logged([this, queued](const auto&, auto& res) { Json(res, 202, queued); }));
    server_.Get(
        R"(/api/v1/data/([^/]+)/([^/]+))", Logged([this](const httplib::Request& req, auto& res) {
          if (req.matches[2] == kDeletedRecord)
            return Json(res, 404, R"({"success":false,"error":"Not found"})");
          Json(
              res, 200,
              R"({"success":true,"id":")" + std::string(req.matches[2]) +
                  R"(","data":{"order_id":"ORD-2024-001","amount":45000.5,"items":["Item A"],"paid":true},"x_unknown":{}})");
        }));

    // ---- wncms (seed 001): the envelope; lists with the seed's pagination; items with an id ----
    const std::string pagination =
        R"("pagination":{"total":1,"count":1,"page_size":15,"current_page":1,"last_page":1,"has_more":false,"next":null,"previous":null})";
    auto ok = [](const std::string& data) {
      return R"({"code":200,"status":"success","message":"Successfully fetched data","data":)" +
             data + "}";
    };
    auto list = [ok, pagination](const std::string& item) {
      return ok(R"({"data":[)" + item + "]," + pagination + "}");
    };
    const std::string post = R"({"id":1,"title":"Hello","x_unknown":true})";
    const std::string tag = R"({"id":2,"name":"News"})";
    const std::string page = R"({"id":3,"title":"About"})";
    const std::string menu = R"({"id":4,"name":"Main menu"})";
    for (const char* path : {"/api/v1/posts/index", "/api/v1/posts"})
      server_.Post(
          path, Logged([this, list, post](const auto&, auto& res) { Json(res, 200, list(post)); }));
    // The same list from a server that sends no pagination at all (base URL prefix /nopage).
    server_.Post("/nopage/api/v1/posts/index", Logged([this, ok, post](const auto&, auto& res) {
                   Json(res, 200, ok(R"({"data":[)" + post + "]}"));
                 }));
    server_.Post("/api/v1/posts/store",
                 Logged([this, ok, post](const auto&, auto& res) { Json(res, 200, ok(post)); }));
    server_.Post("/api/v1/tags/index",
                 Logged([this, list, tag](const auto&, auto& res) { Json(res, 200, list(tag)); }));
    server_.Post("/api/v1/tags/store",
                 Logged([this, ok, tag](const auto&, auto& res) { Json(res, 200, ok(tag)); }));
    server_.Post("/api/v1/tags/exist", Logged([this, ok](const auto&, auto& res) {
                   Json(res, 200, ok(R"({"ids":[2]})"));
                 }));
    server_.Post("/api/v1/pages/index", Logged([this, list, page](const auto&, auto& res) {
                   Json(res, 200, list(page));
                 }));
    server_.Post("/api/v1/pages/store",
                 Logged([this, ok, page](const auto&, auto& res) { Json(res, 200, ok(page)); }));
    server_.Post("/api/v1/menus/index", Logged([this, list, menu](const auto&, auto& res) {
                   Json(res, 200, list(menu));
                 }));
    server_.Post("/api/v1/menus/store",
                 Logged([this, ok, menu](const auto&, auto& res) { Json(res, 200, ok(menu)); }));
    server_.Post("/api/v1/menus/sync",
                 Logged([this, ok, menu](const auto&, auto& res) { Json(res, 200, ok(menu)); }));
    server_.Post(R"(/api/v1/posts/(\d+))",
                 Logged([this, ok, post](const auto&, auto& res) { Json(res, 200, ok(post)); }));
    server_.Post(R"(/api/v1/pages/([^/]+))",
                 Logged([this, ok, page](const auto&, auto& res) { Json(res, 200, ok(page)); }));
    server_.Post(R"(/api/v1/menus/(\d+))",
                 Logged([this, ok, menu](const auto&, auto& res) { Json(res, 200, ok(menu)); }));

    // ---- inventory (seed 002): the seed's examples; 201 for the create ----
    const std::string t = kTemplateToken;
    const std::string i = kItemToken;
    const std::string s = kShareToken;
    server_.Get(
        "/apiV1/items", Logged([this, i](const auto&, auto& res) {
          Json(
              res, 200,
              R"({"success":true,"data":{"items":[{"token":")" + i +
                  R"(","title":"物品标题","type":"paper","status":"active"}],"pagination":{"page":1,"pageSize":20,"totalItems":1,"totalPages":1}}})");
        }));
    server_.Get(R"(/apiV1/items/([^/]+))", Logged([this, i](const auto&, auto& res) {
                  Json(res, 200,
                       R"({"success":true,"data":{"token":")" + i +
                           R"(","title":"物品标题","keywords":["key:value"],"x_unknown":1}})");
                }));
    server_.Get(
        "/apiV1/templates/shared", Logged([this, t, s](const auto&, auto& res) {
          Json(
              res, 200,
              R"({"success":true,"data":{"sharedTemplates":[{"token":")" + t +
                  R"(","shareToken":")" + s +
                  R"(","title":"模板标题","tags":["TAG1"],"expiresAt":"2025-01-02T00:00:00Z","copyCount":5}]}})");
        }));
    server_.Get(
        "/apiV1/templates", Logged([this, t](const auto&, auto& res) {
          Json(
              res, 200,
              R"({"success":true,"data":{"templates":[{"token":")" + t +
                  R"(","title":"模板标题","isSharing":false}],"pagination":{"page":1,"pageSize":20,"totalItems":1,"totalPages":1}}})");
        }));
    server_.Get(R"(/apiV1/templates/([^/]+))", Logged([this, t](const auto&, auto& res) {
                  Json(res, 200,
                       R"({"success":true,"data":{"token":")" + t +
                           R"(","title":"模板标题","commentMode":"independent"}})");
                }));
    server_.Get(
        "/apiV1/user/stats", Logged([this](const auto&, auto& res) {
          Json(
              res, 200,
              R"({"success":true,"data":{"email":"user@example.com","createdAt":"2024-01-01T00:00:00Z",
        "items":{"total":50,"paper":30,"stamp":20},"api":{"enabled":true,"monthlyLimit":1000,"monthlyUsed":150,"lastUsedAt":"2025-01-01T12:00:00Z"}}})");
        }));
    server_.Post("/apiV1/templates", Logged([this, t](const auto&, auto& res) {
                   Json(res, 201,
                        R"({"success":true,"data":{"token":")" + t +
                            R"(","title":"模板标题","createdAt":"2025-01-01T00:00:00Z"}})");
                 }));
    server_.Post("/apiV1/templates/revoke", Logged([this](const auto&, auto& res) {
                   Json(res, 200, R"({"success":true,"data":{"message":"共享已成功撤销"}})");
                 }));
    server_.Post(R"(/apiV1/templates/([^/]+)/share)", Logged([this, s](const auto&, auto& res) {
                   Json(res, 200,
                        R"({"success":true,"data":{"shareToken":")" + s +
                            R"(","expiresAt":"2025-01-02T00:00:00Z","tags":["TAG1","TAG2"]}})");
                 }));
    server_.Post(R"(/apiV1/templates/([^/]+)/send)", Logged([this, i](const auto&, auto& res) {
                   Json(res, 200,
                        R"({"success":true,"data":{"itemToken":")" + i +
                            R"(","recipientEmail":"recipient@example.com","status":"sent"}})");
                 }));
    server_.Post(
        R"(/apiV1/templates/([^/]+)/check-ownership)", Logged([this](const auto&, auto& res) {
          Json(res, 200,
               R"({"success":true,"data":{"hasItem":false}})");  // itemTokens only when owned
        }));

    // ---- market (seed 003): the platform keeps code/result/msg; other members are ignored ----
    const std::string call = R"({"code":0,"result":{"data":"sample"},"otherField1":"value1"})";
    server_.Post(R"(/market/([^/]+)/([^/]+))",
                 Logged([this, call](const auto&, auto& res) { Json(res, 200, call); }));
    server_.Get(R"(/market/([^/]+)/([^/]+))",
                Logged([this, call](const auto&, auto& res) { Json(res, 200, call); }));

    // ---- findhelper (seed 004): the seed's job; a list without pagination; 200 for a create ----
    const std::string job =
        R"({"id":123,"title":"居家清潔","jobType":"general","city":"台北市","status":"published","createdAt":"2026-02-07T08:00:00.000Z"})";
    server_.Get("/api/jobs", Logged([this, job](const auto&, auto& res) {
                  Json(res, 200, R"({"success":true,"data":[)" + job + "]}");
                }));
    server_.Get(R"(/api/jobs/(\d+))", Logged([this, job](const auto&, auto& res) {
                  Json(res, 200, R"({"success":true,"data":)" + job + "}");
                }));
    server_.Post("/api/jobs", Logged([this, job](const auto&, auto& res) {
                   Json(res, 200, R"({"success":true,"data":)" + job + "}");
                 }));
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> received_;
};

}  // namespace restbox::testing_support
