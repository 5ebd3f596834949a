#include "export.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "export_typed.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/core/url.hpp"

namespace restbox::console {
namespace {

// Applies the masking rules of one export (see export.hpp).
class Masker final {
 public:
  // `by_name`: also mask body/query members and URL parameters by name (HAR, a record). Runnable
  // exports pass false (see Url).
  explicit Masker(const ExportOptions& options, bool by_name = false)
      : options_(options), by_name_(by_name) {}
  std::string Text(std::string text) const {
    return options_.reveal_secrets ? text
                                   : core::RedactKnownSecrets(std::move(text), options_.secrets);
  }
  std::string Header(std::string_view name, std::string_view value) const {
    return options_.reveal_secrets ? std::string(value) : Text(core::MaskHeaderValue(name, value));
  }
  // URLs and bodies: known credential values only. Masking by member name would also cut the
  // ids these APIs call tokens (inventory's template and share tokens), and an export whose
  // parameters are masked cannot run; credentials themselves become variables (ExportVariables).
  std::string Url(std::string_view url) const {
    if (options_.reveal_secrets) return std::string(url);
    return Text(by_name_ ? core::MaskUrl(url) : std::string(url));
  }
  std::string Body(std::string_view body) const {
    if (options_.reveal_secrets) return std::string(body);
    return Text(by_name_ ? core::MaskBody(body) : std::string(body));
  }
  std::string Credential(std::string_view value) const {
    return options_.reveal_secrets || value.empty() ? std::string(value) : core::MaskSecret(value);
  }
  core::Json Params(const core::Json& params) const {
    if (options_.reveal_secrets) return params;
    auto masked = core::ParseJson(Body(core::DumpJson(params)));
    if (!masked.ok()) return params;
    return std::move(*masked);
  }

 private:
  const ExportOptions& options_;
  bool by_name_;
};

// The draft's parameters with its extra headers merged into "headers" (how FromParams and the JS
// API take explicit headers).
core::Json ParamsWithHeaders(const Draft& draft) {
  core::Json params = draft.params.is_object() ? draft.params : core::Json::object();
  if (!draft.extra_headers.empty()) {
    core::Json& headers = params["headers"];
    if (!headers.is_object()) headers = core::Json::object();
    for (const auto& [name, value] : draft.extra_headers) headers[name] = value;
  }
  return params;
}

// A JavaScript string literal (JSON's string syntax is valid JavaScript).
std::string JsString(std::string_view text) {
  return core::DumpJson(core::Json(std::string(text)));
}

std::string Title(const Exchange& e, const Masker& mask) {
  std::string url = e.url;
  // The in-process mock's host is no address anyone can reach: its exchanges are titled by path.
  if (auto parts = core::ParseUrl(url); parts && e.target == TargetKind::kInProcess) {
    url = parts->path + (parts->query.empty() ? "" : "?" + parts->query);
  }
  return e.service + " " + e.endpoint + " (" + e.method + " " + mask.Url(url) +
         "), exported from the restbox console";
}

core::Json HarHeaders(const core::Headers& headers, const Masker& mask) {
  core::Json out = core::Json::array();
  for (const auto& [name, value] : headers)
    out.push_back({{"name", name}, {"value", mask.Header(name, value)}});
  return out;
}

std::string IsoMs(double unix_ms) {
  return core::FormatIso8601(core::TimePoint(std::chrono::duration_cast<core::TimePoint::duration>(
      std::chrono::milliseconds(static_cast<long long>(unix_ms)))));
}

// `text` cut at each occurrence of a variable's value: literal pieces and variable references, in
// order. The longest value wins where two overlap.
struct Piece {
  std::string text;                     // literal text (var == nullptr)
  const ExportVariable* var = nullptr;  // or a reference to this variable
};
std::vector<Piece> SplitAtVariables(std::string_view text,
                                    const std::vector<ExportVariable>& vars) {
  std::vector<Piece> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t best = std::string_view::npos;
    const ExportVariable* best_var = nullptr;
    for (const auto& v : vars) {
      if (v.value.empty()) continue;
      const std::size_t found = text.find(v.value, at);
      if (found == std::string_view::npos) continue;
      if (found < best || (found == best && v.value.size() > best_var->value.size())) {
        best = found;
        best_var = &v;
      }
    }
    if (!best_var) break;
    if (best > at) out.push_back({std::string(text.substr(at, best - at)), nullptr});
    out.push_back({"", best_var});
    at = best + best_var->value.size();
  }
  if (at < text.size()) out.push_back({std::string(text.substr(at)), nullptr});
  return out;
}

bool MentionsVariable(std::string_view text, const std::vector<ExportVariable>& vars) {
  for (const auto& v : vars) {
    if (!v.value.empty() && text.find(v.value) != std::string_view::npos) return true;
  }
  return false;
}

// One shell word: literal pieces single-quoted, variables as "${NAME:?...}" so an unset one stops
// the shell with a message instead of sending an empty credential.
std::string ShellWord(std::string_view text, const std::vector<ExportVariable>& vars,
                      const Masker& mask) {
  std::string out;
  for (const Piece& p : SplitAtVariables(text, vars)) {
    out += p.var ? "\"${" + p.var->name + ":?set it first: see the export line above}\""
                 : ShellQuote(mask.Text(p.text));
  }
  return out.empty() ? "''" : out;
}

// The commented lines that set the variables, in the syntax of `prefix` ("# " or "// ").
std::string VariableComments(const std::vector<ExportVariable>& vars, std::string_view prefix) {
  if (vars.empty()) return {};
  std::string out(prefix);
  out += "Credentials come from the environment; set them first:\n";
  for (const auto& v : vars) {
    out += std::string(prefix) + "  export " + v.name + "=" + ShellQuote(v.hint) + "\n";
  }
  return out;
}

// The draft's parameters without members that carry one of the variables (a credential typed
// into the form: the client applies the one from the environment).
core::Json ParamsWithoutVariables(core::Json params, const std::vector<ExportVariable>& vars) {
  if (!params.is_object()) return core::Json::object();
  for (auto it = params.begin(); it != params.end();) {
    if (it->is_string() && MentionsVariable(it->get<std::string>(), vars)) {
      it = params.erase(it);
    } else {
      ++it;
    }
  }
  return params;
}

// Where the commented variable lines go in a C++ or JS export: they are put in after the text is
// masked, since they show the demo values in clear.
constexpr const char* kVariablesMark = "\x01restbox-variables\x01";
std::string WithVariableComments(std::string text, const std::vector<ExportVariable>& vars) {
  if (auto at = text.find(kVariablesMark); at != std::string::npos) {
    text.replace(at, std::string_view(kVariablesMark).size(), VariableComments(vars, "// "));
  }
  return text;
}

std::string Upper(std::string text) {
  for (char& c : text) {
    c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A')
                               : (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  return text;
}

}  // namespace

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::vector<ExportVariable> ExportVariables(const Exchange& exchange,
                                            const ExportOptions& options) {
  std::vector<ExportVariable> vars;
  if (options.reveal_secrets) return vars;
  auto add = [&](const std::string& value, const char* suffix, const char* placeholder) {
    if (value.empty()) return;
    const bool is_public = std::find(options.public_values.begin(), options.public_values.end(),
                                     value) != options.public_values.end();
    vars.push_back({"RESTBOX_" + Upper(exchange.service) + "_" + suffix, value,
                    is_public ? value : placeholder});
  };
  add(exchange.credentials.key, "KEY", "your key");
  add(exchange.credentials.secret, "SECRET", "your secret");
  return vars;
}

std::string ExportCurl(const Exchange& exchange, const ExportOptions& options) {
  if (exchange.wire.empty()) {
    return "# " + exchange.service + " " + exchange.endpoint +
           ": nothing was sent (the SDK refused the call before the wire, see the Error tab)\n";
  }
  const Masker mask(options);
  const std::vector<ExportVariable> vars = ExportVariables(exchange, options);
  const core::HttpRequest& request = exchange.wire.front().request;
  std::string url = request.url;
  std::string out = "# " + Title(exchange, mask) + ".\n";
  if (exchange.target == TargetKind::kInProcess) {
    // The in-process mock has no address; restbox-mock serves the same APIs and fixtures.
    if (auto parts = core::ParseUrl(url)) {
      std::string base = options.mock_url;
      while (!base.empty() && base.back() == '/') base.pop_back();
      url = base + parts->path + (parts->query.empty() ? "" : "?" + parts->query);
    }
    out += "# Sent to the in-process mock; this runs against restbox-mock at " + options.mock_url +
           " (./run.sh starts it).\n";
  }
  out += VariableComments(vars, "# ");
  out += "curl";
  if (request.method != core::Method::kGet)
    out += " -X " + std::string(core::ToString(request.method));
  out +=
      " " + (MentionsVariable(url, vars) ? ShellWord(url, vars, mask) : ShellQuote(mask.Url(url)));
  for (const auto& [name, value] : request.headers) {
    const std::string line = name + ": " + value;
    out += " \\\n  -H " + (MentionsVariable(line, vars)
                               ? ShellWord(line, vars, mask)
                               : ShellQuote(name + ": " + mask.Header(name, value)));
  }
  if (!request.body.empty()) {
    out += " \\\n  --data-raw " + (MentionsVariable(request.body, vars)
                                       ? ShellWord(request.body, vars, mask)
                                       : ShellQuote(mask.Body(request.body)));
  }
  return out + "\n";
}

namespace {

// The C++ exports' reader of their variables (ExportVariables).
constexpr const char* kCppRequiredEnv =
    "\n// The value of environment variable `name`; stops the program when it is not set.\n"
    "static std::string RequiredEnv(const char* name) {\n"
    "  const char* value = std::getenv(name);\n"
    "  if (value == nullptr || *value == '\\0') {\n"
    "    std::fprintf(stderr, \"set %s first (see the export line at the top)\\n\", name);\n"
    "    std::exit(2);\n  }\n  return value;\n}\n";

// A credential in a C++ export: RequiredEnv("RESTBOX_..._KEY") when a variable carries it, else
// the (masked or revealed) literal.
std::string CppCredential(const std::string& value, const std::vector<ExportVariable>& vars,
                          const Masker& mask) {
  for (const auto& v : vars) {
    if (v.value == value) return "RequiredEnv(" + CppString(v.name) + ")";
  }
  return CppString(mask.Credential(value));
}

// The typed-client program of ExportCpp (see export_typed.hpp).
std::string TypedProgram(const Exchange& exchange, const TypedCall& typed, const Masker& mask,
                         const std::vector<ExportVariable>& vars) {
  const bool in_process = exchange.target == TargetKind::kInProcess;
  const std::string svc_lib = "restbox::service_" + exchange.service;
  std::string out;
  out += "// " + Title(exchange, mask) + ".\n";
  out += in_process ? "// Link: " + svc_lib + " restbox::mock restbox::transport_in_process.\n"
                    : "// Link: " + svc_lib + " restbox::transport_curl.\n";
  out += kVariablesMark;
  std::string body = typed.call;
  for (const auto& line : typed.setup) body += line;
  const bool uses_vector = body.find("std::vector") != std::string::npos;
  if (uses_vector) out += "#include <cstdint>\n";
  out += "#include <cstdio>\n";
  if (!vars.empty()) out += "#include <cstdlib>\n";
  out += "#include <iostream>\n";
  if (in_process) out += "#include <memory>\n";
  if (body.find("std::nullopt") != std::string::npos) out += "#include <optional>\n";
  out += "#include <string>\n";
  if (uses_vector) out += "#include <vector>\n";
  out += "\n#include \"restbox/core/json_codec.hpp\"\n";
  out += "#include \"" + typed.header + "\"\n";
  if (in_process)
    out +=
        "#include \"restbox/mock/all.hpp\"\n#include "
        "\"restbox/transports/in_process_transport.hpp\"\n";
  if (!vars.empty()) out += kCppRequiredEnv;
  out += "\nint main() {\n";
  out += "  " + typed.ns + "::ClientOptions options;\n";
  if (in_process) {
    out +=
        "  // The in-process mock, no network: it answers any base URL, the documented one by "
        "default.\n";
    out += "  options.transport = std::make_shared<restbox::transports::InProcessTransport>(\n";
    out += "      restbox::mock::MakeMockServer());\n";
  } else {
    out += "  options.base_url = " + CppString(exchange.base_url) + ";\n";
  }
  const std::string* values[] = {&exchange.credentials.key, &exchange.credentials.secret};
  for (std::size_t i = 0; i < 2 && i < typed.credential_members.size(); ++i) {
    const std::string& value = *values[i];
    if (value.empty()) continue;
    out += "  options." + typed.credential_members[i] + " = " + CppCredential(value, vars, mask) +
           ";\n";
  }
  out += "  " + typed.ns + "::Client client(options);\n";
  for (const auto& line : typed.setup) out += "  " + line + "\n";
  out += "  auto result = " + typed.call + ".Get();\n";
  out += "  if (!result) {  // check first: the value of an error throws\n";
  out +=
      "    std::cerr << result.error() << '\\n';  // one line: kind, HTTP status, code, message\n";
  out += "    std::printf(\"{\\\"status\\\": %d}\\n\", result.meta().status);\n";
  out += "    return 1;\n  }\n";
  out += "  restbox::core::Json answer = {{\"status\", result.meta().status}, {\"value\", " +
         typed.value + "}};\n";
  out += "  std::printf(\"%s\\n\", restbox::core::DumpJson(answer, 2).c_str());\n";
  out += "  return 0;\n}\n";
  return WithVariableComments(mask.Text(std::move(out)), vars);
}

}  // namespace

std::string ExportCpp(const Exchange& exchange, const ExportOptions& options) {
  const Masker mask(options);
  const std::vector<ExportVariable> vars = ExportVariables(exchange, options);
  const core::Json params = mask.Params(ParamsWithoutVariables(exchange.draft.params, vars));
  // The typed client takes neither a raw body nor extra headers: such drafts use DynamicClient.
  if (!exchange.draft.raw_body && exchange.draft.extra_headers.empty()) {
    if (auto typed = TypedCallOf(exchange.service, exchange.endpoint, params)) {
      return TypedProgram(exchange, *typed, mask, vars);
    }
  }
  const bool in_process = exchange.target == TargetKind::kInProcess;
  std::string out;
  out += "// " + Title(exchange, mask) + ".\n";
  out += in_process ? "// Link: restbox::services restbox::mock restbox::transport_in_process.\n"
                    : "// Link: restbox::services restbox::transport_curl.\n";
  out += kVariablesMark;
  out += "#include <cstdio>\n";
  if (!vars.empty()) out += "#include <cstdlib>\n";
  if (in_process) out += "#include <memory>\n";
  out += "#include <string>\n#include <utility>\n\n";
  out += "#include \"restbox/core/json_codec.hpp\"\n";
  if (in_process) out += "#include \"restbox/mock/all.hpp\"\n";
  out += "#include \"restbox/services/dynamic_client.hpp\"\n";
  if (in_process) out += "#include \"restbox/transports/in_process_transport.hpp\"\n";
  if (!vars.empty()) out += kCppRequiredEnv;
  out += "\nint main() {\n";
  out += "  namespace services = restbox::services;\n";
  out += "  services::DynamicClientOptions options;\n";
  if (in_process) {
    out += "  auto mock = restbox::mock::MakeMockServer();  // the in-process mock, no network\n";
    out +=
        "  options.transport = std::make_shared<restbox::transports::InProcessTransport>(mock);\n";
  }
  // The in-process transport answers any base URL: the service's documented one (the default)
  // reads better than the console's internal "http://mock".
  if (!in_process) out += "  options.base_url = " + CppString(exchange.base_url) + ";\n";
  auto credential = [&](const std::string& value, const char* member) {
    if (value.empty()) return;
    out += std::string("  options.credentials.") + member + " = " +
           CppCredential(value, vars, mask) + ";\n";
  };
  credential(exchange.credentials.key, "key");
  credential(exchange.credentials.secret, "secret");
  out += "  auto client = services::DynamicClient::ForService(" + CppString(exchange.service) +
         ", options);\n";
  out += "  const restbox::core::EndpointSpec& endpoint = *client->spec().Find(" +
         CppString(exchange.endpoint) + ");\n";
  out += "  auto params = restbox::core::ParseJson(" + CppRawString(core::DumpJson(params, 2)) +
         ").value();\n";
  out +=
      "  services::DynamicRequest request = services::DynamicRequest::FromParams(endpoint, "
      "params);\n";
  for (const auto& [name, value] : exchange.draft.extra_headers) {
    out += "  request.headers.Set(" + CppString(name) + ", " + CppString(mask.Header(name, value)) +
           ");\n";
  }
  if (exchange.draft.raw_body) {
    out += "  request.raw_body = " + CppRawString(mask.Body(*exchange.draft.raw_body)) + ";\n";
  }
  out += "  auto result = client->Call(" + CppString(exchange.endpoint) +
         ", std::move(request)).Get();\n";
  out +=
      "  std::printf(\"%s\\n\", restbox::core::DumpJson(services::ToJson(result), 2).c_str());\n";
  out += "  return result.ok() ? 0 : 1;\n}\n";
  return WithVariableComments(mask.Text(std::move(out)), vars);
}

std::string ExportJs(const Exchange& exchange, const ExportOptions& options) {
  const Masker mask(options);
  const std::vector<ExportVariable> vars = ExportVariables(exchange, options);
  const bool in_process = exchange.target == TargetKind::kInProcess;
  std::string out;
  out += "// " + Title(exchange, mask) + ".\n";
  out += kVariablesMark;
  out += "import { loadRestbox } from 'restbox-wasm';\n\n";
  if (!vars.empty()) {
    out += "// The value of environment variable `name`; stops the program when it is not set.\n";
    out += "function requiredEnv(name) {\n";
    out += "  const value = process.env[name];\n";
    out += "  if (!value) {\n";
    out += "    console.error(`set ${name} first (see the export line at the top)`);\n";
    out += "    process.exit(2);\n  }\n  return value;\n}\n\n";
  }
  out += "const restbox = await loadRestbox();\n";
  auto credential = [&](const std::string& value, const char* member) -> std::string {
    if (value.empty()) return {};
    for (const auto& v : vars) {
      if (v.value == value) return std::string(member) + ": requiredEnv(" + JsString(v.name) + ")";
    }
    return std::string(member) + ": " + JsString(mask.Credential(value));
  };
  std::string credentials = credential(exchange.credentials.key, "key");
  if (std::string secret = credential(exchange.credentials.secret, "secret"); !secret.empty()) {
    credentials += (credentials.empty() ? "" : ", ") + secret;
  }
  std::string client_options;
  if (in_process) {
    out += "const mock = restbox.createMock();  // the in-process mock, no network\n";
    client_options = "mock";
  } else {
    client_options = "baseUrl: " + JsString(exchange.base_url);
  }
  if (!credentials.empty()) client_options += ", credentials: { " + credentials + " }";
  out += "const client = restbox.createClient(" + JsString(exchange.service) + ", { " +
         client_options + " });\n";
  Draft draft = exchange.draft;
  draft.params = ParamsWithoutVariables(draft.params, vars);
  core::Json params = mask.Params(ParamsWithHeaders(draft));
  if (!options.reveal_secrets && params.contains("headers") && params["headers"].is_object()) {
    for (auto it = params["headers"].begin(); it != params["headers"].end(); ++it) {
      if (it->is_string()) *it = mask.Header(it.key(), it->get<std::string>());
    }
  }
  out += "const params = " + core::DumpJson(params, 2) + ";\n";
  std::string call_options;
  if (exchange.draft.raw_body)
    call_options = ", { rawBody: " + JsString(mask.Body(*exchange.draft.raw_body)) + " }";
  out += "const result = await client.call(" + JsString(exchange.endpoint) + ", params" +
         call_options + ");\n";
  out += "if (result.ok) console.log(result.status, JSON.stringify(result.data, null, 2));\n";
  out += "else console.log(result.status, result.error.kind, result.error.message);\n";
  out += "process.exitCode = result.ok ? 0 : 1;\n";
  return WithVariableComments(mask.Text(std::move(out)), vars);
}

core::Json ExportHar(const std::deque<Exchange>& history, const ExportOptions& options) {
  const Masker mask(options, /*by_name=*/true);
  core::Json entries = core::Json::array();
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    const Exchange& e = *it;
    double started = e.started_unix_ms;
    for (std::size_t i = 0; i < e.wire.size(); ++i) {
      const WireAttempt& attempt = e.wire[i];
      const core::HttpRequest& rq = attempt.request;
      core::Json query = core::Json::array();
      const std::string url = mask.Url(rq.url);
      if (auto parts = core::ParseUrl(url)) {
        for (const auto& [name, value] : core::ParseQuery(parts->query))
          query.push_back({{"name", name}, {"value", value}});
      }
      core::Json request = {{"method", core::ToString(rq.method)},
                            {"url", url},
                            {"httpVersion", "HTTP/1.1"},
                            {"cookies", core::Json::array()},
                            {"headers", HarHeaders(rq.headers, mask)},
                            {"queryString", std::move(query)},
                            {"headersSize", -1},
                            {"bodySize", rq.body.size()}};
      if (!rq.body.empty()) {
        request["postData"] = {{"mimeType", rq.headers.GetOr("Content-Type", "application/json")},
                               {"text", mask.Body(rq.body)}};
      }
      core::Json response;
      if (attempt.response) {
        const core::HttpResponse& rs = *attempt.response;
        response = {{"status", rs.status},
                    {"statusText", core::ReasonPhrase(rs.status)},
                    {"httpVersion", "HTTP/1.1"},
                    {"cookies", core::Json::array()},
                    {"headers", HarHeaders(rs.headers, mask)},
                    // Response bodies can be 10 MB: known values are redacted, the body is not
                    // re-parsed.
                    {"content",
                     {{"size", rs.body.size()},
                      {"mimeType", rs.headers.GetOr("Content-Type", "")},
                      {"text", mask.Text(rs.body)}}},
                    {"redirectURL", rs.headers.GetOr("Location", "")},
                    {"headersSize", -1},
                    {"bodySize", rs.body.size()}};
      } else {
        response = {{"status", 0},
                    {"statusText", ""},
                    {"httpVersion", ""},
                    {"cookies", core::Json::array()},
                    {"headers", core::Json::array()},
                    {"content", {{"size", 0}, {"mimeType", ""}}},
                    {"redirectURL", ""},
                    {"headersSize", -1},
                    {"bodySize", -1},
                    {"_error", mask.Text(attempt.transport_error)}};
      }
      const double elapsed = attempt.elapsed_ms;
      entries.push_back(
          {{"startedDateTime", IsoMs(started)},
           {"time", elapsed},
           {"request", std::move(request)},
           {"response", std::move(response)},
           {"cache", core::Json::object()},
           {"timings",
            {{"blocked", -1},
             {"dns", -1},
             {"connect", -1},
             {"send", 0},
             {"wait", elapsed},
             {"receive", 0}}},
           {"comment", e.service + " " + e.endpoint + ", exchange #" + std::to_string(e.id) +
                           " attempt " + std::to_string(i + 1) + " of " +
                           std::to_string(e.wire.size()) + " (" + e.environment_name + ")"}});
      // The next attempt started after this one and the retry policy's backoff.
      double delay = 0;
      if (e.outcome.contains("attempts") && e.outcome["attempts"].is_array() &&
          i < e.outcome["attempts"].size()) {
        delay = core::JsonValueOr<double>(e.outcome["attempts"][i], "delayMs", 0);
      }
      started += elapsed + delay;
    }
  }
  return {{"log",
           {{"version", "1.2"},
            {"creator", {{"name", "restbox console"}, {"version", "0.1"}}},
            {"entries", std::move(entries)}}}};
}

}  // namespace restbox::console
