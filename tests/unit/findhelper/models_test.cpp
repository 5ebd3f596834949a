// Models against goldens written from the seed's examples (tests/fixtures/findhelper/*.json).
// The goldens are embedded here because the wasm build has no file system; natively the test also
// checks that the files say the same, so the two copies cannot drift apart.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "restbox/findhelper/models.hpp"
#include "restbox/findhelper/spec.hpp"

#ifndef __EMSCRIPTEN__
#include <fstream>
#include <iterator>
#endif

namespace restbox::findhelper {
namespace {

using core::Json;

// The seed's POST example body.
constexpr const char* kCreateRequest = R"({
  "title": "居家清潔",
  "jobType": "general",
  "city": "台北市",
  "address": "台北市信義區信義路五段7號",
  "estimatedAmount": 3000
})";

// The seed's success response example.
constexpr const char* kJobResponse = R"({
  "success": true,
  "data": {
    "id": 123,
    "title": "居家清潔",
    "jobType": "general",
    "city": "台北市",
    "status": "published",
    "createdAt": "2026-02-07T08:00:00.000Z"
  }
})";

// The seed's error response example.
constexpr const char* kErrorResponse = R"({
  "success": false,
  "error": {
    "code": "UNAUTHORIZED",
    "message": "Invalid API credentials"
  }
})";

// Our list shape [choice]: the seed's job in "data", plus "pagination".
constexpr const char* kListResponse = R"({
  "success": true,
  "data": [
    {
      "id": 123,
      "title": "居家清潔",
      "jobType": "general",
      "city": "台北市",
      "address": "台北市信義區信義路五段7號",
      "estimatedAmount": 3000,
      "status": "published",
      "createdAt": "2026-02-07T08:00:00.000Z"
    }
  ],
  "pagination": {"page": 1, "pageSize": 20, "total": 1, "totalPages": 1}
})";

// Our 400 shape [choice]: the seed's error object plus "details".
constexpr const char* kValidationResponse = R"({
  "success": false,
  "error": {
    "code": "VALIDATION_ERROR",
    "message": "Invalid request: title is required; estimatedAmount must be at least 0",
    "details": [
      {"field": "title", "message": "is required"},
      {"field": "estimatedAmount", "message": "must be at least 0"}
    ]
  }
})";

Json Parse(const char* text) {
  auto parsed = core::ParseJson(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : Json();
}

Job SeedJobModel() {
  Job job;
  job.id = 123;
  job.title = "居家清潔";
  job.job_type = "general";
  job.city = "台北市";
  job.status = "published";
  job.created_at = "2026-02-07T08:00:00.000Z";
  return job;
}

TEST(FindhelperModels, SeedCreateRequestRoundTrips) {
  auto decoded = core::DecodeJson<NewJob>(kCreateRequest);
  ASSERT_TRUE(decoded.ok()) << decoded.error().Describe();
  EXPECT_EQ(*decoded, (NewJob{"居家清潔", "general", "台北市", "台北市信義區信義路五段7號", 3000}));
  // Whole amounts go out as integers, exactly as in the seed.
  EXPECT_EQ(Json(*decoded), Parse(kCreateRequest));
  EXPECT_NE(core::DumpJson(Json(*decoded)).find("\"estimatedAmount\":3000,"), std::string::npos);
}

TEST(FindhelperModels, OptionalMembersAreOmittedAndFractionsKept) {
  NewJob job{"排隊", "errand", "台中市", std::nullopt, std::nullopt};
  Json j = job;
  EXPECT_FALSE(j.contains("address"));
  EXPECT_FALSE(j.contains("estimatedAmount"));
  job.estimated_amount = 99.5;
  EXPECT_EQ(Json(job)["estimatedAmount"], 99.5);
  EXPECT_EQ(core::ConvertJson<NewJob>(Json(job)).value(), job);
}

TEST(FindhelperModels, SeedJobResponseRoundTrips) {
  auto decoded = DecodeData<Job>(kJobResponse);
  ASSERT_TRUE(decoded.ok()) << decoded.error().Describe();
  EXPECT_EQ(*decoded, SeedJobModel());
  EXPECT_EQ(SuccessEnvelope(*decoded), Parse(kJobResponse));
}

TEST(FindhelperModels, ListResponseRoundTrips) {
  auto decoded = core::DecodeJson<JobPage>(kListResponse);
  ASSERT_TRUE(decoded.ok()) << decoded.error().Describe();
  Job job = SeedJobModel();
  job.address = "台北市信義區信義路五段7號";
  job.estimated_amount = 3000;
  JobPage expected{{job}, {1, 20, 1, 1}};
  EXPECT_EQ(*decoded, expected);
  EXPECT_EQ(Json(expected), Parse(kListResponse));
}

TEST(FindhelperModels, SuccessBodyWithoutDataIsADecodeError) {
  auto decoded = DecodeData<Job>(R"({"success":true})");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().kind, core::ErrorKind::kDecode);
  auto mistyped = DecodeData<Job>(R"({"success":true,"data":{"id":"x"}})");
  ASSERT_FALSE(mistyped.ok());
  EXPECT_EQ(mistyped.error().kind, core::ErrorKind::kDecode);
}

TEST(FindhelperModels, SeedErrorResponseBecomesTypedError) {
  core::HttpResponse r{401, {}, kErrorResponse};
  core::Error e = ParseError(r);
  EXPECT_EQ(e.kind, core::ErrorKind::kUnauthorized);
  EXPECT_EQ(e.http_status, 401);
  EXPECT_EQ(e.code, "UNAUTHORIZED");
  EXPECT_EQ(e.message, "Invalid API credentials");
  EXPECT_EQ(ErrorEnvelope({e.code, e.message, {}}), Parse(kErrorResponse));
}

TEST(FindhelperModels, ValidationErrorBodyIsTheGolden) {
  ErrorBody body =
      ValidationErrorBody({{"title", "is required"}, {"estimatedAmount", "must be at least 0"}});
  EXPECT_EQ(ErrorEnvelope(body), Parse(kValidationResponse));
  core::Error e = ParseError({400, {}, kValidationResponse});
  EXPECT_EQ(e.kind, core::ErrorKind::kBadRequest);
  EXPECT_EQ(e.code, "VALIDATION_ERROR");
  EXPECT_EQ(e.details, body.details);
}

TEST(FindhelperModels, ErrorsThatAreNotTheServiceShapeKeepTheStatus) {
  core::Error html = ParseError({502, {}, "<html>Bad gateway</html>"});
  EXPECT_EQ(html.kind, core::ErrorKind::kServerError);
  EXPECT_EQ(html.code, "");
  EXPECT_EQ(html.message, "Bad Gateway");
  EXPECT_EQ(html.raw_body, "<html>Bad gateway</html>");
  core::Error odd = ParseError({418, {}, R"({"error":"flat string"})"});
  EXPECT_EQ(odd.kind, core::ErrorKind::kHttpOther);
  EXPECT_EQ(odd.code, "");
}

TEST(FindhelperModels, CodesForEveryDocumentedStatus) {
  for (const auto& ep : Spec().endpoints) {
    for (const auto& row : ep.errors) EXPECT_EQ(CodeForStatus(row.status), row.code) << ep.id;
  }
  EXPECT_EQ(CodeForStatus(503), "SERVICE_UNAVAILABLE");
  EXPECT_EQ(CodeForStatus(418), "HTTP_418");
}

TEST(FindhelperModels, InterpretResponseFollowsTheTable) {
  const core::EndpointSpec& get = *Spec().Find(kGetJob);
  auto ok = InterpretResponse(get, {200, {}, kJobResponse});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["data"]["id"], 123);
  auto error = InterpretResponse(get, {401, {}, kErrorResponse});
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().code, "UNAUTHORIZED");
  // Any 2xx the table does not rule out is a success (a server restbox did not write may answer
  // 201 or 204 where the documents give no status); other statuses are not.
  auto other_2xx = InterpretResponse(get, {201, {}, kJobResponse});
  ASSERT_TRUE(other_2xx.ok());
  EXPECT_EQ((*other_2xx)["data"]["id"], 123);
  auto undocumented = InterpretResponse(get, {302, {}, kJobResponse});
  ASSERT_FALSE(undocumented.ok());
  EXPECT_EQ(undocumented.error().kind, core::ErrorKind::kHttpOther);
}

TEST(FindhelperModels, QueryCarriesOnlyWhatIsSet) {
  EXPECT_TRUE(JobQuery{}.ToQuery().empty());
  JobQuery q{.city = "台北市", .status = "published", .page_size = 50};
  core::QueryParams expected = {{"city", "台北市"}, {"status", "published"}, {"pageSize", "50"}};
  EXPECT_EQ(q.ToQuery(), expected);
}

TEST(FindhelperSpec, TableCarriesTheSeedExamplesAndEveryRow) {
  const auto& spec = Spec();
  EXPECT_EQ(spec.auth, core::AuthScheme::kKeyAndSecret);
  ASSERT_EQ(spec.endpoints.size(), 3u);
  EXPECT_EQ(Parse(spec.Find(kCreateJob)->example_request.c_str()), Parse(kCreateRequest));
  EXPECT_EQ(Parse(spec.Find(kGetJob)->example_response.c_str()), Parse(kJobResponse));
  EXPECT_TRUE(core::DecodeJson<JobPage>(spec.Find(kListJobs)->example_response).ok());
  for (const auto& ep : spec.endpoints) {
    for (int status : {401, 429, 500})
      EXPECT_NE(ep.FindError(status), nullptr) << ep.id << " " << status;
    int headers = 0;
    for (const auto& f : ep.fields) {
      headers += f.in == core::FieldIn::kHeader && f.required ? 1 : 0;
    }
    EXPECT_EQ(headers, 2) << ep.id << ": X-API-Key and X-API-Secret on every request";
  }
  EXPECT_NE(spec.Find(kGetJob)->FindError(403), nullptr);
  EXPECT_NE(spec.Find(kGetJob)->FindError(404), nullptr);
  EXPECT_NE(spec.Find(kCreateJob)->FindError(403), nullptr);
  EXPECT_NE(spec.Find(kCreateJob)->FindError(400), nullptr);
  EXPECT_NE(spec.Find(kListJobs)->FindError(400), nullptr);
}

TEST(FindhelperSpec, RateWindowsPutTheDayFirst) {
  auto windows = RateWindows();
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].name, "day");
  EXPECT_EQ(windows[0].limit, 10000);
  EXPECT_EQ(windows[1].name, "minute");
  EXPECT_EQ(windows[1].limit, 60);
}

#ifndef __EMSCRIPTEN__
const std::map<std::string, const char*>& Goldens() {
  static const std::map<std::string, const char*> goldens = {
      {"create_job_request.json", kCreateRequest},
      {"job_response.json", kJobResponse},
      {"error_response.json", kErrorResponse},
      {"jobs_list_response.json", kListResponse},
      {"validation_error_response.json", kValidationResponse}};
  return goldens;
}

TEST(FindhelperModels, FixtureFilesMatchTheEmbeddedGoldens) {
  for (const auto& [name, text] : Goldens()) {
    std::ifstream in(std::string(RESTBOX_FIXTURES_DIR) + "/findhelper/" + name, std::ios::binary);
    ASSERT_TRUE(in) << name;
    std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(Parse(file.c_str()), Parse(text)) << name;
  }
}
#endif

}  // namespace
}  // namespace restbox::findhelper
