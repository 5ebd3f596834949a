// Uses an installed restbox like any application would: the typed chikage client over HTTP on
// the default (libcurl) transport against a running restbox-mock, plus the in-process mock.
// Usage: restbox_consumer <base-url>. Exit code 0 when every answer is the documented one.

#include <cstdio>
#include <string>

#include "restbox/chikage/client.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/transports/curl_transport.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace {

constexpr const char* kTestKey = "tm_test_demo4d2f8a9c0b1e7f3a";  // the mock's sandbox key
int failures = 0;

void Check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

template <typename T>
std::string Describe(const restbox::core::Result<T>& r) {
  return r.ok() ? "status " + std::to_string(r.status()) : r.error().Describe();
}

// Create (202), wait until applied (200 with the data), and a bad key (401).
void Exercise(const std::string& label, restbox::chikage::ClientOptions options) {
  options.api_key = kTestKey;
  restbox::chikage::Client client(options);
  restbox::core::Json order = {{"order_id", "ORD-INSTALL-1"}, {"amount", 42}, {"paid", true}};

  auto queued = client.Create("orders", order).Get();  // blocking: native only
  Check(queued.ok() && queued.status() == 202,
        label + ": create answers 202 (" + Describe(queued) + ")");
  if (!queued.ok()) return;

  auto record = client.WaitUntilApplied("orders", queued->id).Get();
  Check(record.ok() && record.status() == 200 && record->id == queued->id &&
            record->data.value("order_id", "") == "ORD-INSTALL-1",
        label + ": the record is readable once applied (" + Describe(record) + ")");

  restbox::chikage::ClientOptions bad = options;
  bad.api_key = "tm_test_not_a_known_key";
  auto refused = restbox::chikage::Client(bad).Get("orders", queued->id).Get();
  Check(!refused.ok() && refused.error().http_status == 401 &&
            refused.error().kind == restbox::core::ErrorKind::kUnauthorized,
        label + ": an unknown key gets 401 (" + Describe(refused) + ")");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <base-url of a running restbox-mock>\n", argv[0]);
    return 2;
  }
  // Over HTTP. `transport` is left empty on purpose: linking restbox::transport_curl makes the
  // shared CurlTransport the default (same as options.transport = DefaultTransport()).
  restbox::chikage::ClientOptions http;
  http.base_url = argv[1];
  Exercise("http", http);

  // Offline, against the in-process mock.
  restbox::chikage::ClientOptions offline;
  offline.transport =
      std::make_shared<restbox::transports::InProcessTransport>(restbox::mock::MakeMockServer());
  offline.base_url = "http://mock";
  Exercise("in-process", offline);

  std::printf("%s\n", failures == 0 ? "all checks passed" : "some checks FAILED");
  return failures == 0 ? 0 : 1;
}
