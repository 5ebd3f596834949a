// The checks of one answer against the endpoint tables (issue 12 item 1): status, Content-Type,
// documented headers, the body schema of that (endpoint, status, code), the service's own code.
#include "restbox/check/answer.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "restbox/core/clock.hpp"
#include "restbox/core/retry.hpp"
#include "restbox/core/schema.hpp"
#include "restbox/core/url.hpp"
#include "restbox/core/validation.hpp"
#include "restbox/market/provider.hpp"
#include "restbox/services/registry.hpp"
#include "values.hpp"

namespace restbox::check {
namespace {

bool IsJsonMediaType(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back()))) media.pop_back();
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.front())))
    media.erase(media.begin());
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (media == "application/json") return true;
  // RFC 6839 structured syntax suffix: application/problem+json and the like are JSON too.
  return media.rfind("application/", 0) == 0 && media.size() > 5 && media.ends_with("+json");
}

// A schema from the documented example for answers the table does not describe yet: the types
// of the example's members, every number a number and every member nullable (an example shows
// one value, not the rules), nothing required.
core::Json Loosen(core::Json schema) {
  if (!schema.is_object()) return schema;
  if (schema.value("type", "") == "integer") schema["type"] = "number";
  schema["nullable"] = true;
  if (schema.contains("properties")) {
    for (auto& [name, sub] : schema["properties"].items()) sub = Loosen(sub);
  }
  if (schema.contains("items")) schema["items"] = Loosen(schema["items"]);
  return schema;
}

std::string CodePath(const core::Json& body) {
  if (body.is_object()) {
    auto e = body.find("error");
    if (e != body.end() && e->is_object() && e->contains("code")) return "$.error.code";
    if (body.contains("code")) return "$.code";
  }
  return "$.code";
}

std::string Quoted(const std::string& s) {
  return core::DumpJson(core::Json(s));
}

}  // namespace

std::vector<Problem> CheckAnswer(const std::string& service, const std::string& endpoint,
                                 int status, const std::string& code, bool success,
                                 const core::HttpResponse& response,
                                 std::vector<std::string>& notes,
                                 const core::HttpRequest* request) {
  std::vector<Problem> problems;
  const services::ServiceEntry* entry = services::FindService(service);
  const core::EndpointSpec* ep = entry ? entry->spec->Find(endpoint) : nullptr;
  if (!ep) {
    problems.push_back({"endpoint", "an endpoint of the " + service + " table", endpoint});
    return problems;
  }

  // Status.
  bool status_ok = response.status == status;
  if (!status_ok && success && ep->AcceptsAsSuccess(response.status)) {
    status_ok = true;
    notes.push_back("table says " + std::to_string(status) + ", got " +
                    std::to_string(response.status) +
                    ": accepted, a 2xx no error row documents is a success");
  }
  if (!status_ok) {
    problems.push_back({"status", std::to_string(status), std::to_string(response.status)});
  }

  // Content-Type, when there is a body.
  if (!response.body.empty()) {
    auto ct = response.headers.Get("Content-Type");
    if (!ct) {
      problems.push_back({"header Content-Type", "application/json", "absent"});
    } else if (!IsJsonMediaType(*ct)) {
      problems.push_back({"header Content-Type", "application/json", Quoted(*ct)});
    }
  }

  // Documented headers: Retry-After on a 429 (seconds or HTTP-date). The seeds tell the client
  // to wait and try again ("请等待后重试", "請稍後再試", a monthly quota that renews): the 429
  // must say how long, in the one header HTTP has for it (RFC 9110 section 10.2.3).
  if (response.status == 429) {
    auto ra = response.headers.Get("Retry-After");
    if (!ra) {
      notes.push_back("no Retry-After on the 429: accepted, the documents do not require one");
    } else if (!core::ParseRetryAfter(*ra, core::SystemClock::Instance()->Now())) {
      problems.push_back({"header Retry-After", "seconds or an HTTP-date", Quoted(*ra)});
    }
  }

  if (!status_ok) return problems;  // the body of another answer says nothing about this row

  // Body.
  if (response.body.empty()) {
    if (response.status != 204) problems.push_back({"$", "a JSON body", "an empty body"});
    return problems;
  }
  auto parsed = core::ParseJson(response.body);
  if (!parsed.ok()) {
    std::string text = response.body.substr(0, 40);
    problems.push_back({"$", "JSON", "not JSON (" + Quoted(text) + ")"});
    return problems;
  }
  const core::Json& body = *parsed;
  const core::Json* schema = ep->ResponseSchema(response.status, code);
  core::Json fallback;
  if (!schema && success && !ep->example_response.empty()) {
    auto example = core::ParseJson(ep->example_response);
    if (example.ok()) {
      fallback = Loosen(core::SchemaFromExample(*example));
      schema = &fallback;
      notes.push_back(
          "the table gives no body schema for this answer: checked against the types of its "
          "documented example");
    }
  }
  if (!schema)
    notes.push_back("the table gives no body schema for this answer: body shape not checked");
  std::size_t before = problems.size();
  if (schema) {
    for (auto& p : core::ValidateSchema(*schema, body))
      problems.push_back({p.path, p.expected, p.actual});
  }
  bool shape_ok = problems.size() == before;
  if (success && shape_ok) CheckDocumentedValues(service, endpoint, request, body, problems);

  // The service's own code, as its client reads it.
  std::vector<std::string>
      carried;  // codes documented inside this HTTP status (market's 1000-1005)
  for (const auto& e : ep->errors) {
    if (e.status == response.status && ep->IsSuccess(e.status) && !e.code.empty())
      carried.push_back(e.code);
  }
  if (!carried.empty()) {
    std::string expected = "one of 0";
    for (const auto& c : carried) expected += ", " + c;
    auto c = body.is_object() ? body.find("code") : body.end();
    bool known = false;
    if (body.is_object() && c != body.end() && c->is_number_integer()) {
      std::string value = std::to_string(c->get<std::int64_t>());
      known = value == "0" || std::find(carried.begin(), carried.end(), value) != carried.end();
    }
    if (c != body.end() && !known) {
      problems.push_back({"$.code", expected, core::DumpJson(*c)});
      return problems;
    }
  }
  auto interpreted = entry->interpret(*ep, response);
  std::string path = CodePath(body);
  if (success) {
    if (!interpreted.ok()) {
      const auto& e = interpreted.error();
      if (e.kind == core::ErrorKind::kService) {
        problems.push_back({path, "0 (success)", Quoted(e.code)});
      } else if (shape_ok) {
        problems.push_back(
            {"$", "a body the " + service + " client reads as a success", e.message});
      }
    }
  } else if (!code.empty() && shape_ok) {  // a broken envelope is reported once, by the schema
    if (interpreted.ok()) {
      problems.push_back({path, Quoted(code), "a success"});
    } else if (interpreted.error().code != code) {
      const std::string& got = interpreted.error().code;
      problems.push_back({path, Quoted(code), got.empty() ? std::string("absent") : Quoted(got)});
    }
  } else if (interpreted.ok()) {
    problems.push_back(
        {"$", "an error body", "a body the " + service + " client reads as a success"});
  }
  return problems;
}

std::vector<Problem> CheckProviderAnswer(const core::HttpResponse& response,
                                         const std::string& expected_code,
                                         std::vector<std::string>& notes) {
  std::vector<Problem> problems;
  notes.push_back("HTTP status " + std::to_string(response.status) +
                  " not checked: the platform ignores a provider's status (convention)");
  auto check = market::CheckBackendBody(response.body);
  for (const auto& e : check.errors) {
    problems.push_back(
        {e.field == "body" ? "$" : "$." + e.field, "the provider convention", e.message});
  }
  for (const auto& w : check.warnings) notes.push_back(w.field + ": " + w.message);
  if (!check.ok()) return problems;
  auto parsed = core::ParseJson(response.body);
  const core::Json& body = *parsed;
  auto c = body.at("code");
  std::string value =
      c.is_number_integer() ? std::to_string(c.get<std::int64_t>()) : core::DumpJson(c);
  bool documented = value == "0" || (value.size() == 4 && value >= "1000" && value <= "1005");
  if (!documented) {
    problems.push_back({"$.code", "one of 0, 1000, 1001, 1002, 1003, 1004, 1005", value});
  } else if (value != expected_code) {
    problems.push_back({"$.code", expected_code, value});
  }
  return problems;
}

ExchangeCheck CheckExchange(const std::string& service, const std::string& endpoint,
                            const core::HttpRequest& request, const core::HttpResponse& response) {
  ExchangeCheck out;
  const std::string method(core::ToString(request.method));
  auto parts = core::ParseUrl(request.url);
  const std::string path = parts ? parts->path : request.url;
  const services::ServiceEntry* entry = services::FindService(service);
  const core::EndpointSpec* ep = entry && !endpoint.empty() ? entry->spec->Find(endpoint) : nullptr;
  if (!ep) {
    out.problems.push_back({"request",
                            service.empty() ? std::string("a route of an endpoint table")
                                            : "a route of the " + service + " endpoint table",
                            method + " " + path});
    return out;
  }

  // The request's fields.
  std::optional<core::Json> body;
  const bool body_fields = std::any_of(ep->fields.begin(), ep->fields.end(),
                                       [](const auto& f) { return f.in == core::FieldIn::kBody; });
  if (!request.body.empty()) {
    if (auto parsed = core::ParseJson(request.body); parsed.ok()) {
      body = std::move(*parsed);
    } else if (body_fields) {
      out.problems.push_back(
          {"request body", "JSON", "not JSON (" + Quoted(request.body.substr(0, 40)) + ")"});
    }
  }
  const core::QueryParams query = parts ? core::ParseQuery(parts->query) : core::QueryParams{};
  if (!body_fields || request.body.empty() || body) {
    for (const auto& e : core::ValidateRequest(*ep, body ? &*body : nullptr, query)) {
      // Where the field is, and what was sent: "request $.title", "request query pageSize".
      std::string where = "request $." + e.field;
      std::string sent = "absent";
      if (body && body->is_object() && body->contains(e.field)) {
        sent = core::DumpJson((*body)[e.field]).substr(0, 60);
      }
      for (const auto& [name, value] : query) {
        if (name != e.field) continue;
        where = "request query " + e.field;
        sent = Quoted(value.substr(0, 60));
      }
      if (e.field == "body") where = "request body";
      out.problems.push_back({where, "what the table accepts", sent + " (" + e.message + ")"});
    }
  }

  // The answer, against the row it answers.
  auto interpreted = entry->interpret(*ep, response);
  const int status = response.status;
  if (interpreted.ok()) {
    for (auto& p : CheckAnswer(service, endpoint, status, "", true, response, out.notes, &request))
      out.problems.push_back(std::move(p));
    return out;
  }
  const core::StatusSpec* row = ep->FindError(status, interpreted.error().code);
  if (!row) row = ep->FindError(status);
  std::vector<Problem> answer;
  if (row) {
    answer = CheckAnswer(service, endpoint, row->status, row->code, false, response, out.notes);
  } else if (ep->AcceptsAsSuccess(status)) {
    answer = CheckAnswer(service, endpoint, status, "", true, response, out.notes, &request);
  } else {
    std::vector<int> statuses = ep->success;
    for (const auto& e : ep->errors) {
      if (std::find(statuses.begin(), statuses.end(), e.status) == statuses.end())
        statuses.push_back(e.status);
    }
    std::string documented;
    for (int s : statuses) documented += (documented.empty() ? "" : ", ") + std::to_string(s);
    answer.push_back({"status", "one of " + documented, std::to_string(status)});
  }
  for (auto& p : answer) out.problems.push_back(std::move(p));
  return out;
}

}  // namespace restbox::check
