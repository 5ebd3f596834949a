#include "restbox/mock/static_files.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "restbox/core/url.hpp"
#include "restbox/mock/admin.hpp"

namespace restbox::mock {
namespace {

namespace fs = std::filesystem;

core::HttpResponse NotFound(std::string_view path) {
  return RestboxErrorResponse(404, "no route and no static file for " + std::string(path));
}

// True when `path` is `root` or below it (both canonical).
bool IsInside(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

// Reads a whole regular file; nullopt when it cannot (or is too large).
std::optional<std::string> ReadFile(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec || size > StaticFiles::kMaxFileBytes) return std::nullopt;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!f) return std::nullopt;
  std::string body(static_cast<std::size_t>(size), '\0');
  if (size > 0 && std::fread(body.data(), 1, body.size(), f.get()) != body.size())
    return std::nullopt;
  return body;
}

}  // namespace

StaticFiles::StaticFiles(const fs::path& root) {
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec) root_ = fs::absolute(root, ec);
}

std::string StaticFiles::CheckRoot(const fs::path& root) {
  std::error_code ec;
  if (!fs::exists(root, ec)) return root.string() + " does not exist";
  if (!fs::is_directory(root, ec)) return root.string() + " is not a directory";
  return {};
}

std::string_view StaticFiles::ContentType(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webmanifest", "application/manifest+json"},
  };
  const auto dot = file_name.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string_view ext = file_name.substr(dot);
    for (const auto& [suffix, type] : kTypes) {
      if (core::EqualsIgnoreCase(ext, suffix)) return type;
    }
  }
  return "application/octet-stream";
}

core::HttpResponse StaticFiles::Serve(std::string_view raw_path) const {
  const std::string decoded = core::PercentDecode(raw_path);
  if (decoded.empty() || decoded.front() != '/' || decoded.find('\0') != std::string::npos ||
      decoded.find('\\') != std::string::npos) {
    return NotFound(raw_path);
  }
  // Segment by segment: nothing that climbs, nothing hidden.
  fs::path relative;
  std::size_t start = 1;
  while (start <= decoded.size()) {
    std::size_t end = decoded.find('/', start);
    if (end == std::string::npos) end = decoded.size();
    const std::string_view segment = std::string_view(decoded).substr(start, end - start);
    if (!segment.empty()) {
      if (segment.front() == '.') return NotFound(raw_path);
      relative /= std::string(segment);
    }
    start = end + 1;
  }
  std::error_code ec;
  fs::path file = root_ / relative;
  if (decoded.back() == '/' || fs::is_directory(file, ec)) file /= "index.html";
  const fs::path resolved = fs::canonical(file, ec);
  if (ec || !IsInside(resolved, root_) || !fs::is_regular_file(resolved, ec))
    return NotFound(raw_path);
  auto body = ReadFile(resolved);
  if (!body) return NotFound(raw_path);

  core::HttpResponse response;
  response.status = 200;
  response.headers.Set("Content-Type", std::string(ContentType(file.filename().string())));
  response.headers.Set("Cache-Control", "no-cache");
  response.headers.Set("X-Content-Type-Options", "nosniff");
  response.body = std::move(*body);
  return response;
}

}  // namespace restbox::mock
