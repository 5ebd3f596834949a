#pragma once
// Exports of history entries, as pure functions of an Exchange (unit tested without a UI):
//   ExportCurl  the first attempt exactly as it went over the wire, as one curl command
//   ExportCpp   a C++ program that makes the same call with the typed client of its API
//               (export_typed.hpp), or restbox::services::DynamicClient for extra headers or a raw
//               body
//   ExportJs    an ES module that makes the same call with the npm API (restbox-wasm)
//   ExportHar   the whole history as HAR 1.2 (one entry per attempt that reached the transport)
// Exports run as pasted. Unless ExportOptions::reveal_secrets, the exchange's own credentials are
// not written into the text: each is read from an environment variable (ExportVariables: e.g.
// RESTBOX_CHIKAGE_KEY; "$VAR" in curl, std::getenv in C++, process.env in JS), and one commented
// line near the top sets it (to the mock's demo value when the credential is one the mock
// publishes at /__restbox/fixtures, else to "your key"). Anything else that looks like a secret is
// masked: credential headers (core::MaskHeaderValue), every known credential value anywhere in
// the text (core::RedactKnownSecrets), and in HAR also body/query members by name
// (core::MaskBody/MaskUrl; not in runnable exports, where they would cut ids such as inventory's
// template tokens).

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
  // Credential values the mock publishes (its demo keys, Model::DemoCredentials()): the commented
  // line that sets a variable shows such a value in clear, since it is no secret. Default: none.
  std::vector<std::string> public_values;
  // Where the cURL export of an in-process exchange is sent: the local restbox-mock (./run.sh),
  // which holds the same fixtures. Default "http://127.0.0.1:8080".
  std::string mock_url = "http://127.0.0.1:8080";
};

// An environment variable that carries one credential of an export.
struct ExportVariable {
  std::string name;   // RESTBOX_<SERVICE>_KEY or RESTBOX_<SERVICE>_SECRET
  std::string value;  // the credential the exchange was sent with
  std::string hint;   // what the commented line sets it to: the demo value, or "your key"
};
// The variables of `exchange` (none when options.reveal_secrets or it had no credentials).
std::vector<ExportVariable> ExportVariables(const Exchange& exchange, const ExportOptions& options);

// Quotes `text` as one POSIX shell word: 'text', with each ' written as '\''.
std::string ShellQuote(std::string_view text);

// `curl -X METHOD 'url' -H 'Name: value' ... --data-raw 'body'` (lines joined with " \\\n  "),
// credentials as "${RESTBOX_..._KEY:?...}" (the shell stops with that message when it is unset).
// An in-process exchange is sent to options.mock_url instead of the in-process host. An exchange
// that never reached the wire gives a shell comment saying so.
std::string ExportCurl(const Exchange& exchange, const ExportOptions& options);

// A complete C++ program (main) calling the endpoint with the draft's parameters, with the
// environment's base URL and credentials from std::getenv (the in-process mock target creates its
// own mock::MakeMockServer()): through the typed client of the API (TypedCallOf), or, when the
// draft has extra headers, a raw body or a parameter the typed method does not take, through
// services::DynamicClient. It prints {"status": N, ...} as JSON. Exit code 0 on success, 1 on an
// error answer, 2 when a variable is not set.
std::string ExportCpp(const Exchange& exchange, const ExportOptions& options);

// An ES module for restbox-wasm under node: loadRestbox(), createClient(service, {mock | baseUrl,
// credentials from process.env}), client.call(endpoint, params, {rawBody}); process.exitCode as
// the C++ program's exit code.
std::string ExportJs(const Exchange& exchange, const ExportOptions& options);

// HAR 1.2 of `history` (newest first, as Model keeps it): entries oldest first, one per wire
// attempt, with request, response (status 0 and "_error" when the transport failed), timings.
core::Json ExportHar(const std::deque<Exchange>& history, const ExportOptions& options);

}  // namespace restbox::console
