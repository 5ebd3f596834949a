#include "restbox/services/dynamic_client.hpp"

#include <algorithm>

#include "restbox/core/validation.hpp"

namespace restbox::services {
namespace {

// Text for a path, query or header value (see DynamicRequest::FromParams).
std::optional<std::string> AsText(const core::Json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) {
      if (!out.empty()) out += ',';
      out += item.is_string() ? item.get<std::string>() : core::DumpJson(item);
    }
    return out;
  }
  return core::DumpJson(value);
}

bool MethodHasBody(core::Method method) {
  return method == core::Method::kPost || method == core::Method::kPut ||
         method == core::Method::kPatch;
}

// JSON text from an endpoint table (examples, defaults) as JSON, or as a string when it is not.
core::Json JsonOrText(const std::string& text) {
  auto parsed = core::ParseJson(text);
  return parsed.ok() ? std::move(parsed.value()) : core::Json(text);
}

core::Json DescribeField(const core::FieldSpec& f) {
  core::Json out = {{"name", f.name},
                    {"in", core::ToString(f.in)},
                    {"type", core::ToString(f.type)},
                    {"required", f.required},
                    {"description", f.description}};
  if (f.minimum) out["minimum"] = *f.minimum;
  if (f.maximum) out["maximum"] = *f.maximum;
  if (f.min_length) out["minLength"] = *f.min_length;
  if (f.max_length) out["maxLength"] = *f.max_length;
  if (!f.enum_values.empty()) out["enum"] = f.enum_values;
  if (f.default_value) out["default"] = JsonOrText(*f.default_value);
  if (!f.example.empty()) out["example"] = JsonOrText(f.example);
  if (!f.format.empty()) out["format"] = f.format;
  return out;
}

core::Json DescribeEndpoint(const core::EndpointSpec& e) {
  core::Json errors = core::Json::array();
  for (const auto& s : e.errors) {
    errors.push_back({{"status", s.status}, {"code", s.code}, {"trigger", s.trigger}});
  }
  core::Json fields = core::Json::array();
  for (const auto& f : e.fields) fields.push_back(DescribeField(f));
  core::Json out = {{"id", e.id},
                    {"method", core::ToString(e.method)},
                    {"path", e.path},
                    {"summary", e.summary},
                    {"success", e.success},
                    {"errors", std::move(errors)},
                    {"fields", std::move(fields)},
                    {"idempotent", e.idempotent}};
  if (!e.example_request.empty()) out["exampleRequest"] = JsonOrText(e.example_request);
  if (!e.example_response.empty()) out["exampleResponse"] = JsonOrText(e.example_response);
  return out;
}

core::Json HeadersToJson(const core::Headers& headers) {
  core::Json out = core::Json::object();
  for (const auto& [name, value] : headers) {
    auto it = out.find(name);
    if (it == out.end()) {
      out[name] = value;
    } else {
      *it = it->get<std::string>() + ", " + value;
    }
  }
  return out;
}

core::Json AttemptsToJson(const std::vector<core::Attempt>& attempts) {
  core::Json out = core::Json::array();
  for (const auto& a : attempts) {
    core::Json j = {{"number", a.number},
                    {"status", a.status},
                    {"elapsedMs", a.elapsed.count()},
                    {"note", a.note},
                    {"delayMs", a.delay_before_next.count()}};
    if (a.transport_error) j["transportError"] = core::ToString(*a.transport_error);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

DynamicRequest DynamicRequest::FromParams(const core::EndpointSpec& endpoint,
                                          const core::Json& params) {
  DynamicRequest request;
  if (!params.is_object()) return request;
  auto field_named = [&](const std::string& name) -> const core::FieldSpec* {
    auto it = std::find_if(endpoint.fields.begin(), endpoint.fields.end(),
                           [&](const core::FieldSpec& f) { return f.name == name; });
    return it == endpoint.fields.end() ? nullptr : &*it;
  };
  auto body_member = [&](const std::string& name, const core::Json& value) {
    if (!request.body || !request.body->is_object()) request.body = core::Json::object();
    (*request.body)[name] = value;
  };
  auto place = [&](core::FieldIn in, const std::string& name, const core::Json& value) {
    if (in == core::FieldIn::kBody) {
      body_member(name, value);
      return;
    }
    auto text = AsText(value);
    if (!text) return;
    switch (in) {
      case core::FieldIn::kPath:
        request.path.emplace_back(name, *text);
        break;
      case core::FieldIn::kQuery:
        request.query.emplace_back(name, *text);
        break;
      case core::FieldIn::kHeader:
        request.headers.Set(name, *text);
        break;
      case core::FieldIn::kBody:
        break;
    }
  };
  // "body" first, so members named like body fields merge into it rather than being replaced.
  if (auto it = params.find("body"); it != params.end() && !field_named("body")) {
    request.body = *it;
  }
  const core::FieldIn kGrouped[] = {core::FieldIn::kPath, core::FieldIn::kQuery,
                                    core::FieldIn::kHeader};
  static constexpr const char* kGroupNames[] = {"path", "query", "headers"};
  for (std::size_t g = 0; g < 3; ++g) {
    auto it = params.find(kGroupNames[g]);
    if (it == params.end() || field_named(kGroupNames[g]) || !it->is_object()) continue;
    for (auto member = it->begin(); member != it->end(); ++member) {
      place(kGrouped[g], member.key(), member.value());
    }
  }
  const core::FieldIn fallback =
      MethodHasBody(endpoint.method) ? core::FieldIn::kBody : core::FieldIn::kQuery;
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string& name = it.key();
    const core::FieldSpec* field = field_named(name);
    if (!field && (name == "body" || name == "path" || name == "query" || name == "headers")) {
      continue;
    }
    place(field ? field->in : fallback, name, it.value());
  }
  return request;
}

DynamicClient::DynamicClient(const ServiceEntry& service, DynamicClientOptions options)
    : core::ServiceClient(*service.spec, options, std::move(options.credentials)) {}

std::unique_ptr<DynamicClient> DynamicClient::ForService(std::string_view id,
                                                         DynamicClientOptions options) {
  const ServiceEntry* entry = FindService(id);
  if (!entry) return nullptr;
  return std::make_unique<DynamicClient>(*entry, std::move(options));
}

core::CallSpec DynamicClient::Prepare(const core::EndpointSpec& endpoint, DynamicRequest request) {
  core::CallSpec call;
  call.endpoint = &endpoint;
  call.path = std::move(request.path);
  call.query = std::move(request.query);
  call.headers = std::move(request.headers);
  call.body = std::move(request.body);
  call.raw_body = std::move(request.raw_body);
  call.context = std::move(request.context);
  return call;
}

std::vector<core::FieldError> DynamicClient::Check(std::string_view endpoint_id,
                                                   DynamicRequest request) const {
  const core::EndpointSpec* endpoint = spec().Find(endpoint_id);
  if (!endpoint) return {{"endpoint", "unknown endpoint '" + std::string(endpoint_id) + "'"}};
  auto refusal = Refusal(Prepare(*endpoint, std::move(request)));
  if (!refusal) return {};
  // A refusal without field details (a malformed credential) is one problem of the request.
  if (refusal->details.empty()) return {{"request", refusal->message}};
  return std::move(refusal->details);
}

core::Future<core::Json> DynamicClient::Call(std::string_view endpoint_id, DynamicRequest request) {
  const core::EndpointSpec* endpoint = spec().Find(endpoint_id);
  if (!endpoint) {
    core::Promise<core::Json> promise(request.context.cancellation);
    promise.Set(core::MakeError(
        core::ErrorKind::kInvalidArgument,
        "service '" + spec().id + "' has no endpoint '" + std::string(endpoint_id) + "'"));
    return promise.GetFuture();
  }
  return ServiceClient::Call(Prepare(*endpoint, std::move(request)));
}

std::string_view ToString(core::AuthScheme scheme) {
  switch (scheme) {
    case core::AuthScheme::kBearer:
      return "bearer";
    case core::AuthScheme::kBodyToken:
      return "body_token";
    case core::AuthScheme::kKeyAndSecret:
      return "key_and_secret";
  }
  return "bearer";
}

core::Json DescribeService(const core::ServiceSpec& spec) {
  core::Json endpoints = core::Json::array();
  for (const auto& e : spec.endpoints) endpoints.push_back(DescribeEndpoint(e));
  return {{"id", spec.id},
          {"title", spec.title},
          {"description", spec.description},
          {"auth", ToString(spec.auth)},
          {"defaultBaseUrl", spec.default_base_url},
          {"endpoints", std::move(endpoints)}};
}

core::Json ToJson(const core::Error& error) {
  core::Json details = core::Json::array();
  for (const auto& d : error.details)
    details.push_back({{"field", d.field}, {"message", d.message}});
  core::Json out = {{"kind", core::ToString(error.kind)},
                    {"status", error.http_status},
                    {"code", error.code},
                    {"message", error.message},
                    {"details", std::move(details)},
                    {"requestId", error.request_id},
                    {"rawBody", error.raw_body}};
  if (error.retry_after) out["retryAfter"] = error.retry_after->count();
  return out;
}

core::Json ToJson(const core::Result<core::Json>& result) {
  const core::ResponseMeta& meta = result.meta();
  core::Json out = {{"ok", result.ok()},
                    {"status", meta.status},
                    {"headers", HeadersToJson(meta.headers)},
                    {"requestId", meta.request_id},
                    {"attempts", AttemptsToJson(meta.attempts)}};
  if (result.ok()) {
    out["data"] = result.value();
  } else {
    out["error"] = ToJson(result.error());
    if (meta.status == 0) out["status"] = result.error().http_status;
  }
  return out;
}

}  // namespace restbox::services
