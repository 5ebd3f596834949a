// Result<T> accessors that cannot crash by accident (value() on an error throws BadResultAccess
// with the Error inside), value_or, and the one-line Error text (ToString, operator<<, NotSent).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>

#include "restbox/core/result.hpp"

namespace restbox::core {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Error NotFound() {
  Error e = MakeError(ErrorKind::kNotFound, "Template not found");
  e.http_status = 404;
  e.code = "NOT_FOUND";
  e.request_id = "rid-7";
  return e;
}

TEST(Result, ValueOnAnErrorThrowsBadResultAccessCarryingTheError) {
  Result<int> r = NotFound();
  try {
    (void)r.value();
    FAIL() << "value() returned";
  } catch (const BadResultAccess& e) {
    EXPECT_EQ(e.error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(e.error().code, "NOT_FOUND");
    EXPECT_EQ(e.error().request_id, "rid-7");
    EXPECT_THAT(e.what(), StartsWith("restbox: value() of a failed Result: not_found"));
    EXPECT_THAT(e.what(), HasSubstr("HTTP 404"));
    EXPECT_THAT(e.what(), HasSubstr("Template not found"));
  }
}

TEST(Result, EveryValueAccessorThrowsOnAnError) {
  struct Item {
    std::string id;
  };
  Result<Item> r = NotFound();
  const Result<Item>& c = r;
  EXPECT_THROW((void)r->id, BadResultAccess);
  EXPECT_THROW((void)c->id, BadResultAccess);
  EXPECT_THROW((void)*r, BadResultAccess);
  EXPECT_THROW((void)*c, BadResultAccess);
  EXPECT_THROW((void)c.value(), BadResultAccess);
  EXPECT_THROW((void)std::move(r).value(), BadResultAccess);
  // A BadResultAccess is a std::exception: a generic handler (or std::terminate) can print it.
  EXPECT_THROW((void)Result<Item>(NotFound()).value(), std::exception);
}

TEST(Result, ErrorOnASuccessThrowsALogicError) {
  Result<int> r = 5;
  const Result<int>& c = r;
  EXPECT_THROW((void)r.error(), std::logic_error);
  try {
    (void)c.error();
    FAIL() << "error() returned";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("check ok() first"));
  }
}

TEST(Result, CheckedAccessStillWorks) {
  Result<std::string> r = std::string("value");
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value(), "value");
  EXPECT_EQ(r->size(), 5u);
  EXPECT_EQ(*r, "value");
  std::string moved = *std::move(r);
  EXPECT_EQ(moved, "value");
  Result<int> e = NotFound();
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "NOT_FOUND");
}

TEST(Result, ValueOrGivesTheFallbackOnAnErrorOnly) {
  Result<int> ok = 3;
  Result<int> failed = NotFound();
  EXPECT_EQ(ok.value_or(9), 3);
  EXPECT_EQ(failed.value_or(9), 9);
  EXPECT_EQ(Result<std::string>(std::string("kept")).value_or("fallback"), "kept");
  EXPECT_EQ(Result<std::string>(NotFound()).value_or("fallback"), "fallback");
}

TEST(ResponseMeta, EmptyUntilAnythingIsKnown) {
  ResponseMeta meta;
  EXPECT_TRUE(meta.empty());
  meta.service_code = "200";
  EXPECT_FALSE(meta.empty());
}

// ---- Error as one line --------------------------------------------------------------------
TEST(ErrorText, OneLineWithEveryFact) {
  Error e = MakeError(ErrorKind::kUnprocessable, "Validation failed");
  e.http_status = 422;
  e.code = "422";
  e.details = {{"title", "The title field is required."}, {"content", "is required"}};
  e.request_id = "9f2c";
  e.retry_after = std::chrono::seconds(30);
  EXPECT_EQ(ToString(e),
            "unprocessable (HTTP 422, code \"422\"): Validation failed; title: The title field is "
            "required. (+1 more field); request id 9f2c; retry after 30 s");
  std::ostringstream out;
  out << e;
  EXPECT_EQ(out.str(), ToString(e));
}

TEST(ErrorText, LeavesOutWhatIsNotKnown) {
  EXPECT_EQ(ToString(MakeError(ErrorKind::kTimeout, "no answer within 30000 ms")),
            "timeout: no answer within 30000 ms");
  Error market = MakeError(ErrorKind::kService, "busy");
  market.code = "1003";
  EXPECT_EQ(ToString(market), "service (code \"1003\"): busy");
  Error proxy;
  proxy.kind = ErrorKind::kServerError;
  proxy.http_status = 502;
  EXPECT_EQ(ToString(proxy), "server_error (HTTP 502)");
  Error many = MakeError(ErrorKind::kBadRequest, "bad");
  many.details = {{"a", "x"}, {"b", "y"}, {"c", "z"}};
  EXPECT_EQ(ToString(many), "bad_request: bad; a: x (+2 more fields)");
}

TEST(ErrorText, LineBreaksOfTheMessageBecomeSpaces) {
  Error e = MakeError(ErrorKind::kServerError, "<html>\r\n<body>Bad\tGateway</body>\n</html>");
  EXPECT_EQ(ToString(e), "server_error: <html>  <body>Bad Gateway</body> </html>");
}

TEST(ErrorText, KindsPrintTheirName) {
  std::ostringstream out;
  out << ErrorKind::kClientValidation << ' ' << ErrorKind::kContinuation;
  EXPECT_EQ(out.str(), "client_validation continuation");
}

TEST(ErrorText, EveryKindNameReadsBackAsItsKind) {
  for (int i = 0; i <= static_cast<int>(ErrorKind::kNoRecording); ++i) {
    const auto kind = static_cast<ErrorKind>(i);
    EXPECT_EQ(ParseErrorKind(ToString(kind)), kind) << ToString(kind);
  }
  EXPECT_EQ(ToString(ErrorKind::kNoRecording), "no_recording");
  EXPECT_FALSE(IsTransportError(ErrorKind::kNoRecording));  // final: retries never repeat a miss
  EXPECT_EQ(ParseErrorKind("no_such_kind"), std::nullopt);
  EXPECT_EQ(ParseErrorKind(""), std::nullopt);
}

// ---- NotSent ------------------------------------------------------------------------------
TEST(NotSent, SaysNotSentAndListsTheFields) {
  Error e = MakeError(ErrorKind::kClientValidation, "Validation failed");
  e.code = "422";
  e.details = {{"title", "is required"}, {"content", "is required"}};
  e.attempts = 3;
  Error refused = NotSent(e);
  EXPECT_TRUE(refused.not_sent);
  EXPECT_EQ(refused.attempts, 0);
  EXPECT_EQ(refused.kind, ErrorKind::kClientValidation);
  EXPECT_EQ(refused.code, "422");
  EXPECT_EQ(refused.details, e.details);
  EXPECT_EQ(refused.message,
            "not sent: Validation failed; 2 invalid fields: title: is required; content: is "
            "required");
}

TEST(NotSent, KeepsAMessageThatAlreadyNamesTheFields) {
  Error e = MakeError(ErrorKind::kClientValidation, "Invalid request: title is required");
  e.details = {{"title", "is required"}};
  EXPECT_EQ(NotSent(e).message, "not sent: Invalid request: title is required");
  EXPECT_EQ(NotSent(MakeError(ErrorKind::kInvalidArgument, "no transport")).message,
            "not sent: no transport");
  Error one = MakeError(ErrorKind::kClientValidation, "Validation failed");
  one.details = {{"slug", "is required"}};
  EXPECT_EQ(NotSent(one).message,
            "not sent: Validation failed; 1 invalid field: slug: is required");
}

}  // namespace
}  // namespace restbox::core
