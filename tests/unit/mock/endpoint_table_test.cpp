#include "restbox/mock/endpoint_table.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "restbox/mock/service_module.hpp"

namespace restbox::mock {
namespace {

using Fn = std::function<core::HttpResponse(MockRequest&)>;

core::ServiceSpec TwoEndpoints() {
  core::ServiceSpec s;
  s.id = "demo";
  core::EndpointSpec list;
  list.id = "items.list";
  list.method = core::Method::kGet;
  list.path = "/items";
  core::EndpointSpec create = list;
  create.id = "items.create";
  create.method = core::Method::kPost;
  s.endpoints = {list, create};
  return s;
}

core::HttpResponse Status(int status) {
  core::HttpResponse r;
  r.status = status;
  return r;
}

// The route maker of the tests: the Before stage answers 401 without an Authorization header.
auto Route(std::vector<std::string>& wrapped) {
  return [&wrapped](const core::EndpointSpec& ep, const Fn& fn) {
    wrapped.push_back(ep.id);
    return [fn](MockRequest& r) {
      if (!r.http.headers.Get("Authorization")) return Status(401);
      return fn(r);
    };
  };
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

TEST(EndpointTable, RegistersEveryEndpointBehindItsBeforeStage) {
  static const core::ServiceSpec spec = TwoEndpoints();
  EndpointTable<Fn> table;
  table.Add("items.create", [](MockRequest&) { return Status(201); });
  table.Add("items.list", [](MockRequest&) { return Status(200); });
  Router router;
  std::vector<std::string> wrapped;
  table.Register(router, spec, Route(wrapped));
  EXPECT_EQ(wrapped, (std::vector<std::string>{"items.list", "items.create"}));  // spec order
  ASSERT_EQ(router.routes().size(), 2u);

  auto create = router.Find(core::Method::kPost, "/items");
  ASSERT_TRUE(create.route);
  EXPECT_EQ(create.route->service, "demo");
  EXPECT_EQ(create.route->endpoint, &spec.endpoints[1]);
  MockRequest r;
  EXPECT_EQ(create.route->handler(r).status, 401);  // stopped by the Before stage
  r.http.headers.Set("Authorization", "Bearer k");
  EXPECT_EQ(create.route->handler(r).status, 201);
  EXPECT_EQ(router.Find(core::Method::kGet, "/items").route->handler(r).status, 200);
  EXPECT_EQ(&table.At(spec, spec.endpoints[0]), &table.At(spec, spec.endpoints[0]));
}

TEST(EndpointTable, RegisterBehindGivesEachFunctionTheCallItsBeforeStageFilled) {
  static const core::ServiceSpec spec = TwoEndpoints();
  struct Call {
    MockRequest& r;
    std::string caller;
  };
  using CallFn = std::function<core::HttpResponse(Call&)>;
  EndpointTable<CallFn> table;
  table.Add("items.list", [](Call& c) { return Status(c.caller == "k" ? 200 : 500); });
  table.Add("items.create", [](Call& c) { return Status(c.caller == "k" ? 201 : 500); });
  Router router;
  std::vector<std::string> before;  // the endpoints the Before stage saw
  RegisterBehind(
      router, spec, table,
      [&before](const core::EndpointSpec& ep, Call& c) -> std::optional<core::HttpResponse> {
        before.push_back(ep.id);
        auto key = c.r.http.headers.Get("Authorization");
        if (!key) return Status(401);
        c.caller = *key;
        return std::nullopt;
      });
  MockRequest r;
  EXPECT_EQ(router.Find(core::Method::kPost, "/items").route->handler(r).status, 401);
  r.http.headers.Set("Authorization", "k");
  EXPECT_EQ(router.Find(core::Method::kPost, "/items").route->handler(r).status, 201);
  EXPECT_EQ(router.Find(core::Method::kGet, "/items").route->handler(r).status, 200);
  EXPECT_EQ(before, (std::vector<std::string>{"items.create", "items.create", "items.list"}));
}

TEST(EndpointTable, AnEndpointWithoutAFunctionIsRefusedAtRegistration) {
  const core::ServiceSpec spec = TwoEndpoints();
  EndpointTable<Fn> table;
  table.Add("items.list", [](MockRequest&) { return Status(200); });
  Router router;
  std::vector<std::string> wrapped;
  EXPECT_EQ(ErrorOf([&] { table.Register(router, spec, Route(wrapped)); }),
            "demo mock: no function for endpoint items.create");
  EXPECT_TRUE(router.routes().empty());  // nothing half-registered
  EXPECT_EQ(ErrorOf([&] { table.At(spec, spec.endpoints[1]); }),
            "demo mock: no function for endpoint items.create");
}

TEST(EndpointTable, AFunctionForNoEndpointOrTwoForOneAreRefused) {
  const core::ServiceSpec spec = TwoEndpoints();
  EndpointTable<Fn> table;
  table.Add("items.list", [](MockRequest&) { return Status(200); });
  table.Add("items.create", [](MockRequest&) { return Status(201); });
  EXPECT_EQ(ErrorOf([&] { table.Add("items.list", [](MockRequest&) { return Status(200); }); }),
            "two functions for endpoint items.list");
  table.Add("items.lsit", [](MockRequest&) { return Status(200); });
  Router router;
  std::vector<std::string> wrapped;
  EXPECT_EQ(ErrorOf([&] { table.Register(router, spec, Route(wrapped)); }),
            "demo mock: a function for unknown endpoint items.lsit");
  EXPECT_TRUE(router.routes().empty());
}

}  // namespace
}  // namespace restbox::mock
