#include "restbox/check/report.hpp"

#include <cstdio>
#include <iomanip>
#include <map>
#include <sstream>

#include "restbox/core/masking.hpp"

namespace restbox::check {
namespace {

using core::Json;

// Exchanges keep at most this much of each body in the reports.
constexpr std::size_t kMaxBody = 16 * 1024;

std::string Clip(std::string text) {
  if (text.size() > kMaxBody)
    text = text.substr(0, kMaxBody) + "...(" + std::to_string(text.size()) + " bytes)";
  return text;
}

Json HeadersJson(const core::Headers& headers) {
  Json out = Json::array();
  for (const auto& [name, value] : core::MaskHeaders(headers)) out.push_back({name, value});
  return out;
}

Json ExchangeJson(const Exchange& x) {
  Json j = {{"at", core::FormatIso8601(x.at)},
            {"request",
             {{"method", std::string(core::ToString(x.request.method))},
              {"url", core::MaskUrl(x.request.url)},
              {"headers", HeadersJson(x.request.headers)},
              {"body", Clip(core::MaskBody(x.request.body))}}}};
  if (x.response) {
    j["response"] = {{"status", x.response->status},
                     {"headers", HeadersJson(x.response->headers)},
                     {"body", Clip(core::MaskBody(x.response->body))}};
  } else {
    j["response"] = nullptr;
    j["error"] = x.error;
  }
  return j;
}

Json ProblemJson(const Problem& p) {
  return {{"path", p.path}, {"expected", p.expected}, {"actual", p.actual}};
}

std::string Status(const RowResult& r) {
  return std::to_string(r.status) + (r.code.empty() ? "" : " " + r.code);
}

std::string Xml(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // XML 1.0 has no place for other control characters.
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
          out += "?";
        else
          out += static_cast<char>(c);
    }
  }
  return out;
}

std::string Seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms / 1000.0);
  return buf;
}

std::string Percent(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", p);
  return buf;
}

// The problems of one row for the text table: problems that differ only by array index
// ($.data[0].id, $.data[1].id...) read as one, `$.data[*].id: ... (20 items)`. The JSON, JUnit and
// HTML reports keep every one.
std::string ProblemSummary(const std::vector<Problem>& problems) {
  struct Group {
    Problem first;    // as it came
    std::string any;  // its path with every [N] read as [*]
    int count = 0;
  };
  std::vector<Group> groups;
  std::map<std::string, std::size_t> index;
  for (const auto& p : problems) {
    std::string any;
    for (std::size_t i = 0; i < p.path.size(); ++i) {
      const std::size_t close = p.path[i] == '[' ? p.path.find(']', i) : std::string::npos;
      if (close != std::string::npos && close > i + 1 &&
          p.path.find_first_not_of("0123456789", i + 1) == close) {
        any += "[*]";
        i = close;
        continue;
      }
      any += p.path[i];
    }
    auto [it, fresh] = index.emplace(any + '\n' + p.expected + '\n' + p.actual, groups.size());
    if (fresh) groups.push_back({p, any, 0});
    ++groups[it->second].count;
  }
  std::string out;
  for (const auto& g : groups) {
    Problem shown = g.first;
    if (g.count > 1) shown.path = g.any;
    out += (out.empty() ? "" : "; ") + ToString(shown);
    if (g.count > 1) out += " (" + std::to_string(g.count) + " items)";
  }
  return out;
}

}  // namespace

void WriteTable(std::ostream& out, const Report& report, bool verbose) {
  const Summary& s = report.summary;
  out << "restbox-check against " << s.target << "\n";
  auto line = [&](const std::string& a, const std::string& b, const std::string& c,
                  const std::string& d, const std::string& e, const std::string& f) {
    out << std::left << std::setw(6) << a << std::setw(11) << b << std::setw(27) << c
        << std::setw(26) << d << std::setw(10) << e << f << "\n";
  };
  line("", "service", "endpoint", "status", "mode", "problems / reason");
  for (const auto& r : report.rows) {
    if (!verbose && r.outcome == Outcome::kPass && r.drift.empty()) continue;
    if (!verbose && r.outcome == Outcome::kSkip) continue;  // summarised by reason below
    std::string detail = ProblemSummary(r.problems);
    for (const auto& d : r.drift)
      detail += (detail.empty() ? "" : "; ") + std::string("drift ") + d.path + ": " + d.expected +
                ", target " + d.actual;
    if (detail.empty()) detail = r.reason;
    line(std::string(ToString(r.outcome)), r.service, r.endpoint, Status(r), r.mode, detail);
  }
  if (!s.skip_reasons.empty()) {
    out << "skipped:\n";
    for (const auto& [reason, n] : s.skip_reasons)
      out << "  " << std::setw(4) << std::right << n << std::left << "  " << reason << "\n";
  }
  if (!s.uncovered.empty() && s.uncovered.size() <= 40) {
    out << "not exercised:\n";
    for (const auto& c : s.uncovered) out << "  " << c << "\n";
  } else if (!s.uncovered.empty()) {
    out << "not exercised: " << s.uncovered.size() << " cells (see --json)\n";
  }
  out << s.rows << " rows: " << s.passed << " passed, " << s.failed << " failed, " << s.skipped
      << " skipped; coverage " << s.covered << "/" << s.cells << " cells ("
      << Percent(s.coverage_percent) << "%); " << s.requests << " requests, at most "
      << s.max_requests_per_minute << " to one API in a minute; " << Seconds(s.elapsed_ms) << " s";
  if (s.drifted) out << "; " << s.drifted << " rows where the mock answers differently";
  out << "\n";
}

Json ToJson(const Report& report) {
  Json rows = Json::array();
  for (const auto& r : report.rows) {
    Json problems = Json::array();
    for (const auto& p : r.problems) problems.push_back(ProblemJson(p));
    Json exchanges = Json::array();
    for (const auto& x : r.exchanges) exchanges.push_back(ExchangeJson(x));
    Json row = {{"service", r.service},
                {"endpoint", r.endpoint},
                {"status", r.status},
                {"code", r.code},
                {"mode", r.mode},
                {"trigger", r.trigger},
                {"outcome", std::string(ToString(r.outcome))},
                {"reason", r.reason},
                {"problems", problems},
                {"exchanges", exchanges}};
    if (r.compared) {
      Json drift = Json::array();
      for (const auto& d : r.drift) drift.push_back(ProblemJson(d));
      row["drift"] = drift;
    }
    rows.push_back(std::move(row));
  }
  const Summary& s = report.summary;
  Json skips = Json::object();
  for (const auto& [reason, n] : s.skip_reasons) skips[reason] = n;
  Json summary = {{"target", s.target},
                  {"rows", s.rows},
                  {"pass", s.passed},
                  {"fail", s.failed},
                  {"skip", s.skipped},
                  {"skip_reasons", skips},
                  {"cells", s.cells},
                  {"covered", s.covered},
                  {"coverage_percent", s.coverage_percent},
                  {"uncovered", s.uncovered},
                  {"requests", s.requests},
                  {"max_requests_per_minute", s.max_requests_per_minute},
                  {"max_requests_per_minute_by_service", s.max_requests_per_minute_by_service},
                  {"elapsed_ms", s.elapsed_ms},
                  {"drifted", s.drifted}};
  return {{"rows", rows}, {"summary", summary}};
}

std::string ToJUnit(const Report& report) {
  const Summary& s = report.summary;
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"restbox-check\" tests=\"" << s.rows << "\" failures=\"" << s.failed
      << "\" errors=\"0\" skipped=\"" << s.skipped << "\" time=\"" << Seconds(s.elapsed_ms)
      << "\">\n";
  // One suite per service, in the order the rows came.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const RowResult*>> by_service;
  for (const auto& r : report.rows) {
    if (!by_service.count(r.service)) order.push_back(r.service);
    by_service[r.service].push_back(&r);
  }
  for (const auto& service : order) {
    const auto& rows = by_service[service];
    int failures = 0, skipped = 0;
    double ms = 0;
    for (const auto* r : rows) {
      failures += r->outcome == Outcome::kFail;
      skipped += r->outcome == Outcome::kSkip;
      ms += r->duration_ms;
    }
    out << "  <testsuite name=\"" << Xml(service) << "\" tests=\"" << rows.size()
        << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"" << skipped << "\" time=\""
        << Seconds(ms) << "\">\n";
    for (const auto* r : rows) {
      out << "    <testcase classname=\"" << Xml(r->service + "." + r->endpoint) << "\" name=\""
          << Xml(Status(*r) + " " + r->mode) << "\" time=\"" << Seconds(r->duration_ms) << "\"";
      if (r->outcome == Outcome::kPass) {
        out << "/>\n";
        continue;
      }
      out << ">\n";
      if (r->outcome == Outcome::kSkip) {
        out << "      <skipped message=\"" << Xml(r->reason) << "\"/>\n";
      } else {
        std::string text;
        for (const auto& p : r->problems) text += ToString(p) + "\n";
        if (text.empty()) text = r->reason;
        std::string first = r->problems.empty() ? r->reason : ToString(r->problems.front());
        out << "      <failure message=\"" << Xml(first) << "\" type=\"contract\">" << Xml(text)
            << "</failure>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

std::string ToHtml(const Report& report) {
  const Summary& s = report.summary;
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>restbox-check: "
      << Xml(s.target)
      << "</title>\n<style>body{font:14px "
         "system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:2px "
         "6px;vertical-align:top}.pass{background:#dfd}.fail{background:#fcc}"
         ".skip{background:#eee;color:#555}pre{white-space:pre-wrap;word-break:break-all;"
         "background:#f7f7f7;padding:4px;margin:2px 0}"
         "details{margin:2px 0}</style></head><body>\n";
  out << "<h1>restbox-check</h1>\n<p>Target: <code>" << Xml(s.target) << "</code>. " << s.rows
      << " rows: " << s.passed << " passed, " << s.failed << " failed, " << s.skipped
      << " skipped. Coverage " << s.covered << "/" << s.cells << " cells ("
      << Percent(s.coverage_percent) << "%). " << s.requests << " requests, at most "
      << s.max_requests_per_minute << " in a minute, " << Seconds(s.elapsed_ms) << " s.</p>\n";
  // The matrix: one line per (service, endpoint), one cell per documented status/code and mode.
  out << "<h2>Matrix</h2>\n<table><tr><th>service</th><th>endpoint</th><th>rows</th></tr>\n";
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::size_t>> by_endpoint;
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const auto& r = report.rows[i];
    std::string key = r.service + "\t" + r.endpoint;
    if (!by_endpoint.count(key)) order.push_back(key);
    by_endpoint[key].push_back(i);
  }
  for (const auto& key : order) {
    auto tab = key.find('\t');
    out << "<tr><td>" << Xml(key.substr(0, tab)) << "</td><td>" << Xml(key.substr(tab + 1))
        << "</td><td>";
    for (std::size_t i : by_endpoint[key]) {
      const auto& r = report.rows[i];
      out << "<a class=\"" << ToString(r.outcome) << "\" href=\"#row" << i << "\" title=\""
          << Xml(r.mode + ": " + r.reason) << "\">" << Xml(Status(r))
          << (r.mode == "forced" ? "*" : "") << "</a> ";
    }
    out << "</td></tr>\n";
  }
  out << "</table>\n<p>* forced (Prefer: code=...)</p>\n<h2>Rows</h2>\n";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const auto& r = report.rows[i];
    out << "<details id=\"row" << i << "\"" << (r.outcome == Outcome::kFail ? " open" : "")
        << "><summary class=\"" << ToString(r.outcome) << "\">" << ToString(r.outcome) << " "
        << Xml(r.service + " " + r.endpoint + " " + Status(r) + " " + r.mode) << "</summary>\n<p>"
        << Xml(r.trigger) << (r.reason.empty() ? "" : "<br>" + Xml(r.reason)) << "</p>\n";
    if (!r.problems.empty()) {
      out << "<ul>";
      for (const auto& p : r.problems) out << "<li><code>" << Xml(ToString(p)) << "</code></li>";
      out << "</ul>\n";
    }
    for (const auto& d : r.drift)
      out << "<p>drift <code>" << Xml(d.path) << "</code>: " << Xml(d.expected) << ", target "
          << Xml(d.actual) << "</p>\n";
    for (const auto& x : r.exchanges) {
      Json j = ExchangeJson(x);
      std::string req = j["request"]["method"].get<std::string>() + " " +
                        j["request"]["url"].get<std::string>() + "\n";
      for (const auto& h : j["request"]["headers"])
        req += h[0].get<std::string>() + ": " + h[1].get<std::string>() + "\n";
      if (!j["request"]["body"].get<std::string>().empty())
        req += "\n" + j["request"]["body"].get<std::string>();
      std::string resp;
      if (j["response"].is_null()) {
        resp = "no answer: " + j["error"].get<std::string>();
      } else {
        resp = std::to_string(j["response"]["status"].get<int>()) + "\n";
        for (const auto& h : j["response"]["headers"])
          resp += h[0].get<std::string>() + ": " + h[1].get<std::string>() + "\n";
        resp += "\n" + j["response"]["body"].get<std::string>();
      }
      out << "<pre>" << Xml(req) << "</pre><pre>" << Xml(resp) << "</pre>\n";
    }
    out << "</details>\n";
  }
  out << "</body></html>\n";
  return out.str();
}

}  // namespace restbox::check
