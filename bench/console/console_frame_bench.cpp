// Frame time of the console while a ~10 MB response is shown and scrolled (issue 6: "no frame over
// 33 ms after the body has been received"). Null host: no window and no GPU, so a frame is the
// console's CPU work (model pump, ImGui layout, draw-list building); a GPU host adds rendering.
//
// Each benchmark builds the scenario (demo_data: 100 WNCMS posts of ~100 KB in the in-process
// mock, listed in one page), sends it, and then times frames one by one while the mouse wheel
// scrolls the chosen view (direction flips every 150 frames, so every frame really scrolls).
// Counters: arrival_ms (the first frame after the body arrived: the views are built there),
// mean_ms and max_ms over the scrolled frames, over_33ms (frames above the target, arrival
// included), body_mb, send_ms (Model::Send: the in-process mock builds the answer and the SDK
// decodes it there, before the body has arrived), rows / rows_drawn / deepest_row (the raw view's
// index size, rows drawn by the last frame, the deepest first visible row reached: frames scroll).
// Wall time on a shared machine includes waiting for a core: cpu_mean_ms / cpu_max_ms are the
// same frames in this thread's CPU time.
// Run: build/<dir>/bin/console_frame_bench [--benchmark_filter=Raw].

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "console.hpp"
#include "demo_data.hpp"
#include "null_host.hpp"
#include "panels/response_viewer.hpp"

namespace {

using restbox::console::Console;
using restbox::console::NullHost;
using restbox::console::ResponseViewerPanel;
using Tab = ResponseViewerPanel::Tab;

ResponseViewerPanel* Viewer(Console& console) {
  for (auto* panel : console.panels()) {
    if (auto* viewer = dynamic_cast<ResponseViewerPanel*>(panel)) return viewer;
  }
  return nullptr;
}

// This thread's CPU time in ms (POSIX; the benchmark is native only).
double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_nsec) / 1e6;
}

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

enum class View { kRaw, kBodyLarge, kTree };

void BM_LargeResponseFrames(benchmark::State& state, View view) {
  NullHost host(1280, 800);
  Console console;
  auto& model = console.model();
  ResponseViewerPanel* viewer = Viewer(console);
  auto draft = restbox::console::PrepareLargeResponse(*model.mock());
  if (!viewer || !draft.ok()) {
    state.SkipWithError("cannot build the 10 MB scenario");
    return;
  }
  host.Run(console, 2);
  viewer->ShowTab(view == View::kRaw ? Tab::kRaw : Tab::kBody);
  // Not a frame the target covers (the body has not arrived yet), but reported: with the
  // in-process mock, the mock's work and the SDK's decoding happen inside Send.
  const auto send_start = std::chrono::steady_clock::now();
  const auto id = model.Send(*draft);
  const double send_ms = Ms(std::chrono::steady_clock::now() - send_start);
  // The in-process mock answers within Send; its completion reaches the model at the next frame's
  // Pump, and the viewer builds its views in that same frame.
  const auto arrival_start = std::chrono::steady_clock::now();
  host.Frame(console);
  const double arrival_ms = Ms(std::chrono::steady_clock::now() - arrival_start);
  const auto* exchange = model.FindExchange(id);
  if (!exchange || !exchange->done || !exchange->body) {
    state.SkipWithError("the 10 MB answer did not arrive in one frame");
    return;
  }
  double build_tree_ms = 0;
  if (view == View::kTree) {
    // The button: not a frame the target covers, but reported.
    const auto build_start = std::chrono::steady_clock::now();
    viewer->BuildTree();
    build_tree_ms = Ms(std::chrono::steady_clock::now() - build_start);
    viewer->tree_view().ExpandTo(4);  // every post open: ~1500 rows
  }
  host.Run(console, 3);
  // The mouse over the scrolling rows (below the status line, tab bar and search/tree bar).
  const auto& widgets = console.hook().widgets();
  const auto status = widgets.find("response/status");
  if (status == widgets.end()) {
    state.SkipWithError("the response status is not drawn");
    return;
  }
  host.MoveMouse(status->second.x + 60, status->second.y + 140);

  double total_ms = 0;
  double max_ms = 0;
  double cpu_total_ms = 0;
  double cpu_max_ms = 0;
  int over = arrival_ms > 33.0 ? 1 : 0;
  long frames = 0;
  std::size_t deepest_row = 0;
  for (auto _ : state) {
    const float wheel = (frames / 150) % 2 == 0 ? -5.0f : 5.0f;
    const double cpu_start = ThreadCpuMs();
    const auto start = std::chrono::steady_clock::now();
    host.Wheel(console, wheel);
    const double ms = Ms(std::chrono::steady_clock::now() - start);
    const double cpu = ThreadCpuMs() - cpu_start;
    cpu_total_ms += cpu;
    cpu_max_ms = std::max(cpu_max_ms, cpu);
    total_ms += ms;
    max_ms = std::max(max_ms, ms);
    over += ms > 33.0 ? 1 : 0;
    ++frames;
    if (view != View::kTree)
      deepest_row = std::max(deepest_row, viewer->raw_view().first_drawn_row());
  }
  state.counters["send_ms"] = send_ms;
  state.counters["arrival_ms"] = arrival_ms;
  state.counters["mean_ms"] = frames ? total_ms / static_cast<double>(frames) : 0;
  state.counters["max_ms"] = max_ms;
  state.counters["cpu_mean_ms"] = frames ? cpu_total_ms / static_cast<double>(frames) : 0;
  state.counters["cpu_max_ms"] = cpu_max_ms;
  state.counters["over_33ms"] = over;
  state.counters["body_mb"] = static_cast<double>(exchange->body->size()) / (1024.0 * 1024.0);
  if (view == View::kTree) {
    state.counters["build_tree_ms"] = build_tree_ms;
    state.counters["tree_rows"] = static_cast<double>(viewer->tree_view().row_count());
    state.counters["rows_drawn"] = viewer->tree_view().drawn_rows();
  } else {
    state.counters["rows"] = static_cast<double>(viewer->raw_view().row_count());
    state.counters["rows_drawn"] = viewer->raw_view().drawn_rows();
    state.counters["deepest_row"] = static_cast<double>(deepest_row);
  }
}

BENCHMARK_CAPTURE(BM_LargeResponseFrames, Raw, View::kRaw)
    ->Iterations(600)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LargeResponseFrames, BodyTooLargeForTree, View::kBodyLarge)
    ->Iterations(600)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LargeResponseFrames, TreeOnRequest, View::kTree)
    ->Iterations(600)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
