#pragma once
// A MockServer with every mocked API of this build, fixtures loaded.
#include <memory>

#include "restbox/mock/mock_server.hpp"

namespace restbox::mock {
std::shared_ptr<MockServer> MakeMockServer(MockOptions options = {});
}  // namespace restbox::mock
