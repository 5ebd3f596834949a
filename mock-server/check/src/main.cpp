// restbox-check: runs the contract against a target and reports (mock-server/check/README.md).
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "restbox/check/check.hpp"
#include "restbox/check/report.hpp"

namespace {

using restbox::check::CheckOptions;
using restbox::check::ConfigError;

constexpr const char* kUsage = R"(usage: restbox-check [target] [options]

Runs every documented (endpoint, status) row of the five APIs against a target and checks each
answer against the contract: status, Content-Type, documented headers, body schema, service code.

target (default: the in-process mock):
  --mock-url URL          a restbox-mock over HTTP (its admin API resets it and forces rows)
  --service ID=BASE_URL   any other server for one API (repeatable): inventory=http://host
                          reaches http://host/apiV1/items; market=http://host reaches the
                          platform's http://host/market/{project}/{slug}. Realistic rows only,
                          paced under the documented limits.
  --market-provider URL   one market provider endpoint (a provider's backend), checked against
                          the provider convention (with or without --service)
options:
  --fixtures FILE         keys, slugs and ids to use (the shape of GET /__restbox/fixtures)
  --allow-writes          also run rows that write (--service targets)
  --include-limits        also run the rate-limit and quota rows (--service targets)
  --budget N              send at most N requests
  --limit-scale F         pace by the documented limits with windows F times as long (a test
                          server with shortened windows: 0.1 = 60 a minute becomes 60 in 6 s)
  --only REGEX            only rows whose id matches (service/endpoint/status[/code]/mode)
  --min-coverage PCT      fail when fewer than PCT % of the (endpoint, status) cells ran
  --compare-mock          also run each realistic row on the in-process mock; report differences
  --json FILE             the JSON report      --junit FILE   JUnit XML (one testcase per row)
  --html FILE             one self-contained HTML page (secrets masked)
  --verbose               list every row in the table, passes and skips too
  --help                  this text
exit status: 0 every row that ran passed, 1 a row failed or coverage is short, 2 usage or
configuration error.
)";

struct Args {
  CheckOptions options;
  std::string json, junit, html;
  double min_coverage = -1;
  bool verbose = false;
};

std::string ReadFileOrThrow(const std::string& flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(flag + " " + path + ": cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The whole of `text` as a number; NaN when it is not one (every range check then fails).
double Number(const std::string& text) {
  std::size_t used = 0;
  try {
    double d = std::stod(text, &used);
    if (used == text.size()) return d;
  } catch (const std::exception&) {
  }
  return std::nan("");
}

Args Parse(int argc, char** argv) {
  Args a;
  auto& o = a.options;
  bool mock_url = false;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw ConfigError(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (flag == "--mock-url") {
      o.mock_url = value();
      mock_url = true;
    } else if (flag == "--service") {
      std::string v = value();
      auto eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size())
        throw ConfigError(
            "--service needs ID=BASE_URL (e.g. inventory=http://127.0.0.1:9000/apiV1), got \"" + v +
            "\"");
      o.services.push_back({v.substr(0, eq), v.substr(eq + 1)});
    } else if (flag == "--market-provider") {
      o.market_provider = value();
    } else if (flag == "--limit-scale") {
      std::string v = value();
      double f = Number(v);
      if (!(f > 0 && f <= 1e6))
        throw ConfigError("--limit-scale needs a positive number, got \"" + v + "\"");
      o.limit_scale = f;
    } else if (flag == "--fixtures") {
      std::string path = value();
      auto parsed = restbox::core::ParseJson(ReadFileOrThrow(flag, path));
      if (!parsed.ok())
        throw ConfigError("--fixtures " + path + ": not JSON (" + parsed.error().message + ")");
      if (!parsed->is_object())
        throw ConfigError("--fixtures " + path +
                          ": must hold a JSON object (the shape of GET /__restbox/fixtures)");
      o.fixtures = *parsed;
    } else if (flag == "--allow-writes") {
      o.allow_writes = true;
    } else if (flag == "--include-limits") {
      o.include_limits = true;
    } else if (flag == "--compare-mock") {
      o.compare_mock = true;
    } else if (flag == "--verbose" || flag == "-v") {
      a.verbose = true;
    } else if (flag == "--budget") {
      std::string v = value();
      std::size_t used = 0;
      long long n = 0;
      try {
        n = std::stoll(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size() || n <= 0)
        throw ConfigError("--budget needs a positive whole number of requests, got \"" + v + "\"");
      o.budget = n;
    } else if (flag == "--only") {
      o.only = value();
      if (o.only.empty()) throw ConfigError("--only needs a non-empty regular expression");
    } else if (flag == "--min-coverage") {
      std::string v = value();
      double p = Number(v);
      if (!(p >= 0 && p <= 100))
        throw ConfigError("--min-coverage needs a percentage from 0 to 100, got \"" + v + "\"");
      a.min_coverage = p;
    } else if (flag == "--json") {
      a.json = value();
    } else if (flag == "--junit") {
      a.junit = value();
    } else if (flag == "--html") {
      a.html = value();
    } else {
      throw ConfigError("unknown argument \"" + flag + "\"");
    }
  }
  bool services = !o.services.empty() || !o.market_provider.empty();
  if (mock_url && services)
    throw ConfigError(
        "--mock-url and --service/--market-provider are different targets: give one of them");
  o.kind = mock_url   ? CheckOptions::Kind::kMockUrl
           : services ? CheckOptions::Kind::kServices
                      : CheckOptions::Kind::kInProcess;
  if (o.kind != CheckOptions::Kind::kServices && (o.allow_writes || o.include_limits)) {
    // restbox-mock is reset before each row: every row runs there anyway.
    std::cerr << "restbox-check: note: --allow-writes and --include-limits concern --service "
                 "targets; every row runs on the mock\n";
  }
  return a;
}

void WriteOut(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw ConfigError("cannot write " + path);
  out << text;
  if (!out.flush()) throw ConfigError("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  try {
    args = Parse(argc, argv);
    // Report files are checked before the run, so a typo does not cost a whole run.
    for (const auto* path : {&args.json, &args.junit, &args.html}) {
      if (!path->empty()) WriteOut(*path, "");
    }
    auto report = restbox::check::Run(args.options);
    restbox::check::WriteTable(std::cout, report, args.verbose);
    if (!args.json.empty())
      WriteOut(args.json, restbox::core::DumpJson(restbox::check::ToJson(report), 2) + "\n");
    if (!args.junit.empty()) WriteOut(args.junit, restbox::check::ToJUnit(report));
    if (!args.html.empty()) WriteOut(args.html, restbox::check::ToHtml(report));
    bool coverage_short =
        args.min_coverage >= 0 && report.summary.coverage_percent + 1e-9 < args.min_coverage;
    if (coverage_short) {
      std::cout << "coverage " << report.summary.coverage_percent << "% is below --min-coverage "
                << args.min_coverage << "%; not exercised:\n";
      for (const auto& c : report.summary.uncovered) std::cout << "  " << c << "\n";
    }
    return report.summary.failed > 0 || coverage_short ? 1 : 0;
  } catch (const ConfigError& e) {
    std::cerr << "restbox-check: " << e.what() << "\n(restbox-check --help for usage)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "restbox-check: " << e.what() << "\n";
    return 2;
  }
}
