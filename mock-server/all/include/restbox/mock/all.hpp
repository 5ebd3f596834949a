#pragma once
// A MockServer with every mocked API of this build, fixtures loaded.
#include <memory>
#include <string>
#include <vector>

#include "restbox/mock/mock_server.hpp"

namespace restbox::mock {
std::shared_ptr<MockServer> MakeMockServer(MockOptions options = {});
// Only the listed services (ids of MockedServiceIds(); unknown ids are ignored). Empty = all.
std::shared_ptr<MockServer> MakeMockServer(MockOptions options,
                                           const std::vector<std::string>& services);
// Ids of every mocked API of this build, in build order.
std::vector<std::string> MockedServiceIds();
}  // namespace restbox::mock
