#pragma once
// Exports of history entries, as pure functions of an Exchange (unit tested without a UI):
//   ExportCurl  the first attempt exactly as it went over the wire, as one curl command
//   ExportCpp   a C++ program that makes the same call with restbox::services::DynamicClient
//   ExportJs    an ES module that makes the same call with the npm API (restbox-wasm)
//   ExportHar   the whole history as HAR 1.2 (one entry per attempt that reached the transport)
// Secrets are masked in every export unless ExportOptions::reveal_secrets: credential headers
// and body/query members (core::MaskHeaderValue/MaskBody/MaskUrl), then every known credential
// value anywhere in the text (core::RedactKnownSecrets).

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "restbox/core/json_codec.hpp"

namespace restbox::console {

struct ExportOptions {
  // Export credentials in clear. Default false: masked.
  bool reveal_secrets = false;
  // Credential values to redact wherever they appear (Model::KnownSecrets(exchange.secrets)).
  // Default: none (only the header/field/query-name rules apply).
  std::vector<std::string> secrets;
};

// Quotes `text` as one POSIX shell word: 'text', with each ' written as '\''.
std::string ShellQuote(std::string_view text);

// `curl -X METHOD 'url' -H 'Name: value' ... --data-raw 'body'` (lines joined with " \\\n  ").
// An exchange that never reached the wire gives a shell comment saying so.
std::string ExportCurl(const Exchange& exchange, const ExportOptions& options);

// A complete C++ program (main) calling the endpoint with the draft's parameters, extra headers
// and raw body, with the environment's base URL and credentials (the in-process mock target
// creates its own mock::MakeMockServer()).
std::string ExportCpp(const Exchange& exchange, const ExportOptions& options);

// An ES module for restbox-wasm: loadRestbox(), createClient(service, {mock | baseUrl,
// credentials}), client.call(endpoint, params, {rawBody}).
std::string ExportJs(const Exchange& exchange, const ExportOptions& options);

// HAR 1.2 of `history` (newest first, as Model keeps it): entries oldest first, one per wire
// attempt, with request, response (status 0 and "_error" when the transport failed), timings.
core::Json ExportHar(const std::deque<Exchange>& history, const ExportOptions& options);

}  // namespace restbox::console
