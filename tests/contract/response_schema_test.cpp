// Response schemas of the endpoint tables (issue 12 item 5): every documented (endpoint, status)
// has a body schema; the mock's answers to every row of the contract sweep, forced (Prefer) and
// realistic, validate against it; and the OpenAPI export carries those schemas (required members,
// nullability, enums).
#include <gtest/gtest.h>

#include <memory>
#include <mutex>

#include "restbox/core/schema.hpp"
#include "restbox/mock/admin.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/mock/openapi.hpp"
#include "restbox/services/registry.hpp"
#include "sweep.hpp"

namespace restbox::contract {
namespace {

using core::Json;

// Keeps every answer that goes through it (the sweep's cases may send set-up requests first).
class CapturingTransport final : public core::Transport {
 public:
  struct Log {
    std::mutex mutex;
    std::vector<core::HttpResponse> answers;
  };
  explicit CapturingTransport(std::shared_ptr<core::Transport> inner) : inner_(std::move(inner)) {}
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override {
    inner_->Send(std::move(request), context,
                 [log = log_, completion](core::Result<core::HttpResponse> r) {
                   if (r.ok()) {
                     std::lock_guard lock(log->mutex);
                     log->answers.push_back(r.value());
                   }
                   completion(std::move(r));
                 });
  }
  std::vector<core::HttpResponse> TakeAnswers() {
    std::lock_guard lock(log_->mutex);
    return std::exchange(log_->answers, {});
  }

 private:
  std::shared_ptr<core::Transport> inner_;
  std::shared_ptr<Log> log_ = std::make_shared<Log>();
};

const core::EndpointSpec& EndpointOf(const Row& row) {
  for (const core::ServiceSpec* spec : services::AllSpecs()) {
    if (spec->id != row.service) continue;
    if (const auto* ep = spec->Find(row.endpoint)) return *ep;
  }
  throw std::logic_error("no endpoint " + row.service + "." + row.endpoint);
}

const Json* RowSchema(const Row& row) {
  const core::EndpointSpec& ep = EndpointOf(row);
  return row.success ? (ep.success_schema.is_null() ? nullptr : &ep.success_schema)
                     : ep.ResponseSchema(row.status, row.code);
}

TEST(ResponseSchemas, EveryDocumentedRowHasABodySchema) {
  for (const Row& row : AllRows()) {
    const Json* schema = RowSchema(row);
    ASSERT_NE(schema, nullptr) << row.Name();
    EXPECT_TRUE(schema->contains("anyOf") || (*schema)["type"] == "object") << row.Name();
    // Every object answer promises something: its envelope's members are required.
    if (!schema->contains("anyOf")) {
      EXPECT_FALSE((*schema)["required"].empty()) << row.Name();
    }
  }
}

struct Param {
  Row row;
  bool forced = false;
};
void PrintTo(const Param& p, std::ostream* os) {
  *os << p.row.Name() << (p.forced ? " forced" : " realistic");
}

std::vector<Param> Params() {
  std::vector<Param> out;
  for (const auto& r : AllRows()) {
    out.push_back({r, false});
    if (!r.success) out.push_back({r, true});
  }
  return out;
}

class AnswersMatchTheirSchema : public testing::TestWithParam<Param> {};

TEST_P(AnswersMatchTheirSchema, Row) {
  const Param& p = GetParam();
  static const std::vector<Case> cases = AllCases();
  const Case* c = FindCase(cases, p.row, p.forced);
  ASSERT_NE(c, nullptr) << "no case for " << p.row.Name();
  Target target = InProcessTarget(mock::MakeMockServer(), "schema");
  auto capture = std::make_shared<CapturingTransport>(target.transport);
  target.transport = capture;
  Outcome o = RunToCompletion(RunCase(target, p.row, *c, p.forced));
  ASSERT_EQ(Check(p.row, o), "");
  // The row's answer: the last one with the row's status (set-up requests come first).
  auto answers = capture->TakeAnswers();
  const core::HttpResponse* answer = nullptr;
  for (const auto& a : answers) {
    if (a.status == p.row.status) answer = &a;
  }
  ASSERT_NE(answer, nullptr) << "no answer with status " << p.row.status;
  EXPECT_TRUE(answer->headers.GetOr("Content-Type", "").starts_with("application/json"))
      << answer->headers.GetOr("Content-Type", "");
  auto body = core::ParseJson(answer->body);
  ASSERT_TRUE(body.ok()) << answer->body;
  const Json* schema = RowSchema(p.row);
  ASSERT_NE(schema, nullptr);
  for (const auto& problem : core::ValidateSchema(*schema, *body))
    ADD_FAILURE() << core::ToString(problem) << "\n  body: " << answer->body.substr(0, 400);
}

std::string ParamName(const testing::TestParamInfo<Param>& info) {
  return std::string(info.param.forced ? "forced_" : "realistic_") + info.param.row.Name();
}

INSTANTIATE_TEST_SUITE_P(Contract, AnswersMatchTheirSchema, testing::ValuesIn(Params()), ParamName);

// ---- the specific gaps an outside validating proxy measured ----

core::HttpResponse Forced(const std::string& service, const std::string& endpoint,
                          const std::string& code) {
  auto server = mock::MakeMockServer();
  const core::ServiceSpec* spec = nullptr;
  for (const auto* s : services::AllSpecs()) {
    if (s->id == service) spec = s;
  }
  const core::EndpointSpec& ep = *spec->Find(endpoint);
  core::HttpRequest r;
  r.method = ep.method;
  r.url = "http://mock" + ep.path;
  r.headers.Set("Prefer", "code=" + code);
  r.headers.Set("Content-Type", "application/json");
  r.body = "{}";
  return server->Process(std::move(r)).response;
}

TEST(ResponseSchemas, ForcedWncms422CarriesDataErrorsLikeARealOne) {
  for (const char* endpoint : {"posts.store", "tags.store"}) {
    auto r = Forced("wncms", endpoint, "422");
    ASSERT_EQ(r.status, 422) << r.body;
    Json body = Json::parse(r.body);
    EXPECT_TRUE(body["data"].is_object()) << r.body;
    EXPECT_TRUE(body["data"]["errors"].is_object()) << r.body;
  }
}

Json Export(const std::string& service) {
  for (const auto* s : services::AllSpecs()) {
    if (s->id == service) return mock::ExportOpenApi(*s);
  }
  return nullptr;
}

TEST(ResponseSchemas, OpenApiDeclaresRequiredMembersInEveryResponse) {
  // As restbox-mock serves it at /__restbox/openapi/<service>.json (with its error examples).
  auto server = mock::MakeMockServer();
  for (const auto* spec : services::AllSpecs()) {
    auto served = mock::OpenApiDocument(*server, spec->id, "http://127.0.0.1:8080");
    ASSERT_TRUE(served) << spec->id;
    Json doc = *served;
    for (auto& [path, operations] : doc["paths"].items()) {
      for (auto& [method, op] : operations.items()) {
        for (auto& [status, response] : op["responses"].items()) {
          SCOPED_TRACE(spec->id + " " + method + " " + path + " " + status);
          ASSERT_TRUE(response.contains("content"));
          const Json& schema = response["content"]["application/json"]["schema"];
          if (schema.contains("anyOf")) {
            for (const auto& alternative : schema["anyOf"])
              EXPECT_FALSE(alternative["required"].empty());
          } else {
            EXPECT_FALSE(schema["required"].empty()) << schema.dump();
          }
        }
      }
    }
  }
}

TEST(ResponseSchemas, OpenApiChikageOrderAndValidationDetails) {
  Json doc = Export("chikage");
  const Json& request = doc["paths"]["/api/v1/data/{slug}"]["post"]["requestBody"]["content"]
                           ["application/json"]["schema"];
  EXPECT_EQ(request["required"], Json::array({"order_id"}));
  EXPECT_EQ(request["properties"]["amount"]["type"], "number");  // 45000.5 is a valid amount
  const Json& bad = doc["paths"]["/api/v1/data/{slug}"]["post"]["responses"]["400"]["content"]
                       ["application/json"]["schema"];
  EXPECT_EQ(bad["properties"]["details"]["type"], "array");
  EXPECT_EQ(bad["properties"]["details"]["items"]["required"], Json::array({"field", "error"}));
  const Json& record = doc["paths"]["/api/v1/data/{slug}/{record_id}"]["get"]["responses"]["200"]
                          ["content"]["application/json"]["schema"];
  EXPECT_EQ(record["properties"]["data"]["properties"]["amount"]["type"], "number");
  EXPECT_TRUE(
      core::ValidateSchema(
          record,
          Json::parse(R"({"success":true,"id":"rec_1","data":{"order_id":"A","amount":45000.5},
      "created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"})"))
          .empty());
}

TEST(ResponseSchemas, OpenApiMarket200HasTheConventionSchema) {
  Json doc = Export("market");
  const Json& schema = doc["paths"]["/market/{project}/{slug}"]["post"]["responses"]["200"]
                          ["content"]["application/json"]["schema"];
  ASSERT_TRUE(schema.contains("anyOf")) << schema.dump();
  // Code 0 and each of 1000-1005 match one alternative; another code matches none.
  for (int code : {0, 1000, 1001, 1002, 1003, 1004, 1005}) {
    EXPECT_TRUE(core::ValidateSchema(schema, Json{{"code", code}, {"msg", "m"}}).empty()) << code;
  }
  EXPECT_FALSE(core::ValidateSchema(schema, Json{{"code", 7}}).empty());
  EXPECT_FALSE(core::ValidateSchema(schema, Json{{"msg", "no code"}}).empty());
}

}  // namespace
}  // namespace restbox::contract
