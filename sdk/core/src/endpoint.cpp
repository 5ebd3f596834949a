#include "restbox/core/endpoint.hpp"

#include <algorithm>

namespace restbox::core {

std::string_view ToString(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kNumber:
      return "number";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kArray:
      return "array";
    case FieldType::kObject:
      return "object";
    case FieldType::kAny:
      return "any";
  }
  return "any";
}

std::string_view ToString(FieldIn in) {
  switch (in) {
    case FieldIn::kPath:
      return "path";
    case FieldIn::kQuery:
      return "query";
    case FieldIn::kHeader:
      return "header";
    case FieldIn::kBody:
      return "body";
  }
  return "body";
}

bool EndpointSpec::IsSuccess(int status) const {
  return std::find(success.begin(), success.end(), status) != success.end();
}

bool EndpointSpec::AcceptsAsSuccess(int status) const {
  if (IsSuccess(status)) return true;
  if (success.empty() || status < 200 || status > 299) return false;
  return FindError(status) == nullptr;
}

const Json* EndpointSpec::ResponseSchema(int status, std::string_view code) const {
  const StatusSpec* row = nullptr;
  if (!code.empty()) row = FindError(status, code);
  if (!row && !AcceptsAsSuccess(status)) row = FindError(status);
  if (row) return row->schema.is_null() ? nullptr : &row->schema;
  if (AcceptsAsSuccess(status)) return success_schema.is_null() ? nullptr : &success_schema;
  return nullptr;
}

const StatusSpec* EndpointSpec::FindError(int status, std::string_view code) const {
  for (const auto& e : errors) {
    if (e.status == status && (code.empty() || e.code == code)) return &e;
  }
  return nullptr;
}

bool EndpointSpec::Documents(int status) const {
  return IsSuccess(status) || FindError(status) != nullptr;
}

const EndpointSpec* ServiceSpec::Find(std::string_view endpoint_id) const {
  for (const auto& e : endpoints) {
    if (e.id == endpoint_id) return &e;
  }
  return nullptr;
}

}  // namespace restbox::core
