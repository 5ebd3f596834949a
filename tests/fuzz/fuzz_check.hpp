#pragma once
// What every harness shares: a property that does not hold stops the run like a crash does, with
// the property in words (libFuzzer keeps the input as crash-<sha1>).

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace restbox::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* what) {
  std::fprintf(stderr, "%s:%d: property does not hold: %s\n", file, line, what);
  std::abort();
}

}  // namespace restbox::fuzz

// FUZZ_CHECK(cond): abort with the condition's text when it is false (also with NDEBUG).
#define FUZZ_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::restbox::fuzz::Fail(__FILE__, __LINE__, #cond))
