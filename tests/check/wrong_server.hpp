#pragma once
// A deliberately wrong server for restbox-check's tests (not the mock): findhelper's three
// endpoints and one market provider endpoint, each answer right except for one documented rule
// broken per row, so each kind of deviation can be seen on its own row:
//   jobs.get 200 (job_id)            data.id is a string                 -> wrong type
//   jobs.get 404 (not_found_job_id)  answers 200 with a job              -> wrong status
//   jobs.get 403 (forbidden_job_id)  {"error":"forbidden"}               -> wrong envelope
//   jobs.create 201                  the job without createdAt           -> missing field
//   provider 1003 (busy_product_id)  {"code":7,...}                      -> a code outside
//   0/1000-1005
// Everything else answers as the contract says (a list without pagination included: the
// documents show none). Listens on 127.0.0.1, on a free port.
#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

namespace restbox::check_test {

class WrongServer final {
 public:
  WrongServer() {
    auto json = [](httplib::Response& res, int status, const std::string& body) {
      res.status = status;
      res.set_content(body, "application/json");
    };
    auto key_ok = [](const httplib::Request& req, bool need_write) {
      auto key = req.get_header_value("X-API-Key");
      auto secret = req.get_header_value("X-API-Secret");
      if (key == "fh_key_good" && secret == "fh_secret_good") return 0;
      if (key == "fh_key_readonly" && secret == "fh_secret_readonly") return need_write ? 403 : 0;
      return 401;
    };
    const std::string job =
        R"({"id":123,"title":"居家清潔","jobType":"general","city":"台北市","address":"台北市信義區","estimatedAmount":3000,"status":"published","createdAt":"2026-01-01T00:00:00Z"})";
    auto error = [](const std::string& code, const std::string& message) {
      return R"({"success":false,"error":{"code":")" + code + R"(","message":")" + message +
             R"("}})";
    };
    server_.Get("/api/jobs", [=](const httplib::Request& req, httplib::Response& res) {
      if (key_ok(req, false) == 401) return json(res, 401, error("UNAUTHORIZED", "bad key"));
      if (req.has_param("pageSize") && std::stoi(req.get_param_value("pageSize")) > 100)
        return json(res, 400, error("VALIDATION_ERROR", "pageSize at most 100"));
      json(res, 200, R"({"success":true,"data":[)" + job + "]}");
    });
    server_.Get(R"(/api/jobs/(\d+))", [=](const httplib::Request& req, httplib::Response& res) {
      if (key_ok(req, false) == 401) return json(res, 401, error("UNAUTHORIZED", "bad key"));
      std::string id = req.matches[1];
      if (id == "123") {
        // Wrong type: the id as a string.
        std::string wrong = job;
        wrong.replace(wrong.find("\"id\":123"), 8, "\"id\":\"123\"");
        return json(res, 200, R"({"success":true,"data":)" + wrong + "}");
      }
      if (id == "205") return json(res, 403, R"({"error":"forbidden"})");  // wrong envelope
      json(res, 200, R"({"success":true,"data":)" + job + "}");            // 999999: wrong status
    });
    server_.Post("/api/jobs", [=](const httplib::Request& req, httplib::Response& res) {
      int k = key_ok(req, true);
      if (k == 401) return json(res, 401, error("UNAUTHORIZED", "bad key"));
      if (k == 403) return json(res, 403, error("FORBIDDEN", "no jobs:write scope"));
      if (req.body.find("\"title\":\"\"") != std::string::npos ||
          req.body.find("-1") != std::string::npos)
        return json(
            res, 400,
            R"({"success":false,"error":{"code":"VALIDATION_ERROR","message":"invalid","details":[{"field":"title","message":"required"}]}})");
      // Missing field: no createdAt.
      json(
          res, 201,
          R"({"success":true,"data":{"id":1001,"title":"居家清潔","jobType":"general","city":"台北市","status":"published"}})");
    });
    server_.Post("/provider", [=](const httplib::Request& req, httplib::Response& res) {
      if (req.body.find("productId") == std::string::npos)
        return json(res, 200, R"({"code":1001,"msg":"productId is required"})");
      if (req.body.find("404404") != std::string::npos)
        return json(res, 200, R"({"code":1002,"msg":"no such product"})");
      if (req.body.find("503503") != std::string::npos)
        return json(res, 200, R"({"code":7,"msg":"busy"})");
      json(res, 200, R"({"code":0,"result":{"productId":"123456","name":"demo"}})");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
  }
  ~WrongServer() {
    server_.stop();
    thread_.join();
  }
  WrongServer(const WrongServer&) = delete;
  WrongServer& operator=(const WrongServer&) = delete;
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The fixtures a user would write for it: findhelper without read_only_key/read_only_secret
  // (so the create 403 row must be skipped naming the missing fixture), market's params.
  static std::string Fixtures() {
    return R"({
  "findhelper": {"api_key": "fh_key_good", "api_secret": "fh_secret_good",
                 "expired_key": "fh_key_old", "expired_secret": "fh_secret_old",
                 "job_id": 123, "not_found_job_id": 999999, "forbidden_job_id": 205},
  "market": {"params": {"bindId": "123", "productId": "123456"},
             "not_found_product_id": "404404", "busy_product_id": "503503"}
})";
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace restbox::check_test
