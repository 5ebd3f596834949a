#pragma once
// A path under the system's temp folder that no other test uses, and no other process running the
// same test: <temp>/<prefix>-<test name>-<pid>. ctest runs the tests of one executable as parallel
// processes, so a fixed name lets one test's cleanup delete another's files. Nothing is created.
// Header-only: the wasm test build has no tests/support library.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>

namespace restbox::testing {

inline std::filesystem::path UniqueTempPath(std::string_view prefix) {
  std::string name(prefix);
  if (const auto* test = ::testing::UnitTest::GetInstance()->current_test_info()) {
    std::string test_name = test->name();
    std::replace(test_name.begin(), test_name.end(), '/', '_');  // parameterised: Name/0
    name += "-" + test_name;
  }
  name += "-" + std::to_string(::getpid());
  return std::filesystem::temp_directory_path() / name;
}

}  // namespace restbox::testing
