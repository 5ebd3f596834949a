#include "panels/contract_runner.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "form.hpp"
#include "imgui.h"
#include "restbox/core/masking.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#endif

namespace restbox::console {
namespace {

const ImVec4 kGreen(0.35f, 0.8f, 0.4f, 1.0f);
const ImVec4 kRed(1.0f, 0.4f, 0.38f, 1.0f);
const ImVec4 kGrey(0.6f, 0.6f, 0.6f, 1.0f);

// The matrix column of a row: its status, plus the service's code when the code names one row
// among several (inventory's 400 INVALID_TOKEN) or lives inside a 200 (market's 1003).
std::string Column(const contract::Row& row) {
  if (row.code.empty() || row.code == std::to_string(row.status)) return std::to_string(row.status);
  return std::to_string(row.status) + "-" + row.code;
}

// Orders columns by status, then code ("200" < "200-1003" < "201" < "400" < "400-NOT_SHARED").
bool ColumnLess(const std::string& a, const std::string& b) {
  auto status = [](const std::string& c) { return std::atoi(c.c_str()); };
  if (status(a) != status(b)) return status(a) < status(b);
  return a < b;
}

// One result's marks: R/F passed, r!/f! failed, R?/F? no case, R- skipped (Live), . not run yet.
std::string Mark(const ContractJob& job, const std::optional<ContractResult>& result) {
  if (!result) return ".";
  if (!result->has_case) return job.forced ? "F?" : "R?";
  if (result->skipped) return job.forced ? "F-" : "R-";
  if (!result->passed) return job.forced ? "f!" : "r!";
  return job.forced ? "F" : "R";
}

// An exchange as text, secrets masked (core masking for credentials of any key the case used,
// then the console's own credentials).
std::string Describe(const Model& model, const RecordedExchange& e) {
  constexpr std::size_t kBodyShown = 4096;
  auto body = [](std::string text) {
    if (text.size() > kBodyShown)
      text = text.substr(0, kBodyShown) + "\n... (" + std::to_string(text.size()) + " bytes)";
    return text;
  };
  std::string out =
      std::string(core::ToString(e.request.method)) + " " + core::MaskUrl(e.request.url) + "\n";
  for (const auto& [name, value] : core::MaskHeaders(e.request.headers))
    out += name + ": " + value + "\n";
  if (!e.request.body.empty()) out += "\n" + body(core::MaskBody(e.request.body)) + "\n";
  out += "\n";
  if (e.response) {
    out += "-> " + std::to_string(e.response->status) + "\n";
    for (const auto& [name, value] : core::MaskHeaders(e.response->headers))
      out += name + ": " + value + "\n";
    if (!e.response->body.empty()) out += "\n" + body(core::MaskBody(e.response->body)) + "\n";
  } else {
    out += "-> no answer: " + e.transport_error + "\n";
  }
  return model.Mask(std::move(out));
}

// The browser's frame pace while a run against a server (HTTP mock, Live) is under way. A drawn
// frame holds the page's only thread, and every fetch answer (headers, then body) waits behind
// the frames in between. With software WebGL (headless Chromium, SwiftShader) the compositor's
// read-back of the canvas blocks that thread for 50-65 ms a frame: about 170 ms a request instead
// of 5 ms, and 192 s for the 431 rows over HTTP. Ten frames a second during the run keep the
// progress and the Stop button live and leave the thread to the answers (14.8 s measured).
void PaceFramesForHttpRun(bool running) {
#ifdef __EMSCRIPTEN__
  // Only a page has a main loop to pace (the null host under node has none, and Emscripten would
  // complain on stderr).
  // NOLINTNEXTLINE: EM_ASM is Emscripten's macro for inline JavaScript
  if (!EM_ASM_INT({ return Browser.mainLoop.func ? 1 : 0; })) return;
  if (running)
    emscripten_set_main_loop_timing(EM_TIMING_SETTIMEOUT, 100);
  else
    emscripten_set_main_loop_timing(EM_TIMING_RAF, 1);
#else
  (void)running;
#endif
}

}  // namespace

ContractRunnerPanel::ContractRunnerPanel(Model& model, TestHook& hook) : Panel(model, hook) {
  // The matrix shows the rows before any run.
  Preview();
}

void ContractRunnerPanel::Preview() {
  jobs_ = live_ ? ContractRun::Jobs({true, false}) : ContractRun::Jobs({realistic_, forced_});
  results_.assign(jobs_.size(), std::nullopt);
  done_ = failed_ = skipped_ = 0;
  selected_service_.clear();
  BuildMatrix();
  PublishState();
}

ContractRunnerPanel::~ContractRunnerPanel() {
  PaceFrames(false);
  // A Live job waiting for its turn under the limits ends at once.
  if (in_flight_ && run_) run_->Cancel();
#ifndef __EMSCRIPTEN__
  // A job under way over HTTP ends first (at most its timeouts): its answers resume it here.
  if (in_flight_) loop_->RunUntil([this] { return !in_flight_; });
#endif
  // In the browser nothing may block: the job's completion holds the run and the loop, and is
  // dropped unrun with them.
}

void ContractRunnerPanel::BuildMatrix() {
  matrix_.clear();
  for (std::size_t i = 0; i < jobs_.size(); ++i) {
    const contract::Row& row = jobs_[i].row;
    auto table = std::find_if(matrix_.begin(), matrix_.end(),
                              [&](const ServiceTable& t) { return t.service == row.service; });
    if (table == matrix_.end())
      table = matrix_.insert(matrix_.end(), ServiceTable{row.service, {}, {}});
    auto ep = std::find_if(table->rows.begin(), table->rows.end(),
                           [&](const EndpointRow& r) { return r.endpoint == row.endpoint; });
    if (ep == table->rows.end())
      ep = table->rows.insert(table->rows.end(), EndpointRow{row.endpoint, {}});
    const std::string column = Column(row);
    auto cell = std::find_if(ep->cells.begin(), ep->cells.end(),
                             [&](const Cell& c) { return c.column == column; });
    if (cell == ep->cells.end()) cell = ep->cells.insert(ep->cells.end(), Cell{column, {}});
    cell->jobs.push_back(i);
    if (std::find(table->columns.begin(), table->columns.end(), column) == table->columns.end())
      table->columns.push_back(column);
  }
  for (auto& table : matrix_) std::sort(table.columns.begin(), table.columns.end(), ColumnLess);
}

void ContractRunnerPanel::PublishState() {
  hook_.Set("contract/total", jobs_.size());
  hook_.Set("contract/done", done_);
  hook_.Set("contract/failed", failed_);
  hook_.Set("contract/skipped", skipped_);
  hook_.Set("contract/live", live_);
  hook_.Set("contract/error", error_);
  hook_.Set("contract/live_summary", live_summary_);
  hook_.Set("contract/running", running_);
  hook_.Set("contract/target", target_name_);
  hook_.Set("contract/seconds", elapsed_s_);
}

void ContractRunnerPanel::Start() {
  if (running_) return;
  ContractRun::Options options{realistic_, forced_};
  error_.clear();
  live_summary_.clear();
  if (target_ > 0 && live_) {
    const Environment& env = model_.environment(static_cast<std::size_t>(target_ - 1));
    check::CheckOptions o;
    o.kind = check::CheckOptions::Kind::kServices;
    for (const ServiceView& service : model_.services())
      o.services.push_back({service.id, env.BaseUrlFor(service)});
    o.fixtures = model_.FixturesFor(env);
    o.allow_writes = allow_writes_;
    o.transport = model_.TransportFor(env);
    o.clock = model_.options().clock;
    o.scheduler = model_.options().scheduler;
    try {
      run_ = ContractRun::Live(std::move(o));
    } catch (const std::exception& e) {
      error_ = std::string("cannot run against ") + env.name + ": " + e.what();
      PublishState();
      return;
    }
    target_name_ = env.name + " (live: realistic rows" + (allow_writes_ ? ", writes" : "") + ")";
  }
  done_ = failed_ = skipped_ = next_ = 0;
  stopping_ = false;
  elapsed_s_ = 0;
  started_ = std::chrono::steady_clock::now();
  selected_service_.clear();

  if (target_ > 0 && live_) {
    // Made above.
  } else if (target_ == 0) {
    run_ = ContractRun::InProcess(options);
    target_name_ = "fresh in-process mock";
  } else {
    const Environment& env = model_.environment(static_cast<std::size_t>(target_ - 1));
    run_ = ContractRun::OverHttp(model_.TransportFor(env), env.base_url, options);
    target_name_ = env.name + " (" + env.base_url + ")";
  }
  jobs_ = run_->jobs();
  results_.assign(jobs_.size(), std::nullopt);
  BuildMatrix();
  running_ = true;
  PaceFrames(target_ > 0);
  PublishState();
}

void ContractRunnerPanel::PaceFrames(bool paced) {
  if (paced == paced_) return;
  paced_ = paced;
  PaceFramesForHttpRun(paced);
}

void ContractRunnerPanel::Stop() {
  if (!running_) return;
  stopping_ = true;                        // the job under way, if any, ends first
  if (in_flight_ && run_) run_->Cancel();  // Live: at once, not after a pacing wait
  if (!in_flight_) Finish();
}

void ContractRunnerPanel::Finish() {
  PaceFrames(false);
  running_ = false;
  stopping_ = false;
  elapsed_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (run_) {
    if (auto summary = run_->Summarize(elapsed_s_ * 1000.0)) {
      char coverage[32];
      std::snprintf(coverage, sizeof coverage, "%.1f", summary->coverage_percent);
      live_summary_ = "coverage " + std::to_string(summary->covered) + "/" +
                      std::to_string(summary->cells) + " cells (" + coverage + "%), " +
                      std::to_string(summary->requests) + " requests, at most " +
                      std::to_string(summary->max_requests_per_minute) + " to one API in a minute";
    }
  }
  run_.reset();
  PublishState();
}

void ContractRunnerPanel::StartJob(std::size_t index) {
  in_flight_ = true;
  std::weak_ptr<int> alive = alive_;
#ifdef __EMSCRIPTEN__
  // One thread: an answer (a fetch callback from the event loop) resumes the job at once, not a
  // frame later (the browser sweep over HTTP took 119 s for 431 rows waiting a frame per answer).
  contract::Loop* resume_on = nullptr;
#else
  // curl's thread posts each resumption to loop_; the UI thread runs it (Pump, the destructor).
  contract::Loop* resume_on = loop_.get();
#endif
  // Runs on the UI thread: inline, from loop_ or (browser) from the event loop.
  contract::Start<ContractResult>(
      run_->RunJob(index), resume_on,
      [this, alive, index, run = run_, loop = loop_](std::optional<ContractResult>* result,
                                                     std::exception_ptr error) {
        if (!alive.lock()) return;
        in_flight_ = false;
        if (index >= results_.size()) return;
        if (result) {
          results_[index] = std::move(**result);
        } else {
          ContractResult failed;
          try {
            std::rethrow_exception(std::move(error));
          } catch (const std::exception& e) {
            failed.message = std::string("the case could not run: ") + e.what();
          } catch (...) {
            failed.message = "the case could not run";
          }
          results_[index] = std::move(failed);
        }
        ++done_;
        if (results_[index]->skipped)
          ++skipped_;
        else if (!results_[index]->passed)
          ++failed_;
#ifdef __EMSCRIPTEN__
        // An answer from the event loop (not from inside StartJob, as in-process answers are)
        // starts the next job now instead of at the next frame: frames of the software-rendered
        // page are slow, and a frame per row made the browser sweep over HTTP take minutes.
        if (!starting_) StartReady();
#endif
      });
}

void ContractRunnerPanel::StartReady() {
  if (!running_ || !run_) return;
  const auto until = std::chrono::steady_clock::now() + kFrameBudget;
  while (!in_flight_ && !stopping_ && next_ < jobs_.size() &&
         std::chrono::steady_clock::now() < until) {
    starting_ = true;
    StartJob(next_++);
    starting_ = false;
  }
}

void ContractRunnerPanel::Pump() {
  loop_->RunReady();
  if (!running_ || !run_) return;
  StartReady();
  elapsed_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (!in_flight_ && (stopping_ || next_ >= jobs_.size())) Finish();
}

void ContractRunnerPanel::Draw() {
  Pump();
  if (running_)
    elapsed_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  PublishState();
  DrawControls();
  const float avail = ImGui::GetContentRegionAvail().y;
  const bool details = !selected_service_.empty();
  DrawMatrix(details ? std::max(120.0f, avail * 0.55f) : 0.0f);
  if (details) DrawDetails();
}

void ContractRunnerPanel::DrawControls() {
  // Target.
  std::string preview = target_ == 0
                            ? "Fresh in-process mock"
                            : model_.environment(static_cast<std::size_t>(target_ - 1)).name +
                                  (live_ ? " (live check)" : "");
  // Run comes first: the right-hand column can be narrow, and the main action must stay visible.
  if (running_) {
    if (ImGui::Button("Stop##contract_stop")) Stop();
    hook_.Item("contract/stop");
  } else {
    ImGui::BeginDisabled(!live_ && !realistic_ && !forced_);
    if (ImGui::Button("Run##contract_run")) Start();
    ImGui::EndDisabled();
  }
  hook_.Item("contract/run");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(
      std::min(200.0f, std::max(80.0f, ImGui::GetContentRegionAvail().x - 60.0f)));
  ImGui::BeginDisabled(running_);
  const int target_before = target_;
  const bool live_before = live_;
  if (ImGui::BeginCombo("Target##contract_target", preview.c_str())) {
    if (ImGui::Selectable("Fresh in-process mock##contract_target0", target_ == 0)) {
      target_ = 0;
      live_ = false;
    }
    hook_.Item("contract/target/0");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("A mock made for this run: your mock's state is left alone");
    for (std::size_t i = 0; i < model_.environments.size(); ++i) {
      const Environment& env = model_.environments[i];
      if (env.target != TargetKind::kHttpMock) continue;
      std::string label = env.name + "##contract_target" + std::to_string(i + 1);
      if (ImGui::Selectable(label.c_str(), target_ == static_cast<int>(i + 1) && !live_)) {
        target_ = static_cast<int>(i + 1);
        live_ = false;
      }
      hook_.Item("contract/target/" + std::to_string(i + 1));
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("restbox-mock at %s (reset before every case)", env.base_url.c_str());
    }
    // Any environment as a foreign server: restbox-check's realistic rows, nothing administered.
    for (std::size_t i = 0; i < model_.environments.size(); ++i) {
      const Environment& env = model_.environments[i];
      if (env.target == TargetKind::kInProcess) continue;
      std::string label = env.name + " (live check)##contract_target_live" + std::to_string(i + 1);
      if (ImGui::Selectable(label.c_str(), target_ == static_cast<int>(i + 1) && live_)) {
        target_ = static_cast<int>(i + 1);
        live_ = true;
      }
      hook_.Item("contract/target/live/" + std::to_string(i + 1));
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "restbox-check's realistic rows against each service's base URL of %s, with its "
            "credentials, paced under the documented limits",
            env.name.c_str());
    }
    ImGui::EndCombo();
  }
  hook_.Item("contract/target");
  bool changed = target_ != target_before || live_ != live_before;
  if (live_) {
    // Live rows are realistic only (forcing a row needs restbox-mock).
    ImGui::Checkbox("Allow writes##contract_allow_writes", &allow_writes_);
    hook_.Item("contract/allow_writes");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Also the rows that create, change or delete (off: reads only)");
  } else {
    changed |= ImGui::Checkbox("Realistic##contract_realistic", &realistic_);
    hook_.Item("contract/realistic");
    ImGui::SameLine();
    changed |= ImGui::Checkbox("Forced##contract_forced", &forced_);
    hook_.Item("contract/forced");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Each error row again, through the success case with Prefer: code=NNN");
  }
  ImGui::EndDisabled();
  // The matrix shows what the next run will do.
  if (changed) Preview();
  if (!error_.empty()) ImGui::TextColored(kRed, "%s", model_.Mask(error_).c_str());

  const float fraction =
      jobs_.empty() ? 0.0f : static_cast<float>(done_) / static_cast<float>(jobs_.size());
  std::string overlay = std::to_string(done_) + " / " + std::to_string(jobs_.size());
  ImGui::ProgressBar(fraction, ImVec2(-1, 0), overlay.c_str());
  hook_.Item("contract/progress");

  if (done_ > 0 || running_) {
    const std::size_t passed = done_ - failed_ - skipped_;
    ImGui::Text("%zu rows, %zu passed, ", jobs_.size(), passed);
    ImGui::SameLine(0, 0);
    ImGui::TextColored(failed_ ? kRed : kGreen, "%zu failed", failed_);
    ImGui::SameLine(0, 0);
    if (skipped_ > 0) {
      ImGui::Text(", %zu skipped", skipped_);
      ImGui::SameLine(0, 0);
    }
    ImGui::Text(", %.2f s%s%s", elapsed_s_, target_name_.empty() ? "" : " against ",
                target_name_.c_str());
    if (!live_summary_.empty()) form::Note("%s", live_summary_.c_str());
  } else if (live_) {
    form::Note(
        "Up to %zu realistic rows. R = ok, r! = problems (click the cell), R- = skipped (why: "
        "click the cell).",
        jobs_.size());
  } else {
    form::Note(
        "%zu rows to run. R = realistic ok, F = forced ok, r!/f! = mismatch, R?/F? = no case.",
        jobs_.size());
  }
  hook_.Item("contract/summary");
}

void ContractRunnerPanel::DrawMatrix(float height) {
  ImGui::BeginChild("##contract_matrix", ImVec2(0, height), false,
                    ImGuiWindowFlags_HorizontalScrollbar);
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  for (const ServiceTable& table : matrix_) {
    std::string header = table.service + "##contract_service_" + table.service;
    if (!ImGui::CollapsingHeader(header.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) continue;
    const int columns = static_cast<int>(std::min<std::size_t>(table.columns.size() + 1, 64));
    std::string id = "##contract_table_" + table.service;
    // Each column as wide as its whole header ("401.INVALID_KEY"): fit-to-contents alone sized
    // them to the marks and cut the headers to their first digit. The table is as wide as its
    // columns, and the matrix's region scrolls sideways when that is wider than the panel.
    const ImGuiStyle& style = ImGui::GetStyle();
    std::vector<float> widths;
    float endpoint_width = ImGui::CalcTextSize("endpoint").x;
    for (const EndpointRow& row : table.rows)
      endpoint_width = std::max(endpoint_width, ImGui::CalcTextSize(row.endpoint.c_str()).x);
    widths.push_back(endpoint_width);
    // A cell holds up to two marks ("r!f!"); its selectable also spans the item spacing.
    const float marks_width = ImGui::CalcTextSize("r!f!").x + style.ItemSpacing.x;
    for (int c = 1; c < columns; ++c) {
      widths.push_back(
          std::max(ImGui::CalcTextSize(table.columns[static_cast<std::size_t>(c - 1)].c_str()).x,
                   marks_width));
    }
    float total = 0;
    for (float w : widths) total += w + style.CellPadding.x * 2 + 1;  // + the inner border
    if (!ImGui::BeginTable(id.c_str(), columns, flags, ImVec2(total, 0))) continue;
    ImGui::TableSetupColumn("endpoint", ImGuiTableColumnFlags_WidthFixed, widths[0]);
    for (int c = 1; c < columns; ++c) {
      ImGui::TableSetupColumn(table.columns[static_cast<std::size_t>(c - 1)].c_str(),
                              ImGuiTableColumnFlags_WidthFixed,
                              widths[static_cast<std::size_t>(c)]);
    }
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int c = 0; c < columns; ++c) {
      ImGui::TableSetColumnIndex(c);
      const char* name = ImGui::TableGetColumnName(c);
      ImGui::TableHeader(name);
      hook_.Item("contract/header/" + table.service + "/" + name);
    }
    for (const EndpointRow& row : table.rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.endpoint.c_str());
      for (int c = 1; c < columns; ++c) {
        ImGui::TableNextColumn();
        const std::string& column = table.columns[static_cast<std::size_t>(c - 1)];
        auto cell = std::find_if(row.cells.begin(), row.cells.end(),
                                 [&](const Cell& x) { return x.column == column; });
        if (cell == row.cells.end()) continue;  // not documented for this endpoint
        std::string marks;
        bool any_failed = false;
        bool all_passed = true;
        for (std::size_t j : cell->jobs) {
          marks += Mark(jobs_[j], results_[j]);
          any_failed = any_failed || (results_[j] && !results_[j]->passed && !results_[j]->skipped);
          all_passed = all_passed && results_[j] && results_[j]->passed;
        }
        const std::string hook_id =
            "contract/cell/" + table.service + "/" + row.endpoint + "/" + column;
        const bool selected = selected_service_ == table.service &&
                              selected_endpoint_ == row.endpoint && selected_column_ == column;
        ImGui::PushStyleColor(ImGuiCol_Text, any_failed ? kRed : all_passed ? kGreen : kGrey);
        std::string label = marks + "##" + hook_id;
        if (ImGui::Selectable(label.c_str(), selected)) {
          selected_service_ = table.service;
          selected_endpoint_ = row.endpoint;
          selected_column_ = column;
        }
        ImGui::PopStyleColor();
        hook_.Item(hook_id);
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();
}

void ContractRunnerPanel::DrawDetails() {
  const Cell* cell = nullptr;
  for (const auto& table : matrix_) {
    if (table.service != selected_service_) continue;
    for (const auto& row : table.rows) {
      if (row.endpoint != selected_endpoint_) continue;
      for (const auto& c : row.cells) {
        if (c.column == selected_column_) cell = &c;
      }
    }
  }
  if (!cell) return;
  ImGui::Separator();
  ImGui::Text("%s/%s %s", selected_service_.c_str(), selected_endpoint_.c_str(),
              selected_column_.c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton("Close##contract_details_close")) {
    selected_service_.clear();
    return;
  }
  // For tests: what the selected cell shows.
  core::Json shown = core::Json::array();
  ImGui::BeginChild("##contract_details", ImVec2(0, 0), false);
  for (std::size_t j : cell->jobs) {
    const ContractJob& job = jobs_[j];
    const auto& result = results_[j];
    ImGui::PushID(static_cast<int>(j));
    const char* kind = job.forced ? "Forced" : "Realistic";
    if (!result) {
      ImGui::TextDisabled("%s: not run yet", kind);
      ImGui::PopID();
      continue;
    }
    if (result->skipped) {
      ImGui::TextColored(kGrey, "%s: skipped", kind);
    } else {
      ImGui::TextColored(result->passed ? kGreen : kRed, "%s: %s (%.1f ms)", kind,
                         result->passed ? "pass" : "FAIL", result->elapsed_ms);
    }
    if (!result->trigger.empty()) ImGui::TextWrapped("Trigger: %s", result->trigger.c_str());
    if (!result->message.empty())
      ImGui::TextWrapped("%s: %s", result->skipped ? "Why" : "Check",
                         model_.Mask(result->message).c_str());
    // What differs from the endpoint table, one line each (check::CheckAnswer's problems).
    core::Json problems = core::Json::array();
    for (const check::Problem& p : result->problems) {
      std::string line = model_.Mask(check::ToString(p));
      ImGui::TextColored(kRed, "%s", line.c_str());
      problems.push_back({{"path", p.path},
                          {"expected", model_.Mask(p.expected)},
                          {"actual", model_.Mask(p.actual)}});
    }
    core::Json exchanges = core::Json::array();
    for (std::size_t k = 0; k < result->exchanges.size(); ++k) {
      const RecordedExchange& e = result->exchanges[k];
      std::string text = Describe(model_, e);
      std::string label =
          "Exchange " + std::to_string(k + 1) + ": " +
          std::string(core::ToString(e.request.method)) + " -> " +
          (e.response ? std::to_string(e.response->status) : std::string("no answer"));
      if (ImGui::TreeNodeEx(label.c_str(), k + 1 == result->exchanges.size()
                                               ? ImGuiTreeNodeFlags_DefaultOpen
                                               : 0)) {
        ImGui::TextUnformatted(text.data(), text.data() + text.size());
        ImGui::TreePop();
      }
      exchanges.push_back({{"method", core::ToString(e.request.method)},
                           {"url", core::MaskUrl(e.request.url)},
                           {"status", e.response ? e.response->status : 0},
                           {"text", text}});
    }
    shown.push_back({{"forced", job.forced},
                     {"passed", result->passed},
                     {"skipped", result->skipped},
                     {"problems", std::move(problems)},
                     {"trigger", result->trigger},
                     {"message", result->message},
                     {"exchanges", std::move(exchanges)}});
    ImGui::Separator();
    ImGui::PopID();
  }
  ImGui::EndChild();
  hook_.Set("contract/selected", {{"service", selected_service_},
                                  {"endpoint", selected_endpoint_},
                                  {"column", selected_column_},
                                  {"runs", std::move(shown)}});
}

}  // namespace restbox::console
