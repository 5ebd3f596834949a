// The explorer on the null host: every service and endpoint of the endpoint tables is listed,
// clicking one selects it into the draft, the filter narrows the list.
#include <gtest/gtest.h>

#include "console.hpp"
#include "null_host.hpp"

namespace restbox::console {
namespace {

int Shown(Console& console) {
  return console.hook().state().value("explorer/shown", -1);
}

TEST(Explorer, ListsEveryServiceAndClickingAnEndpointSelectsIt) {
  NullHost host(1280, 4000);  // tall enough for the first service's endpoints
  Console console;
  host.Run(console, 2);
  std::size_t endpoints = 0;
  for (const auto& service : console.model().services()) {
    EXPECT_TRUE(console.hook().widgets().contains("explorer/" + service.id)) << service.id;
    endpoints += service.spec().endpoints.size();
  }
  EXPECT_EQ(Shown(console), static_cast<int>(endpoints));

  const ServiceView& first = console.model().services().front();
  ASSERT_GE(first.spec().endpoints.size(), 2u);
  const std::string target = first.spec().endpoints[1].id;
  ASSERT_NE(console.model().draft.endpoint, target);
  ASSERT_TRUE(host.Click(console, "explorer/" + first.id + "/" + target));
  EXPECT_EQ(console.model().draft.service, first.id);
  EXPECT_EQ(console.model().draft.endpoint, target);
}

TEST(Explorer, FilterNarrowsToMatchingEndpointsOfAnyService) {
  NullHost host;
  Console console;
  host.Run(console, 2);
  // The last endpoint of the last service: far below the fold without the filter.
  const ServiceView& last = console.model().services().back();
  const core::EndpointSpec& endpoint = last.spec().endpoints.back();
  const std::string id = "explorer/" + last.id + "/" + endpoint.id;
  ASSERT_TRUE(host.Click(console, "explorer/filter"));
  host.Type(console,
            last.id + " " + std::string(core::ToString(endpoint.method)) + " " + endpoint.path);
  host.Frame(console);
  EXPECT_GE(Shown(console), 1);
  EXPECT_LT(Shown(console), 5);
  ASSERT_TRUE(host.Click(console, id));
  EXPECT_EQ(console.model().draft.service, last.id);
  EXPECT_EQ(console.model().draft.endpoint, endpoint.id);

  ASSERT_TRUE(host.Click(console, "explorer/filter"));
  host.Type(console, " zzz-no-such-endpoint");  // one more word that nothing contains
  host.Frame(console);
  EXPECT_EQ(Shown(console), 0);
}

}  // namespace
}  // namespace restbox::console
