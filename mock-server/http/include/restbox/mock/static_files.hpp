#pragma once
// Static files for restbox-mock --static DIR (native only): the wasm console's folder served beside
// the mocked APIs, so the page and the HTTP mock share one origin (no CORS, the page finds the
// mock at its own origin). The HTTP front decides which requests come here: GET and HEAD of paths
// that are neither a service route nor under /__restbox/.
//
// Rules: "/" and any path ending in "/" (or naming a directory) serve that directory's index.html;
// the path is percent-decoded once, and a decoded path with a "." or ".." segment, a hidden
// ("."-prefixed) segment, a backslash or a NUL byte, or one that resolves (through symlinks)
// outside DIR, is never served. Misses answer 404 {"restbox_error": ...}. Answers carry the
// Content-Type of the extension (application/wasm for .wasm), Cache-Control: no-cache (a rebuilt
// console is picked up by a reload) and X-Content-Type-Options: nosniff.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "restbox/core/http.hpp"

namespace restbox::mock {

class StaticFiles final {
 public:
  // `root` must be an existing directory (see CheckRoot()).
  explicit StaticFiles(const std::filesystem::path& root);

  // Why `root` cannot be served ("" when it can): it is missing or not a directory.
  static std::string CheckRoot(const std::filesystem::path& root);

  // The answer to GET `raw_path` (as sent, percent-encoded, without the query).
  core::HttpResponse Serve(std::string_view raw_path) const;

  // "application/wasm" for "x.wasm"...; application/octet-stream for unknown extensions.
  static std::string_view ContentType(std::string_view file_name);

  // Files larger than this are not served (the console's files are a few MB).
  static constexpr std::size_t kMaxFileBytes = 64 * 1024 * 1024;

 private:
  std::filesystem::path root_;  // canonical
};

}  // namespace restbox::mock
