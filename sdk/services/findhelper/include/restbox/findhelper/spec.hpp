#pragma once
// findhelper — the 找幫手 jobs API (API-CONTRACT section 5). The endpoint table, and the numbers
// the contract fixes or leaves to us ([choice]s, documented here once and used by the SDK, the
// mock and the tests alike).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/rate_limiter.hpp"

namespace restbox::findhelper {

// Endpoint ids.
inline constexpr std::string_view kListJobs = "jobs.list";
inline constexpr std::string_view kGetJob = "jobs.get";
inline constexpr std::string_view kCreateJob = "jobs.create";

// The service's error codes (error.code in every error body, and core::Error::code).
inline constexpr std::string_view kValidationError = "VALIDATION_ERROR";           // 400 [choice]
inline constexpr std::string_view kUnauthorized = "UNAUTHORIZED";                  // 401
inline constexpr std::string_view kForbidden = "FORBIDDEN";                        // 403
inline constexpr std::string_view kNotFound = "NOT_FOUND";                         // 404
inline constexpr std::string_view kTooManyRequests = "TOO_MANY_REQUESTS";          // 429
inline constexpr std::string_view kInternalServerError = "INTERNAL_SERVER_ERROR";  // 500

// Paging of GET /api/jobs [choice]: `page` is 1-based (default 1); `pageSize` defaults to 20 and
// may be 1..100 (anything else is a 400 VALIDATION_ERROR, not silently clamped).
inline constexpr int kDefaultPage = 1;
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;
inline constexpr int kMaxPage = 1'000'000;

// Field limits of POST /api/jobs [choice], in Unicode code points (API-CONTRACT "Across all five").
inline constexpr std::size_t kMaxTitleLength = 100;
inline constexpr std::size_t kMaxCityLength = 20;
inline constexpr std::size_t kMaxAddressLength = 200;
inline constexpr double kMaxEstimatedAmount = 100'000'000;  // TWD; the minimum is 0 (contract)

// "單次請求的回應大小不超過 10MB": no response body is larger than this.
inline constexpr std::size_t kMaxResponseBytes = 10 * 1024 * 1024;

// "每個 API 金鑰每分鐘最多 60 次請求 / 每天最多 10,000 次請求": per key, UTC-aligned windows.
inline constexpr std::int64_t kRequestsPerMinute = 60;
inline constexpr std::int64_t kRequestsPerDay = 10'000;

// The windows above for core::RateLimiter, day first: when both are used up the day decides
// Retry-After (the later reset). Pass them as ClientOptions::rate_limit.windows to keep a client
// under the limits on its own; the mock refuses with the same arithmetic.
std::vector<core::RateWindow> RateWindows(std::int64_t per_minute = kRequestsPerMinute,
                                          std::int64_t per_day = kRequestsPerDay);

// Job types and statuses [choice: the seed shows only "general" and "published"]. A "draft" is
// the only unpublished status: only its own account sees it (another account gets 403).
const std::vector<std::string>& JobTypes();
const std::vector<std::string>& JobStatuses();
inline constexpr std::string_view kStatusPublished = "published";
inline constexpr std::string_view kStatusDraft = "draft";

// Header names of the key pair (both are secrets: masked in every log and export).
inline constexpr std::string_view kKeyHeader = "X-API-Key";
inline constexpr std::string_view kSecretHeader = "X-API-Secret";

const core::ServiceSpec& Spec();

}  // namespace restbox::findhelper
