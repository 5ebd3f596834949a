// restbox-mock --static DIR: the console's folder served beside the mocked APIs by the HTTP front.
// A front on a free loopback port per test, serving a temporary folder; requests through
// cpp-httplib's client (it sends paths as given, "..", "%2e" and all).
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "restbox/core/json_codec.hpp"
#include "restbox/mock/admin.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/mock/http_front.hpp"
#include "restbox/mock/static_files.hpp"
#include "temp_path.hpp"

namespace restbox::mock {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  std::fwrite(content.data(), 1, content.size(), f);
  std::fclose(f);
}

class HttpStaticTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = restbox::testing::UniqueTempPath("restbox-static");
    fs::remove_all(base_);
    root_ = base_ / "web";
    WriteFile(root_ / "index.html", "<!doctype html><title>console</title>");
    wasm_ = std::string("\0asm\x01\0\0\0", 8) + std::string(3000, '\x7f');
    WriteFile(root_ / "restbox-console.wasm", wasm_);
    WriteFile(root_ / "restbox-console.js", "var Module;");
    WriteFile(root_ / "docs" / "index.html", "docs");
    WriteFile(root_ / ".secret", "hidden");
    WriteFile(base_ / "outside.txt", "outside the root");
    fs::create_symlink(base_ / "outside.txt", root_ / "link.txt");
    Start(root_.string());
  }

  void Start(const std::string& static_dir) {
    if (front_) front_->Stop();
    server_ = MakeMockServer();
    HttpFrontOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 4;
    options.static_dir = static_dir;
    front_ = std::make_unique<HttpFront>(server_, options);
    auto error = front_->Start();
    ASSERT_FALSE(error) << *error;
  }

  void TearDown() override {
    if (front_) front_->Stop();
    fs::remove_all(base_);
  }

  httplib::Result Get(const std::string& path) {
    httplib::Client client("127.0.0.1", front_->port());
    client.set_read_timeout(10, 0);
    return client.Get(path.c_str());
  }

  // A 404 in the mock's own error shape.
  static void ExpectNotFound(const httplib::Result& r, const std::string& path) {
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path << ": " << r->body;
    EXPECT_EQ(r->get_header_value("X-Restbox-Error"), "1") << path;
    auto body = core::ParseJson(r->body);
    ASSERT_TRUE(body.ok()) << path << ": " << r->body;
    EXPECT_TRUE(body.value().contains("restbox_error")) << path;
  }

  fs::path base_, root_;
  std::string wasm_;
  std::shared_ptr<MockServer> server_;
  std::unique_ptr<HttpFront> front_;
};

TEST_F(HttpStaticTest, RootServesIndexHtml) {
  auto r = Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<!doctype html><title>console</title>");
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-cache");
  auto docs = Get("/docs/");
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->status, 200);
  EXPECT_EQ(docs->body, "docs");
  // A query string does not change the file.
  auto query = Get("/index.html?v=2");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->body, "<!doctype html><title>console</title>");
}

TEST_F(HttpStaticTest, WasmIsServedByteForByteAsApplicationWasm) {
  auto r = Get("/restbox-console.wasm");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/wasm");
  EXPECT_EQ(r->body, wasm_);
  auto js = Get("/restbox-console.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
}

TEST_F(HttpStaticTest, HeadAnswersTheLengthWithoutTheBody) {
  httplib::Client client("127.0.0.1", front_->port());
  auto r = client.Head("/restbox-console.wasm");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Length"), std::to_string(wasm_.size()));
  EXPECT_TRUE(r->body.empty());
}

TEST_F(HttpStaticTest, HeadOfAStaticFileHasTheHeadersOfItsGet) {
  httplib::Client client("127.0.0.1", front_->port());
  for (const char* path : {"/", "/restbox-console.wasm", "/restbox-console.js", "/docs/"}) {
    SCOPED_TRACE(path);
    auto get = client.Get(path);
    auto head = client.Head(path);
    ASSERT_TRUE(get && head);
    EXPECT_EQ(head->status, get->status);
    EXPECT_TRUE(head->body.empty());
    EXPECT_EQ(head->get_header_value("Content-Length"), std::to_string(get->body.size()));
    for (const char* name : {"Content-Type", "Cache-Control", "X-Content-Type-Options"})
      EXPECT_EQ(head->get_header_value(name), get->get_header_value(name)) << name;
    EXPECT_FALSE(head->has_header("Accept-Ranges"));  // cpp-httplib's own, for HEAD only
  }
  auto missing = client.Head("/nope.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_TRUE(missing->body.empty());
}

TEST_F(HttpStaticTest, ApiRoutesAndAdminStillReachTheMock) {
  auto health = Get("/__restbox/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto parsed = core::ParseJson(health->body);
  ASSERT_TRUE(parsed.ok()) << health->body;
  EXPECT_TRUE(core::JsonValueOr(parsed.value(), "ok", false));
  // A service path: the service's own answer, never the static folder's 404.
  for (const auto& id : server_->ServiceIds()) {
    const auto& spec = server_->FindService(id)->Spec();
    ASSERT_FALSE(spec.endpoints.empty());
    std::string path = spec.endpoints.front().path;
    for (std::size_t open; (open = path.find('{')) != std::string::npos;) {
      path.replace(open, path.find('}', open) - open + 1, "x");
    }
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->body.find("restbox_error\":\"no route and no static file"), std::string::npos)
        << path << r->body;
  }
}

TEST_F(HttpStaticTest, NothingOutsideTheFolderOrHiddenIsServed) {
  for (const char* path :
       {"/../outside.txt", "/%2e%2e/outside.txt", "/docs/..%2f..%2foutside.txt",
        "/docs/%2E%2E/%2E%2E/outside.txt", "/.secret", "/%2esecret", "/link.txt",
        "/docs/./index.html", "/index.html%00.png", "/docs%5c..%5c..%5coutside.txt"}) {
    ExpectNotFound(Get(path), path);
  }
}

TEST_F(HttpStaticTest, MissingFilesAnswerJson404) {
  ExpectNotFound(Get("/nope.js"), "/nope.js");
  ExpectNotFound(Get("/favicon.ico"), "/favicon.ico");
}

TEST_F(HttpStaticTest, OtherMethodsAndNoFolderLeaveEverythingToTheMock) {
  httplib::Client client("127.0.0.1", front_->port());
  auto post = client.Post("/index.html", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
  EXPECT_EQ(post->body.find("console"), std::string::npos);
  Start("");
  // Without a folder, "/" answers the landing document (restbox_mock_cli_test and
  // http_front_test check its contents), never the folder's index.html.
  auto r = Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.find("<!doctype html>"), std::string::npos);
  auto landing = core::ParseJson(r->body);
  ASSERT_TRUE(landing.ok()) << r->body;
  EXPECT_TRUE(landing.value().contains("services"));
  ExpectNotFound(Get("/index.html"), "/index.html");
}

TEST(StaticFiles, ContentTypesAndRootChecks) {
  EXPECT_EQ(StaticFiles::ContentType("a.wasm"), "application/wasm");
  EXPECT_EQ(StaticFiles::ContentType("INDEX.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("x.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("shot.png"), "image/png");
  EXPECT_EQ(StaticFiles::ContentType("noext"), "application/octet-stream");
  EXPECT_NE(StaticFiles::CheckRoot("/definitely/not/here"), "");
  EXPECT_NE(StaticFiles::CheckRoot("/etc/hostname"), "");
  EXPECT_EQ(StaticFiles::CheckRoot(fs::temp_directory_path()), "");
}

}  // namespace
}  // namespace restbox::mock
