// restbox-mock: every mocked API of this build over HTTP/1.1 on one port, plus the admin API
// under /__restbox/. See --help.

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "restbox/mock/all.hpp"
#include "restbox/mock/housekeeper.hpp"
#include "restbox/mock/http_front.hpp"
#include "restbox/mock/landing.hpp"
#include "restbox/mock/record.hpp"
#include "restbox/mock/sqlite_store.hpp"
#include "restbox/mock/static_files.hpp"
#include "restbox/mock/trust.hpp"

namespace {

using restbox::mock::HttpFrontOptions;

constexpr const char* kUsage = R"(usage: restbox-mock [options]

Serves every mocked API of this build over HTTP/1.1 (keep-alive) on one port, each at its
documented paths, plus the admin API under /__restbox/ (fixtures, settings, faults, clock,
journal, state, OpenAPI export).

options:
  --host ADDR        address to bind (default 127.0.0.1; 0.0.0.0 for every interface)
  --port N           TCP port (default 8080; 0 = any free port, printed in the banner)
  --service ID       serve only this API (repeatable; default: all of them)
  --state FILE       keep the state in FILE, an SQLite database (created when missing): every
                     write is committed before its answer leaves, so even kill -9 loses no
                     acknowledged write; queued writes and webhook deliveries continue after a
                     restart. One process per file (a second one is refused)
  --export-state F   write the whole state (the --state file's, else the fixtures) as JSON to F
                     and exit
  --import-state F   start from the state in the JSON file F (written by --export-state, or a
                     JSON --state file of an earlier restbox-mock); with --state, it replaces
                     what that file held
  --seed N           seed of the fixtures and generated ids (default 42)
  --latency MS       add MS milliseconds to every answer
  --manual-clock     time stands still at 2026-01-01T00:00:00Z and moves only with
                     POST /__restbox/clock/advance: rate windows, Retry-After, expiry and
                     queues give the same answers however fast the client runs (tests)
  --no-limits        turn rate limits and quotas off (load tests of the server itself)
  --threads N        worker threads = requests handled at once (default 2 per core, at
                     least 4; 64 with --proxy, whose requests wait for the real server);
                     connections need none (one event loop reads them all, idle or slow)
  --static DIR       also serve the files of DIR (the wasm console: build/wasm/web) at every GET
                     or HEAD path that is not an API route or under /__restbox/; "/" serves
                     DIR/index.html (./run.sh does this and prints the console's URL)
  --allow-host NAME  also answer requests whose Host is NAME (repeatable; "*" = any name).
                     Default: only localhost, loopback addresses and the --host address, so
                     that no web page on another name (DNS rebinding) can reach the mock
  --allow-origin O   also let pages from origin O ("http://devbox.lan:5173", or "null" for
                     file:// pages) make requests with side effects and use the admin API
                     (repeatable). Default: loopback pages and the mock's own
  --admin-token T    require T on every /__restbox/ request ("Authorization: Bearer T" or
                     "X-Restbox-Admin-Token: T"). When --host is not a loopback address a token
                     is required: without this option one is generated and printed
  --webhook-allow H  also deliver webhooks to H, a HOST or HOST:PORT (repeatable). Default:
                     loopback destinations only, checked on the resolved addresses
  --proxy ID=URL     forward the requests of API ID to its real server at URL (the SDK's base
                     URL: https://host[:port][/path]) instead of mocking it (repeatable), and
                     check every exchange against the contract: problems go to the log, the
                     journal and GET /__restbox/problems
  --record FILE      with --proxy: write every forwarded exchange to FILE, a HAR 1.2 cassette,
                     secrets redacted, each exchange flushed as it completes (FILE is replaced)
  --replay FILE      answer every API request from the HAR cassette FILE, offline (matching
                     method, path, query and body); a request with no recording answers 501
                     {"error":"no_recording", ...the nearest recordings}
  --quiet            no per-request log line
  --help             this text

Stop with Ctrl-C (SIGINT) or SIGTERM: requests in progress finish, webhook deliveries in
progress get at most 5 s. A second Ctrl-C exits at once. With --state every change is already
committed, so neither (nor kill -9) loses an acknowledged write.
See mock-server/README.md, "Security", for what the mock accepts and from where.
)";

struct CommandLine {
  HttpFrontOptions front;
  std::vector<restbox::mock::Upstream> upstreams;
  std::string record_file;
  std::string replay_file;
  std::vector<restbox::mock::WebhookAllow> webhook_allow;
  bool token_generated = false;
  std::vector<std::string> services;
  std::string state_file;
  std::string export_file;
  std::string import_file;
  std::uint64_t seed = 42;
  long long latency_ms = 0;
  bool limits = true;
  bool manual_clock = false;
  bool quiet = false;
  bool help = false;
  bool threads_given = false;
};

template <typename T>
bool ParseNumber(std::string_view text, T& out, T lo, T hi) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi)
    return false;
  out = value;
  return true;
}

// Returns an error message, or nullopt with `cl` filled.
std::optional<std::string> Parse(int argc, char** argv, CommandLine& cl) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string inline_value;
    bool has_inline = false;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      inline_value = std::string(arg.substr(eq + 1));
      arg = arg.substr(0, eq);
      has_inline = true;
    }
    auto value = [&]() -> std::optional<std::string> {
      if (has_inline) return inline_value;
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    auto need = [&](std::optional<std::string>& v) -> std::optional<std::string> {
      if (!v) return std::string(arg) + " needs a value";
      return std::nullopt;
    };
    if (arg == "--help" || arg == "-h") {
      cl.help = true;
    } else if (arg == "--no-limits") {
      cl.limits = false;
    } else if (arg == "--quiet") {
      cl.quiet = true;
    } else if (arg == "--manual-clock") {
      cl.manual_clock = true;
    } else if (arg == "--host") {
      auto v = value();
      if (auto e = need(v)) return e;
      cl.front.host = *v;
    } else if (arg == "--port") {
      auto v = value();
      if (auto e = need(v)) return e;
      if (!ParseNumber(*v, cl.front.port, 0, 65535)) return "--port must be 0..65535";
    } else if (arg == "--service") {
      auto v = value();
      if (auto e = need(v)) return e;
      cl.services.push_back(*v);
    } else if (arg == "--state") {
      auto v = value();
      if (auto e = need(v)) return e;
      if (v->empty()) return "--state needs a file name";
      cl.state_file = *v;
    } else if (arg == "--export-state" || arg == "--import-state") {
      auto v = value();
      if (!v) return std::string(arg) + " needs a file name";
      if (v->empty()) return std::string(arg) + " needs a file name";
      (arg == "--export-state" ? cl.export_file : cl.import_file) = *v;
    } else if (arg == "--seed") {
      auto v = value();
      if (auto e = need(v)) return e;
      if (!ParseNumber<std::uint64_t>(*v, cl.seed, 0, UINT64_MAX))
        return "--seed must be a non-negative integer";
    } else if (arg == "--latency") {
      auto v = value();
      if (auto e = need(v)) return e;
      if (!ParseNumber(*v, cl.latency_ms, 0LL, 600000LL))
        return "--latency must be 0..600000 (milliseconds)";
    } else if (arg == "--static") {
      auto v = value();
      if (auto e = need(v)) return e;
      if (auto problem = restbox::mock::StaticFiles::CheckRoot(*v); !problem.empty())
        return "--static: " + problem;
      cl.front.static_dir = *v;
    } else if (arg == "--allow-host") {
      auto v = value();
      if (auto e = need(v)) return e;
      if (*v != "*" && !restbox::mock::ParseAuthority(*v))
        return "--allow-host needs a host name or address (e.g. devbox.lan), got '" + *v + "'";
      cl.front.allow_hosts.push_back(*v);
    } else if (arg == "--allow-origin") {
      auto v = value();
      if (auto e = need(v)) return e;
      if (!restbox::mock::TrustPolicy::ValidOrigin(*v))
        return "--allow-origin needs an origin, http(s)://host[:port] or null, got '" + *v + "'";
      cl.front.allow_origins.push_back(*v);
    } else if (arg == "--admin-token") {
      auto v = value();
      if (auto e = need(v)) return e;
      const bool visible =
          std::all_of(v->begin(), v->end(), [](char c) { return c > ' ' && c < 0x7f; });
      if (v->empty() || v->size() > 256 || !visible)
        return "--admin-token needs 1 to 256 visible ASCII characters (no spaces)";
      cl.front.admin_token = *v;
    } else if (arg == "--webhook-allow") {
      auto v = value();
      if (auto e = need(v)) return e;
      auto allow = restbox::mock::ParseWebhookAllow(*v);
      if (!allow)
        return "--webhook-allow needs HOST or HOST:PORT (e.g. hooks.example.test:443), got '" + *v +
               "'";
      cl.webhook_allow.push_back(std::move(*allow));
    } else if (arg == "--proxy") {
      auto v = value();
      if (auto e = need(v)) return e;
      std::string error;
      auto upstream = restbox::mock::ParseUpstream(*v, error);
      if (!upstream) return error;
      for (const auto& u : cl.upstreams) {
        if (u.service == upstream->service)
          return "--proxy " + u.service + " given twice (one upstream per API)";
      }
      cl.upstreams.push_back(std::move(*upstream));
    } else if (arg == "--record" || arg == "--replay") {
      auto v = value();
      if (!v || v->empty()) return std::string(arg) + " needs a file name";
      (arg == "--record" ? cl.record_file : cl.replay_file) = *v;
    } else if (arg == "--threads") {
      auto v = value();
      if (auto e = need(v)) return e;
      if (!ParseNumber<std::size_t>(*v, cl.front.threads, 1, 4096))
        return "--threads must be 1..4096";
      cl.threads_given = true;
    } else {
      return "unknown option " + std::string(arg);
    }
  }
  // A forwarded request holds its worker while the real server answers: keep many then.
  if (!cl.threads_given && !cl.upstreams.empty()) cl.front.threads = 64;
  return std::nullopt;
}

// The usage errors of --proxy, --record and --replay, or nullopt.
std::optional<std::string> CheckRecordAndReplay(const CommandLine& cl,
                                                const std::vector<std::string>& known,
                                                const std::string& known_list) {
  if (!cl.record_file.empty() && cl.upstreams.empty())
    return "--record FILE records what --proxy forwards: give at least one --proxy ID=URL";
  if (!cl.replay_file.empty() && (!cl.upstreams.empty() || !cl.record_file.empty()))
    return "--replay serves a cassette offline; it cannot be combined with --proxy or --record";
  for (const auto& u : cl.upstreams) {
    if (std::find(known.begin(), known.end(), u.service) == known.end())
      return "--proxy: unknown service '" + u.service + "' (this build has: " + known_list + ")";
    if (!cl.services.empty() &&
        std::find(cl.services.begin(), cl.services.end(), u.service) == cl.services.end())
      return "--proxy " + u.service + ": that API is not served (add --service " + u.service + ")";
  }
  return std::nullopt;
}

void PrintBanner(const std::string& url, restbox::mock::MockServer& server, const CommandLine& cl,
                 bool state_loaded) {
  std::printf("restbox-mock listening on %s\n", url.c_str());
  if (!cl.front.static_dir.empty()) {
    std::printf("\n  ==> console: %s/   (open it in a browser; files from %s)\n\n", url.c_str(),
                cl.front.static_dir.c_str());
  }
  for (const auto& id : server.ServiceIds()) {
    const auto* module = server.FindService(id);
    const auto& spec = module->Spec();
    std::printf("  %-11s %s%s  (%zu endpoints: %s)\n", id.c_str(), url.c_str(),
                restbox::mock::ServiceBasePath(spec).c_str(), spec.endpoints.size(),
                spec.title.c_str());
  }
  std::printf("  fixtures    %s/__restbox/fixtures  (demo keys, ids and slugs of every API)\n",
              url.c_str());
  std::printf(
      "  admin       "
      "%s/__restbox/{health,settings/<id>,faults,clock,journal,state,openapi/<id>.json}\n",
      url.c_str());
  if (!cl.front.admin_token.empty()) {
    std::printf(
        "  admin token %s  (%s; send it on every /__restbox/ request: -H 'Authorization: Bearer "
        "%s')\n",
        cl.front.admin_token.c_str(),
        cl.token_generated ? "generated, or choose one with --admin-token" : "--admin-token",
        cl.front.admin_token.c_str());
  }
  if (!cl.state_file.empty()) {
    std::printf("  state       %s (%s)\n", cl.state_file.c_str(), state_loaded ? "loaded" : "new");
  }
  for (const auto& u : cl.upstreams) {
    std::printf("  proxy       %s -> %s (every exchange checked: %s/__restbox/problems)\n",
                u.service.c_str(), u.base_url.c_str(), url.c_str());
  }
  if (!cl.record_file.empty()) {
    std::printf("  record      %s (HAR 1.2, secrets redacted, written as each exchange ends)\n",
                cl.record_file.c_str());
  }
  if (!cl.replay_file.empty()) {
    std::printf("  replay      %s (every API request answered from it; no recording: 501)\n",
                cl.replay_file.c_str());
  }
  std::vector<std::string> flags;
  if (!cl.limits) flags.push_back("rate limits off");
  if (cl.latency_ms > 0) flags.push_back("+" + std::to_string(cl.latency_ms) + " ms latency");
  if (cl.manual_clock) flags.push_back("manual clock (POST /__restbox/clock/advance moves it)");
  if (cl.seed != 42) flags.push_back("seed " + std::to_string(cl.seed));
  for (const auto& h : cl.front.allow_hosts) flags.push_back("host " + h + " allowed");
  for (const auto& o : cl.front.allow_origins) flags.push_back("origin " + o + " allowed");
  for (const auto& w : cl.webhook_allow) {
    std::string host = w.host.find(':') != std::string::npos ? "[" + w.host + "]" : w.host;
    flags.push_back("webhooks to " + host +
                    (w.port ? ":" + std::to_string(w.port) : std::string()) + " allowed");
  }
  for (std::size_t i = 0; i < flags.size(); ++i)
    std::printf("%s%s", i ? ", " : "  options     ", flags[i].c_str());
  if (!flags.empty()) std::printf("\n");
  // One real call per API with its demo credentials, so the first paste shows a success of that
  // API rather than of the admin API.
  auto examples = restbox::mock::ExampleCalls(server, url);
  if (!examples.empty())
    std::printf("try (one request per API, with the demo credentials of the fixtures):\n");
  for (const auto& e : examples) std::printf("  %-11s %s\n", e.service.c_str(), e.curl.c_str());
  std::printf("Ctrl-C stops.%s\n", cl.quiet ? "" : " One log line per request follows.");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cl;
  if (auto error = Parse(argc, argv, cl)) {
    std::fprintf(stderr, "restbox-mock: %s\n\n%s", error->c_str(), kUsage);
    return 2;
  }
  if (cl.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto known = restbox::mock::MockedServiceIds();
  std::string known_list;
  for (const auto& k : known) known_list += (known_list.empty() ? "" : ", ") + k;
  for (const auto& id : cl.services) {
    if (std::find(known.begin(), known.end(), id) == known.end()) {
      std::fprintf(stderr, "restbox-mock: unknown service '%s' (this build has: %s)\n", id.c_str(),
                   known_list.c_str());
      return 2;
    }
  }
  if (auto error = CheckRecordAndReplay(cl, known, known_list)) {
    std::fprintf(stderr, "restbox-mock: %s\n", error->c_str());
    return 2;
  }
  std::optional<restbox::transports::Cassette> replay;
  if (!cl.replay_file.empty()) {
    auto cassette = restbox::transports::Cassette::Load(cl.replay_file);
    if (!cassette) {
      std::fprintf(stderr, "restbox-mock: --replay: %s\n", cassette.error().message.c_str());
      return 2;
    }
    replay = std::move(*cassette);
  }

  if (restbox::mock::AdminTokenRequired(cl.front.host)) {
    if (cl.front.admin_token.empty()) {
      cl.front.admin_token = restbox::mock::GenerateAdminToken();
      cl.token_generated = true;
    }
    std::fprintf(stderr,
                 "restbox-mock: WARNING: listening on %s, which is not a loopback address: other "
                 "machines that "
                 "reach it can call the mocked APIs. The admin API (/__restbox/) needs the admin "
                 "token (printed "
                 "below).\n",
                 cl.front.host.c_str());
  }

  // Signals are taken by one thread with sigwait; every other thread (created below) blocks them.
  // SIGUSR1 is the main thread telling that thread that the shutdown is over.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  restbox::mock::HttpWebhookOptions webhook_options;
  webhook_options.policy.allow = cl.webhook_allow;
  auto webhooks = std::make_shared<restbox::mock::HttpWebhookSender>(webhook_options);
  std::mutex log_mutex;
  auto print_line = [&log_mutex](const std::string& line) {
    std::lock_guard lock(log_mutex);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
  };
  restbox::mock::MockOptions options;
  if (!cl.upstreams.empty()) {
    restbox::mock::ProxyOptions proxy;
    proxy.upstreams = cl.upstreams;
    proxy.log = print_line;  // problems are printed even with --quiet
    if (!cl.record_file.empty()) {
      auto file = restbox::transports::CassetteFile::Create(cl.record_file);
      if (!file) {
        std::fprintf(stderr, "restbox-mock: --record: %s\n", file.error().message.c_str());
        webhooks->Shutdown();
        return 2;
      }
      proxy.record = *file;
    }
    options.pass_through = std::make_shared<restbox::mock::Proxy>(std::move(proxy));
  } else if (replay) {
    options.pass_through =
        std::make_shared<restbox::mock::Replayer>(std::move(*replay), cl.replay_file);
  }
  options.seed = cl.seed;
  options.latency = restbox::core::Duration(cl.latency_ms);
  options.limits_enabled = cl.limits;
  if (cl.manual_clock) options.clock = std::make_shared<restbox::core::ManualClock>();
  options.webhooks = webhooks;
  auto server = restbox::mock::MakeMockServer(options, cl.services);

  bool state_loaded = false;
  if (!cl.state_file.empty()) {
    std::string error;
    int migrated_from = 0;
    std::shared_ptr<restbox::mock::SqliteStateStore> store =
        restbox::mock::SqliteStateStore::Open(cl.state_file, &error, &migrated_from);
    if (!store) {
      std::fprintf(stderr, "restbox-mock: %s\n", error.c_str());
      webhooks->Shutdown();
      return 1;
    }
    if (migrated_from) {
      std::fprintf(stderr, "restbox-mock: %s: state schema %d migrated to %d\n",
                   cl.state_file.c_str(), migrated_from, restbox::mock::kStateSchemaVersion);
    }
    if (auto failed = server->AttachStore(store, &state_loaded)) {
      std::fprintf(stderr,
                   "restbox-mock: %s: %s\n(refusing to start; the file is left as it was)\n",
                   cl.state_file.c_str(), failed->c_str());
      webhooks->Shutdown();
      return 1;
    }
  }
  if (!cl.import_file.empty()) {
    std::ifstream in(cl.import_file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto json = restbox::core::ParseJson(text);
    std::optional<std::string> failed;
    if (!in.good() && !in.eof())
      failed = "cannot read it";
    else if (!json.ok())
      failed = "not JSON: " + json.error().message;
    else
      failed = server->LoadWorld(json.value());
    if (failed) {
      std::fprintf(stderr, "restbox-mock: --import-state %s: %s\n", cl.import_file.c_str(),
                   failed->c_str());
      webhooks->Shutdown();
      return 1;
    }
    state_loaded = true;
  }
  // Loading built the whole state once more as JSON and rows: give that memory back.
  malloc_trim(0);
  if (!cl.export_file.empty()) {
    std::string text = restbox::core::DumpJson(server->World(), 1) + "\n";
    std::string temp = cl.export_file + ".tmp" + std::to_string(getpid());
    std::FILE* f = std::fopen(temp.c_str(), "wb");
    bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    ok = f && std::fclose(f) == 0 && ok;
    ok = ok && std::rename(temp.c_str(), cl.export_file.c_str()) == 0;
    webhooks->Shutdown();
    if (!ok) {
      std::remove(temp.c_str());
      std::fprintf(stderr, "restbox-mock: cannot write %s: %s\n", cl.export_file.c_str(),
                   std::strerror(errno));
      return 1;
    }
    std::fprintf(stderr, "restbox-mock: state written to %s\n", cl.export_file.c_str());
    return 0;
  }

  restbox::mock::Housekeeper housekeeper(server);  // --state: the store commits each change itself

  setvbuf(stdout, nullptr, _IOLBF, 0);  // each line shows at once, also through a pipe
  if (!cl.quiet) cl.front.log = print_line;
  cl.front.on_write = [&housekeeper] { housekeeper.MarkDirty(); };
  restbox::mock::HttpFront front(server, cl.front);
  if (auto error = front.Bind()) {
    std::fprintf(stderr, "restbox-mock: %s\n", error->c_str());
    webhooks->Shutdown();
    return 1;
  }
  PrintBanner(front.url(), *server, cl, state_loaded);
  housekeeper.Start();

  std::atomic<bool> finished{false};
  std::thread signal_thread([&] {
    // True for SIGINT or SIGTERM; false once the main thread has finished the shutdown.
    auto wait_for_stop = [&] {
      for (;;) {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        if (finished) return false;
        if (sig != SIGUSR1) return true;
      }
    };
    if (!wait_for_stop()) return;
    front.Stop();
    std::fprintf(stderr, "restbox-mock: stopping (Ctrl-C again to exit at once)\n");
    if (!wait_for_stop()) return;
    // A second signal: no more waiting for requests or webhook receivers. Every change is
    // already committed to the --state file.
    int code = 130;
    std::fprintf(stderr, "restbox-mock: exited at once%s%s\n",
                 cl.state_file.empty() ? "" : "; state kept in ", cl.state_file.c_str());
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(code);
  });
  front.Serve();  // returns after Stop(), or when the listening socket fails

  webhooks->Shutdown();  // deliveries in progress finish (5 s at most) and report before the save
  housekeeper.Stop();    // last Tick (committed like every change)
  std::fflush(stdout);
  if (!cl.state_file.empty())
    std::fprintf(stderr, "restbox-mock: stopped; state kept in %s\n", cl.state_file.c_str());
  else
    std::fprintf(stderr, "restbox-mock: stopped\n");
  finished = true;
  pthread_kill(signal_thread.native_handle(), SIGUSR1);
  signal_thread.join();
  return 0;
}
