#include "demo_data.hpp"

#include <algorithm>

#include "restbox/core/json_codec.hpp"

namespace restbox::console {

std::string LargeDemoContent(std::size_t index, std::size_t bytes) {
  // Paragraphs of mixed scripts, so the viewer meets multi-byte characters at every chunk cut.
  static constexpr const char* kParagraphs[] = {
      "<p>restbox-large-demo 第 {n} 段：這是一段用來測試主控台在大型回應下是否仍然流暢的示範文字。"
      "主控台只繪製畫面上看得到的行，捲動十 MB 的內容也不應該卡頓。</p>\n",
      "<p>Paragraph {n}. The console draws only the rows in view; a ten megabyte body must scroll "
      "as "
      "smoothly as a ten line one. Quotes \"like these\", a backslash \\ and a tab\t are "
      "escaped.</p>\n",
      "<ul><li>項目 {n}-A：搬家幫手</li><li>項目 {n}-B：水電維修</li><li>Item {n}-C: "
      "tutoring</li></ul>\n",
  };
  std::string out;
  out.reserve(bytes + 512);
  for (std::size_t n = 0; out.size() < bytes; ++n) {
    std::string p = kParagraphs[(n + index) % std::size(kParagraphs)];
    const std::string number = std::to_string(index) + "." + std::to_string(n);
    for (std::size_t at = p.find("{n}"); at != std::string::npos; at = p.find("{n}", at))
      p.replace(at, 3, number);
    out += p;
  }
  return out;
}

core::Result<Draft> PrepareLargeResponse(mock::MockServer& mock,
                                         const LargeResponseOptions& options) {
  if (!mock.FindService("wncms")) {
    return core::MakeError(core::ErrorKind::kInvalidArgument, "this build has no wncms service");
  }
  const core::Json fixtures = mock.Fixtures()["wncms"];
  const std::string token = core::JsonValueOr<std::string>(fixtures, "api_token", "");
  for (std::size_t i = 0; i < options.posts; ++i) {
    core::HttpRequest request;
    request.method = core::Method::kPost;
    request.url = "/api/v1/posts/store";
    request.headers.Set("Content-Type", "application/json");
    request.body = core::DumpJson(
        core::Json{{"api_token", token},
                   {"title", std::string(kLargeDemoKeyword) + " #" + std::to_string(i + 1)},
                   {"content", LargeDemoContent(i, options.content_bytes)},
                   {"excerpt", "A large post for the console's 10 MB test"},
                   {"tags", "demo,large"}});
    mock::MockOutcome outcome = mock.Process(std::move(request));
    if (outcome.response.status != 200) {
      core::Error error =
          core::MakeError(core::ErrorKind::kHttpOther,
                          "posts.store answered " + std::to_string(outcome.response.status));
      error.http_status = outcome.response.status;
      error.raw_body = outcome.response.body;
      return error;
    }
  }
  Draft draft;
  draft.service = "wncms";
  draft.endpoint = "posts.index";
  draft.params = {{"page_size", static_cast<int>(std::min<std::size_t>(options.posts, 100))},
                  {"keywords", kLargeDemoKeyword}};
  draft.environment = 0;
  return draft;
}

}  // namespace restbox::console
