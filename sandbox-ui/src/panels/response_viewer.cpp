#include "panels/response_viewer.hpp"

#include <chrono>
#include <cmath>

#include "form.hpp"
#include "imgui.h"
#include "restbox/core/masking.hpp"

namespace restbox::console {
namespace {

double UnixMsNow() {
  using namespace std::chrono;
  return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

ImVec4 StatusColour(int status) {
  if (status >= 200 && status < 300) return ImVec4(0.40f, 0.85f, 0.45f, 1.0f);
  if (status >= 300 && status < 400) return ImVec4(0.45f, 0.75f, 1.00f, 1.0f);
  if (status >= 400 && status < 500) return ImVec4(1.00f, 0.65f, 0.20f, 1.0f);
  return ImVec4(1.00f, 0.35f, 0.35f, 1.0f);  // 5xx, and no answer at all
}

void Field(const char* name, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", name);
  ImGui::TableNextColumn();
  ImGui::TextWrapped("%s", value.c_str());
}

std::string JsonText(const core::Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return {};
  return j[key].is_string() ? j[key].get<std::string>() : core::DumpJson(j[key]);
}

}  // namespace

void ResponseViewerPanel::Refresh(const Exchange& exchange) {
  shown_id_ = exchange.id;
  shown_done_ = exchange.done;
  shown_reveal_ = model_.reveal_secrets;
  shown_wire_ = exchange.wire.size();

  // The body: the copy masked on the completion path (or the original when revealed).
  std::shared_ptr<const std::string> body = exchange.body;
  if (!model_.reveal_secrets && exchange.masked_body) body = exchange.masked_body;
  if (body != body_) {
    body_ = std::move(body);
    raw_.Set(body_, true);
    tree_.Set(nullptr);
    tree_state_ = TreeState::kNone;
    if (body_ && !body_->empty()) {
      const auto first = body_->find_first_not_of(" \t\r\n");
      const bool json_like =
          first != std::string::npos && ((*body_)[first] == '{' || (*body_)[first] == '[');
      if (!json_like) {
        tree_state_ = TreeState::kNotJson;
      } else if (body_->size() > kTreeLimit) {
        tree_state_ = TreeState::kTooLarge;
      } else {
        BuildTree();
      }
    }
  }

  // The wire attempts, masked once.
  wire_text_.clear();
  for (std::size_t i = 0; i < exchange.wire.size(); ++i) {
    const WireAttempt& a = exchange.wire[i];
    WireText t;
    t.title =
        "Attempt " + std::to_string(i + 1) + ": " + std::string(core::ToString(a.request.method)) +
        " -> " +
        (a.response ? std::to_string(a.response->status) : "no answer (" + a.transport_error + ")");
    t.url = model_.reveal_secrets ? a.request.url
                                  : model_.Mask(core::MaskUrl(a.request.url), exchange.secrets);
    for (const auto& [name, value] : a.request.headers) {
      t.headers += name + ": " +
                   (model_.reveal_secrets
                        ? value
                        : model_.Mask(core::MaskHeaderValue(name, value), exchange.secrets)) +
                   "\n";
    }
    t.body = std::make_shared<const std::string>(
        model_.reveal_secrets ? a.request.body
                              : model_.Mask(core::MaskBody(a.request.body), exchange.secrets));
    wire_text_.push_back(std::move(t));
  }
  if (request_attempt_ >= static_cast<int>(wire_text_.size())) request_attempt_ = 0;
  request_body_.Set(
      wire_text_.empty() ? nullptr : wire_text_[static_cast<std::size_t>(request_attempt_)].body);
}

void ResponseViewerPanel::BuildTree() {
  if (!body_) return;
  auto parsed = core::ParseJson(*body_);
  if (!parsed.ok()) {
    tree_state_ = TreeState::kNotJson;
    return;
  }
  tree_.Set(std::make_shared<const core::Json>(std::move(parsed.value())));
  // A new answer opens two levels (an envelope's members and what they hold: {"data": {...}}
  // shows the record), as long as that stays a screenful or two.
  tree_.ExpandTo(2, kTreeOpenRows);
  tree_state_ = TreeState::kBuilt;
}

void ResponseViewerPanel::Draw() {
  const Exchange* exchange = model_.FindExchange(model_.selected_exchange);
  if (!exchange) {
    ImGui::TextDisabled("No response yet: pick an endpoint and Send.");
    hook_.Set("response/status", nullptr);
    return;
  }
  if (exchange->id != shown_id_ || exchange->done != shown_done_ ||
      model_.reveal_secrets != shown_reveal_ || exchange->wire.size() != shown_wire_) {
    Refresh(*exchange);
  }
  // The answer shown belongs to another endpoint than the one being edited: say so, so it is
  // not read as this endpoint's answer.
  const bool other =
      exchange->service != model_.draft.service || exchange->endpoint != model_.draft.endpoint;
  hook_.Set("response/other_endpoint", other);
  if (other) {
    const std::string note = "Last answer, of " + exchange->service + "/" + exchange->endpoint +
                             " (not the selected endpoint: press Send for it)";
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.8f, 0.35f, 1.0f));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(note.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    hook_.Item("response/other_endpoint");
  }
  DrawStatus(*exchange);

  if (ImGui::BeginTabBar("##response_tabs")) {
    struct Entry {
      Tab tab;
      const char* label;
      const char* hook_id;
    };
    static constexpr Entry kTabs[] = {
        {Tab::kBody, "Body", "response/tab/body"},
        {Tab::kRaw, "Raw", "response/tab/raw"},
        {Tab::kHeaders, "Headers", "response/tab/headers"},
        {Tab::kTimeline, "Timeline", "response/tab/timeline"},
        {Tab::kError, "Error", "response/tab/error"},
        {Tab::kRequest, "Request", "response/tab/request"},
    };
    for (const Entry& entry : kTabs) {
      const ImGuiTabItemFlags flags =
          requested_tab_ && *requested_tab_ == entry.tab ? ImGuiTabItemFlags_SetSelected : 0;
      const bool open = ImGui::BeginTabItem(entry.label, nullptr, flags);
      hook_.Item(entry.hook_id);
      if (!open) continue;
      hook_.Set("response/tab", entry.label);
      switch (entry.tab) {
        case Tab::kBody:
          DrawBody();
          break;
        case Tab::kRaw:
          if (body_) {
            raw_.Draw("raw");
            hook_.Set("response/raw/rows", raw_.row_count());
            hook_.Set("response/raw/drawn", raw_.drawn_rows());
          } else {
            ImGui::TextDisabled(exchange->done ? "No body." : "Waiting for the answer...");
          }
          break;
        case Tab::kHeaders:
          DrawHeaders(*exchange);
          break;
        case Tab::kTimeline:
          DrawTimeline(*exchange);
          break;
        case Tab::kError:
          DrawError(*exchange);
          break;
        case Tab::kRequest:
          DrawRequest(*exchange);
          break;
      }
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  requested_tab_.reset();
}

void ResponseViewerPanel::DrawStatus(const Exchange& e) {
  if (!e.done) {
    static constexpr char kSpinner[] = {'|', '/', '-', '\\'};
    const auto frame = static_cast<std::size_t>(ImGui::GetTime() * 8.0) % 4;
    ImGui::Text("%c Sending %s %s... %.1f s", kSpinner[frame], e.service.c_str(),
                e.endpoint.c_str(), (UnixMsNow() - e.started_unix_ms) / 1000.0);
    hook_.Item("response/status");
    ImGui::SameLine();
    ImGui::TextDisabled("| %zu attempt(s) so far", e.wire.size());
    hook_.Set("response/status", nullptr);
    hook_.Set("response/done", false);
    return;
  }
  const bool ok = e.outcome.value("ok", false);
  const std::size_t attempts = e.outcome.contains("attempts") ? e.outcome["attempts"].size() : 0;
  if (e.status > 0) {
    const std::string_view reason = core::ReasonPhrase(e.status);
    ImGui::TextColored(StatusColour(e.status), "%d %.*s", e.status, static_cast<int>(reason.size()),
                       reason.data());
  } else {
    const std::string kind =
        e.outcome.contains("error") ? JsonText(e.outcome["error"], "kind") : "";
    ImGui::TextColored(StatusColour(0), "no answer%s%s", kind.empty() ? "" : ": ", kind.c_str());
  }
  hook_.Item("response/status");
  // The facts beside the status, each on this line when it fits, else on the next.
  const std::string request_id = JsonText(e.outcome, "requestId");
  char timing[64];
  std::snprintf(timing, sizeof timing, "| %.0f ms", e.total_ms);
  std::vector<std::string> facts = {
      timing, "| " + std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts"),
      "| " + e.service + " " + e.endpoint};
  if (!request_id.empty()) facts.push_back("| request id " + request_id);
  for (const std::string& fact : facts) {
    form::SameLineIfFits(ImGui::CalcTextSize(fact.c_str()).x);
    form::TextDisabledFit(fact);
  }
  if (!ok && e.status > 0 && e.outcome.contains("error")) {
    ImGui::SameLine();
    const std::string kind = JsonText(e.outcome["error"], "kind");
    ImGui::TextColored(StatusColour(e.status), "(%s)", kind.c_str());
  }
  hook_.Set("response/status", e.status);
  hook_.Set("response/attempts", attempts);
  hook_.Set("response/ok", ok);
  hook_.Set("response/done", true);
  hook_.Set("response/exchange", e.id);
  hook_.Set("response/bytes", body_ ? body_->size() : 0);
}

void ResponseViewerPanel::DrawBody() {
  switch (tree_state_) {
    case TreeState::kBuilt:
      tree_.Draw("tree");
      hook_.Set("response/tree/rows", tree_.row_count());
      return;
    case TreeState::kTooLarge:
      ImGui::TextWrapped(
          "The body is %.1f MB: its tree is not built unless you ask (parsing it takes longer "
          "than a frame). The raw view below is already usable.",
          static_cast<double>(body_ ? body_->size() : 0) / (1024.0 * 1024.0));
      if (ImGui::Button("Build tree##build_tree")) BuildTree();
      hook_.Item("response/tree/build");
      raw_.Draw("body_raw");
      return;
    case TreeState::kNotJson:
      if (body_) {
        raw_.Draw("body_raw");
      }
      return;
    case TreeState::kNone:
      ImGui::TextDisabled(body_ ? "" : "No body.");
      return;
  }
}

void ResponseViewerPanel::DrawHeaders(const Exchange& e) {
  // As received on the last attempt (order and spelling kept); the outcome's when none.
  core::Headers headers;
  if (!e.wire.empty() && e.wire.back().response) {
    headers = e.wire.back().response->headers;
  } else if (e.outcome.contains("headers") && e.outcome["headers"].is_object()) {
    for (auto it = e.outcome["headers"].begin(); it != e.outcome["headers"].end(); ++it) {
      headers.Add(it.key(), it->is_string() ? it->get<std::string>() : core::DumpJson(*it));
    }
  }
  if (headers.empty()) {
    ImGui::TextDisabled("No response headers.");
    return;
  }
  if (ImGui::BeginTable("##headers", 2,
                        ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                            ImGuiTableFlags_Resizable | ImGuiTableFlags_ScrollY)) {
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthFixed, 180.0f);
    ImGui::TableSetupColumn("Value");
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableHeadersRow();
    for (const auto& [name, value] : headers) {
      const std::string shown = model_.reveal_secrets
                                    ? value
                                    : model_.Mask(core::MaskHeaderValue(name, value), e.secrets);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", shown.c_str());
    }
    ImGui::EndTable();
  }
}

void ResponseViewerPanel::DrawTimeline(const Exchange& e) {
  const core::Json empty = core::Json::array();
  const core::Json& attempts = e.outcome.contains("attempts") && e.outcome["attempts"].is_array()
                                   ? e.outcome["attempts"]
                                   : empty;
  if (ImGui::BeginTable(
          "##timeline", 5,
          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("Status");
    ImGui::TableSetupColumn("Elapsed");
    ImGui::TableSetupColumn("Note", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Delay before next");
    ImGui::TableHeadersRow();
    if (e.done) {
      for (const auto& a : attempts) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%d", core::JsonValueOr<int>(a, "number", 0));
        ImGui::TableNextColumn();
        const int status = core::JsonValueOr<int>(a, "status", 0);
        if (status > 0) {
          ImGui::TextColored(StatusColour(status), "%d", status);
        } else {
          ImGui::TextColored(
              StatusColour(0), "%s",
              core::JsonValueOr<std::string>(a, "transportError", "no answer").c_str());
        }
        ImGui::TableNextColumn();
        // The wire recorder timed each attempt to the microsecond; the pipeline's figure is in
        // whole milliseconds (an in-process answer would read "0 ms").
        const int number = core::JsonValueOr<int>(a, "number", 0);
        if (number >= 1 && static_cast<std::size_t>(number) <= e.wire.size()) {
          ImGui::Text("%.2f ms", e.wire[static_cast<std::size_t>(number) - 1].elapsed_ms);
        } else {
          ImGui::Text("%.0f ms", core::JsonValueOr<double>(a, "elapsedMs", 0));
        }
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", core::JsonValueOr<std::string>(a, "note", "").c_str());
        ImGui::TableNextColumn();
        const double delay = core::JsonValueOr<double>(a, "delayMs", 0);
        if (delay > 0) {
          ImGui::Text("%.0f ms", delay);
        } else {
          ImGui::TextDisabled("-");
        }
      }
    } else {
      // In flight: what the wire recorder has seen so far.
      for (std::size_t i = 0; i < e.wire.size(); ++i) {
        const WireAttempt& a = e.wire[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%zu", i + 1);
        ImGui::TableNextColumn();
        if (a.response) {
          ImGui::TextColored(StatusColour(a.response->status), "%d", a.response->status);
        } else {
          ImGui::TextColored(StatusColour(0), "%s", a.transport_error.c_str());
        }
        ImGui::TableNextColumn();
        ImGui::Text("%.2f ms", a.elapsed_ms);
        ImGui::TableNextColumn();
        ImGui::TextDisabled("in flight");
        ImGui::TableNextColumn();
        ImGui::TextDisabled("-");
      }
    }
    ImGui::EndTable();
    hook_.Item("response/timeline");
  }
  hook_.Set("response/timeline/rows", e.done ? attempts.size() : e.wire.size());
}

void ResponseViewerPanel::DrawError(const Exchange& e) {
  if (!e.done) {
    ImGui::TextDisabled("Waiting for the answer...");
    return;
  }
  if (e.outcome.value("ok", false) || !e.outcome.contains("error")) {
    ImGui::TextDisabled("No error: the call succeeded with %d.", e.status);
    return;
  }
  const core::Json& error = e.outcome["error"];
  if (ImGui::BeginTable("##error", 2, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("Field", ImGuiTableColumnFlags_WidthFixed, 110.0f);
    ImGui::TableSetupColumn("Value");
    Field("kind", JsonText(error, "kind"));
    Field("status", JsonText(error, "status"));
    Field("code", JsonText(error, "code"));
    // The SDK masks credentials in messages already; the environments' values are masked too.
    Field("message", model_.reveal_secrets ? JsonText(error, "message")
                                           : model_.Mask(JsonText(error, "message"), e.secrets));
    Field("retry after", error.contains("retryAfter") ? JsonText(error, "retryAfter") + " s" : "-");
    Field("request id", JsonText(error, "requestId"));
    if (error.contains("details") && error["details"].is_array()) {
      for (const auto& d : error["details"]) {
        Field(("field " + JsonText(d, "field")).c_str(), JsonText(d, "message"));
      }
    }
    ImGui::EndTable();
  }
  hook_.Set("response/error/kind", JsonText(error, "kind"));
}

void ResponseViewerPanel::DrawRequest(const Exchange& e) {
  if (wire_text_.empty()) {
    ImGui::TextWrapped("Nothing went over the wire%s.",
                       e.done ? " (the SDK refused the call: see the Error tab)" : " yet");
    return;
  }
  if (wire_text_.size() > 1) {
    ImGui::SetNextItemWidth(260.0f);
    const char* preview = wire_text_[static_cast<std::size_t>(request_attempt_)].title.c_str();
    if (ImGui::BeginCombo("##request_attempt", preview)) {
      for (std::size_t i = 0; i < wire_text_.size(); ++i) {
        if (ImGui::Selectable(wire_text_[i].title.c_str(),
                              static_cast<int>(i) == request_attempt_)) {
          request_attempt_ = static_cast<int>(i);
          request_body_.Set(wire_text_[i].body);
        }
      }
      ImGui::EndCombo();
    }
  }
  const WireText& t = wire_text_[static_cast<std::size_t>(request_attempt_)];
  ImGui::TextUnformatted(t.title.c_str());
  ImGui::TextWrapped("%s", t.url.c_str());
  hook_.Item("response/request/url");
  ImGui::Separator();
  ImGui::TextUnformatted(t.headers.c_str());
  hook_.Set("response/request/headers", t.headers);
  ImGui::Separator();
  if (t.body && !t.body->empty()) {
    request_body_.Draw("request_body");
  } else {
    ImGui::TextDisabled("No body.");
  }
}

}  // namespace restbox::console
