#pragma once
// A realistic ~10 MB answer from the in-process mock, for the response viewer's large-body test,
// the frame-time benchmark and (through the test hook) the browser benchmark.
//
// findhelper cannot produce one: its pages hold at most 100 jobs of at most ~2 KB each. WNCMS
// posts have no length limit on `content`, and posts.index pages hold up to 100 posts with their
// content. So: 100 posts of ~100 KB of HTML (Chinese and English paragraphs) are created through
// the mock's own API (POST /api/v1/posts/store, as any client would), and the returned Draft lists
// exactly them in one page (posts.index, page_size 100, a keyword only they carry). The answer is
// one JSON line of ~10 MB: the worst case for a text view that splits lines.

#include <cstddef>
#include <string>

#include "model.hpp"
#include "restbox/core/result.hpp"
#include "restbox/mock/mock_server.hpp"

namespace restbox::console {

struct LargeResponseOptions {
  // Posts created (one page holds at most 100). Default 100.
  std::size_t posts = 100;
  // Bytes of HTML content per post (UTF-8, cut at a paragraph). Default 100000 (~10 MB in all).
  std::size_t content_bytes = 100'000;
};

// The word every demo post's title and content carry (the list's keyword filter).
inline constexpr const char* kLargeDemoKeyword = "restbox-large-demo";

// Fills `mock` (must hold the wncms service) with the posts and returns the Draft that lists them
// (environment 0, the in-process mock). Errors: kInvalidArgument when the build has no wncms;
// the mock's answer as kHttpOther when a post could not be created.
core::Result<Draft> PrepareLargeResponse(mock::MockServer& mock,
                                         const LargeResponseOptions& options = {});

// The HTML content of demo post `index` (exposed for tests): about `bytes` bytes.
std::string LargeDemoContent(std::size_t index, std::size_t bytes);

}  // namespace restbox::console
