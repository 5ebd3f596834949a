#pragma once
// inventory — the Inventory app's external API (API-CONTRACT section 3). The endpoint table, the
// error codes and the limits every other part of the service (validator, client, mock) reads.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "restbox/core/endpoint.hpp"

namespace restbox::inventory {

// Endpoint ids.
inline constexpr std::string_view kListItems = "items.list";
inline constexpr std::string_view kGetItem = "items.get";
inline constexpr std::string_view kListTemplates = "templates.list";
inline constexpr std::string_view kGetTemplate = "templates.get";
inline constexpr std::string_view kListSharedTemplates = "templates.shared";
inline constexpr std::string_view kGetUserStats = "user.stats";
inline constexpr std::string_view kCreateTemplate = "templates.create";
inline constexpr std::string_view kShareTemplate = "templates.share";
inline constexpr std::string_view kRevokeShare = "templates.revoke";
inline constexpr std::string_view kSendTemplate = "templates.send";
inline constexpr std::string_view kCheckOwnership = "templates.check_ownership";

// Error codes (the `error.code` of the error body, and core::Error::code).
inline constexpr std::string_view kInvalidApiKey = "INVALID_API_KEY";
inline constexpr std::string_view kApiKeyExpired = "API_KEY_EXPIRED";
inline constexpr std::string_view kApiDisabled = "API_DISABLED";
inline constexpr std::string_view kScopeDenied = "SCOPE_DENIED";
inline constexpr std::string_view kForbidden = "FORBIDDEN";
inline constexpr std::string_view kValidationError = "VALIDATION_ERROR";
inline constexpr std::string_view kInvalidToken = "INVALID_TOKEN";
inline constexpr std::string_view kInvalidImage = "INVALID_IMAGE";
inline constexpr std::string_view kAlreadyShared = "ALREADY_SHARED";
inline constexpr std::string_view kNotShared = "NOT_SHARED";
inline constexpr std::string_view kNotFound = "NOT_FOUND";
inline constexpr std::string_view kRecipientNotFound = "RECIPIENT_NOT_FOUND";
inline constexpr std::string_view kRateLimitExceeded = "RATE_LIMIT_EXCEEDED";

// Limits (lengths in Unicode code points).
inline constexpr std::size_t kMaxTitle = 32;
inline constexpr std::size_t kMaxContent = 1024;
inline constexpr std::size_t kMaxKeywords = 128;
inline constexpr std::size_t kMaxKeywordKey = 8;
inline constexpr std::size_t kMaxKeyword = 256;
inline constexpr std::size_t kMaxMessage = 200;
inline constexpr std::size_t kMinTags = 1;
inline constexpr std::size_t kMaxTags = 16;
inline constexpr std::size_t kMaxTag = 32;  // [choice] the seed sets no per-tag limit
inline constexpr int kMaxPageSize = 100;
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMinShareMinutes = 60;
inline constexpr int kMaxShareMinutes = 43200;  // 30 days; 0 = unlimited
inline constexpr std::int64_t kRequestsPerMinute = 60;
inline constexpr std::int64_t kDefaultMonthlyLimit = 1000;

const core::ServiceSpec& Spec();

}  // namespace restbox::inventory
