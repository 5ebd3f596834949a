// restbox-console: the console in a GLFW window, drawn with OpenGL 3 natively and WebGL 2 in the
// browser (Emscripten's GLFW). One source for both; the browser-only parts (canvas sizing for
// high-DPI screens, the embind test hook, the non-blocking main loop) are under __EMSCRIPTEN__.
//
// Coordinates: ImGui works in logical pixels (CSS pixels in the browser), the framebuffer in
// device pixels (DisplayFramebufferScale = device pixel ratio), and the font is rasterised at the
// device size so text stays sharp at any ratio. The test hook's rectangles are therefore in CSS
// pixels relative to the canvas, which is what Playwright's mouse expects.
//
// Chinese text: a CJK font is merged into ProggyClean (cjk_font.hpp): natively the system's Droid
// Sans Fallback read at run time, in the browser a subset of it compiled in at build time.

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cjk_font.hpp"
#include "console.hpp"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "restbox/core/json_codec.hpp"
#include "test_commands.hpp"
#include "text_probe.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

// (EM_JS functions are C symbols: at global scope.)
// Shows a message on the page instead of a blank canvas (web/index.html defines the function).
// EM_JS bodies are JavaScript, not C++: clang-format must not touch them.
// clang-format off
EM_JS(void, ShowPageError, (const char* message), {
  const text = UTF8ToString(message);
  if (typeof Module !== 'undefined' && Module.restboxShowError) Module.restboxShowError(text);
  else console.error(text);
});

// The "Local HTTP mock" base URL the page chose (its own origin when restbox-mock serves it).
EM_JS(char*, PageHttpMockUrl, (), {
  const url = (typeof Module !== 'undefined' && Module.restboxHttpMockUrl) || "";
  const size = lengthBytesUTF8(url) + 1;
  const out = _malloc(size);
  stringToUTF8(url, out, size);
  return out;
});
// clang-format on
#endif

namespace restbox::console {
namespace {

// ProggyClean, ImGui's built-in font, is drawn for 13 px; other sizes blur it.
constexpr float kBaseFontPixels = 13.0f;
// Frame times kept for the statistics the test hook reports (10 s at 60 fps).
constexpr std::size_t kFrameSamples = 600;
// io.DeltaTime bounds: ImGui asserts on 0 (headless Chromium repeats timestamps), and a long
// pause (background tab) must not become one giant step.
constexpr float kMinDeltaSeconds = 1.0f / 1000.0f;
constexpr float kMaxDeltaSeconds = 0.25f;

struct HostOptions {
  int frames = 0;           // exit after this many frames (0: run until the window closes)
  bool dump_state = false;  // print the test state JSON at exit
  int width = 1280;         // initial window size (native)
  int height = 800;
  int fps = 60;               // frame cap when vsync does not pace us (Xvfb); 0 = none
  std::string http_mock_url;  // "" = the Model's default (http://127.0.0.1:8080)
  CjkFontSource cjk_font;     // the CJK glyphs merged into the font (none: '?' for Chinese text)
  std::vector<std::string> commands;  // test commands (JSON) run after the first frame (native)
};

class GlfwHost final {
 public:
  GlfwHost(GLFWwindow* window, Model::Options options, CjkFontSource cjk_font)
      : window_(window), console_(std::move(options)), cjk_font_(std::move(cjk_font)) {}

  // One frame: input, layout, render, present. Never blocks.
  void Frame() {
    const auto started = std::chrono::steady_clock::now();
    glfwPollEvents();
    const float scale = UpdateDisplay();
    EnsureFont(scale);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = std::clamp(io.DeltaTime, kMinDeltaSeconds, kMaxDeltaSeconds);
#ifdef __EMSCRIPTEN__
    // GLFW reports the size and mouse in canvas (device) pixels; ImGui works in CSS pixels.
    io.DisplaySize = ImVec2(static_cast<float>(backing_width_) / scale,
                            static_cast<float>(backing_height_) / scale);
    io.DisplayFramebufferScale = ImVec2(scale, scale);
    if (io.MousePos.x > -FLT_MAX)
      io.MousePos = ImVec2(io.MousePos.x / scale, io.MousePos.y / scale);
#endif
    // A probed frame (test command probeText): drawn with probe glyphs, scanned, never shown.
    std::optional<TextProbe> probe;
    if (probe_next_frame_) probe.emplace();
    ImGui::NewFrame();
    console_.Frame();
    ImGui::Render();
    if (probe) {
      std::vector<std::string> cut;
      for (const CutText& c : probe->Scan(console_.hook().TextInputRects()))
        cut.push_back(c.ToString());
      probe.reset();  // the real glyphs back before anything draws again
      console_.hook().SetCutText(std::move(cut));
      probe_next_frame_ = false;
      ++text_probes_;
      ++frames_;
      return;  // the canvas keeps the last real frame
    }

    int fb_width = 0;
    int fb_height = 0;
    glfwGetFramebufferSize(window_, &fb_width, &fb_height);
#ifdef __EMSCRIPTEN__
    fb_width = backing_width_;
    fb_height = backing_height_;
#endif
    glViewport(0, 0, fb_width, fb_height);
    glClearColor(0.10f, 0.10f, 0.12f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glfwSwapBuffers(window_);

    ++frames_;
    RecordFrameTime(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
  }

  long frames() const {
    return frames_;
  }
  Console& console() {
    return console_;
  }

  // Console::TestState() plus the host's view: frames, sizes, frame times.
  core::Json State() const {
    core::Json state = console_.TestState();
    double sum = 0;
    double max = 0;
    for (double ms : frame_ms_) {
      sum += ms;
      max = std::max(max, ms);
    }
    const ImGuiIO& io = ImGui::GetIO();
    state["host"] = {
        {"frames", frames_},
        {"display", {io.DisplaySize.x, io.DisplaySize.y}},
        {"scale", io.DisplayFramebufferScale.x},
        {"font_pixels", font_pixels_},
        {"text_probes", text_probes_},
        {"font",
         {{"cjk_source", font_report_.cjk_source},
          {"cjk_error", font_report_.cjk_error},
          {"cjk_glyphs", font_report_.cjk_glyphs},
          {"atlas", {font_report_.width, font_report_.height}},
          {"build_ms", font_report_.build_ms}}},
        {"frame_ms",
         {{"last", frame_ms_.empty() ? 0.0 : frame_ms_.back()},
          {"max", max},
          {"mean", frame_ms_.empty() ? 0.0 : sum / static_cast<double>(frame_ms_.size())},
          {"samples", frame_ms_.size()}}},
    };
    return state;
  }

  // The test commands plus the host's own: {"cmd":"resetFrameStats"}.
  core::Json Command(const core::Json& command) {
    const std::string cmd = core::JsonValueOr<std::string>(command, "cmd", "");
    if (cmd == "resetFrameStats") {
      frame_ms_.clear();
      return {{"ok", true}};
    }
    if (cmd == "probeText") {  // see test_commands.hpp
      probe_next_frame_ = true;
      return {{"ok", true}, {"probe", text_probes_ + 1}};
    }
    return RunTestCommand(console_, command);
  }

 private:
  // Returns the device pixels per logical pixel. In the browser, also resizes the canvas's
  // backing store to its CSS size x devicePixelRatio (the page sizes the canvas with CSS).
  float UpdateDisplay() {
#ifdef __EMSCRIPTEN__
    double css_width = 0;
    double css_height = 0;
    emscripten_get_element_css_size("#canvas", &css_width, &css_height);
    const double ratio = std::max(0.25, emscripten_get_device_pixel_ratio());
    const int width = std::max(1, static_cast<int>(std::lround(css_width * ratio)));
    const int height = std::max(1, static_cast<int>(std::lround(css_height * ratio)));
    if (width != backing_width_ || height != backing_height_) {
      // Directly on the canvas: glfwSetWindowSize() would go full screen when the size equals
      // the screen's.
      emscripten_set_canvas_element_size("#canvas", width, height);
      backing_width_ = width;
      backing_height_ = height;
    }
    return static_cast<float>(ratio);
#else
    float x = 1.0f;
    float y = 1.0f;
    glfwGetWindowContentScale(window_, &x, &y);
    return std::max(1.0f, x);
#endif
  }

  // (Re)builds the font atlas when the pixel ratio changes: rasterised at the device size, shown
  // at the logical size.
  void EnsureFont(float scale) {
    const float pixels = std::round(kBaseFontPixels * scale);
    if (pixels == font_pixels_) return;
    ImGuiIO& io = ImGui::GetIO();
    if (font_pixels_ > 0) ImGui_ImplOpenGL3_DestroyFontsTexture();
    font_report_ = BuildConsoleFonts(*io.Fonts, ImFontConfig(), pixels, cjk_font_);
    if (!font_report_.cjk_error.empty()) {
      std::fprintf(stderr, "restbox-console: no CJK glyphs: %s\n", font_report_.cjk_error.c_str());
    }
#ifdef __EMSCRIPTEN__
    // Logical coordinates are CSS pixels: show the device-sized glyphs at 1/ratio.
    io.FontGlobalScale = kBaseFontPixels / pixels;
#else
    // Natively ImGui's coordinates are window pixels: scale the whole style once instead.
    if (font_pixels_ == 0 && scale > 1.0f) ImGui::GetStyle().ScaleAllSizes(scale);
#endif
    if (font_pixels_ > 0) ImGui_ImplOpenGL3_CreateFontsTexture();  // first time: NewFrame does it
    font_pixels_ = pixels;
  }

  void RecordFrameTime(double ms) {
    frame_ms_.push_back(ms);
    while (frame_ms_.size() > kFrameSamples) frame_ms_.pop_front();
  }

  GLFWwindow* window_;
  Console console_;
  CjkFontSource cjk_font_;
  FontAtlasReport font_report_;
  long frames_ = 0;
  float font_pixels_ = 0;
  std::deque<double> frame_ms_;
  bool probe_next_frame_ = false;
  long text_probes_ = 0;
#ifdef __EMSCRIPTEN__
  int backing_width_ = 0;
  int backing_height_ = 0;
#endif
};

void OnGlfwError(int code, const char* description) {
  std::fprintf(stderr, "restbox-console: GLFW error %d: %s\n", code, description);
}

#ifdef __EMSCRIPTEN__
// ---- browser ------------------------------------------------------------------------------------

GlfwHost* g_host = nullptr;  // the page's one console; lives until the tab closes

void BrowserFrame() {
  g_host->Frame();
}

// Test hook (test-only, see test_commands.hpp): the state as JSON, and a command. A C++
// exception must not escape into the page's JavaScript: it becomes {"error": ...}.
std::string ConsoleState() {
  if (!g_host) return "{}";
  try {
    return core::DumpJson(g_host->State());
  } catch (const std::exception& e) {
    return core::DumpJson(core::Json{{"error", std::string("restboxConsoleState: ") + e.what()}});
  }
}

std::string ConsoleCommand(std::string json) {
  if (!g_host) return R"({"ok":false,"error":"the console is not running"})";
  auto parsed = core::ParseJson(json);
  if (!parsed.ok())
    return core::DumpJson(core::Json{{"ok", false}, {"error", parsed.error().message}});
  try {
    return core::DumpJson(g_host->Command(parsed.value()));
  } catch (const std::exception& e) {
    return core::DumpJson(core::Json{{"ok", false}, {"error", e.what()}});
  }
}

EMSCRIPTEN_BINDINGS(restbox_console) {
  emscripten::function("restboxConsoleState", &ConsoleState);
  emscripten::function("restboxConsoleCommand", &ConsoleCommand);
}
#else
// ---- native -------------------------------------------------------------------------------------

constexpr const char* kUsage = R"(usage: restbox-console [options]

The restbox test console in a window (GLFW + OpenGL 3).

options:
  --http-mock URL   base URL of the "Local HTTP mock" environment (default http://127.0.0.1:8080)
  --width N         initial window width (default 1280)
  --height N        initial window height (default 800)
  --fps N           frame cap when the display does not pace frames, e.g. under Xvfb (default 60;
                    0 = none)
  --cjk-font PATH   TrueType font whose CJK glyphs are merged into the console's font ("" = none:
                    Chinese text shows as '?'; default )" RESTBOX_CJK_FONT_FILE R"()
  --frames N        exit after N frames (smoke tests; default: until the window is closed)
  --dump-state      print the test state (widgets, model, frame times, fonts) as JSON at exit
  --command JSON    a test command run after the first frame, e.g. '{"cmd":"select","service":
                    "findhelper","endpoint":"jobs.list"}' then '{"cmd":"send"}' (repeatable; see
                    sandbox-ui/src/test_commands.hpp; a failing command makes the exit status 1)
  --help            this text
)";

bool ParseInt(std::string_view text, int& out, int lo, int hi) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi)
    return false;
  out = value;
  return true;
}

// Runs the --command test commands in order; false (after printing why) if one failed.
bool RunStartCommands(GlfwHost& host, const std::vector<std::string>& commands) {
  bool ok = true;
  for (const std::string& text : commands) {
    auto parsed = core::ParseJson(text);
    core::Json answer = {{"ok", false}, {"error", parsed.ok() ? "" : parsed.error().message}};
    try {
      if (parsed.ok()) answer = host.Command(parsed.value());
    } catch (const std::exception& e) {
      answer = {{"ok", false}, {"error", e.what()}};
    }
    if (!core::JsonValueOr<bool>(answer, "ok", false)) {
      std::fprintf(stderr, "restbox-console: --command %s: %s\n", text.c_str(),
                   core::DumpJson(answer).c_str());
      ok = false;
    }
  }
  return ok;
}

// Returns an error message, or nullopt. `help` is set for --help.
std::optional<std::string> ParseArgs(int argc, char** argv, HostOptions& options, bool& help) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string_view(argv[++i]);
    };
    auto number = [&](int& out, int lo, int hi) -> std::optional<std::string> {
      auto v = value();
      if (!v || !ParseInt(*v, out, lo, hi)) {
        return std::string(arg) + " needs a number in " + std::to_string(lo) + ".." +
               std::to_string(hi);
      }
      return std::nullopt;
    };
    std::optional<std::string> error;
    if (arg == "--help" || arg == "-h") {
      help = true;
    } else if (arg == "--dump-state") {
      options.dump_state = true;
    } else if (arg == "--frames") {
      error = number(options.frames, 0, 100'000'000);
    } else if (arg == "--width") {
      error = number(options.width, 200, 16384);
    } else if (arg == "--height") {
      error = number(options.height, 200, 16384);
    } else if (arg == "--fps") {
      error = number(options.fps, 0, 1000);
    } else if (arg == "--cjk-font") {
      auto v = value();
      if (!v) return "--cjk-font needs a path (\"\" for none)";
      options.cjk_font.file = std::string(*v);
    } else if (arg == "--command") {
      auto v = value();
      if (!v) return "--command needs a JSON object";
      options.commands.emplace_back(*v);
    } else if (arg == "--http-mock") {
      auto v = value();
      if (!v || v->empty()) return "--http-mock needs a URL";
      options.http_mock_url = std::string(*v);
    } else {
      return "unknown option " + std::string(arg);
    }
    if (error) return error;
  }
  return std::nullopt;
}
#endif

}  // namespace
}  // namespace restbox::console

int main(int argc, char** argv) {
  using namespace restbox::console;
  HostOptions options;
#ifdef __EMSCRIPTEN__
  (void)argc;
  (void)argv;
#ifdef RESTBOX_EMBEDDED_CJK_FONT
  options.cjk_font.embedded = EmbeddedCjkFont();
#endif
  char* page_url = PageHttpMockUrl();
  options.http_mock_url = page_url;
  std::free(page_url);
  double css_width = 0;
  double css_height = 0;
  emscripten_get_element_css_size("#canvas", &css_width, &css_height);
  const double ratio = emscripten_get_device_pixel_ratio();
  options.width = std::max(1, static_cast<int>(std::lround(css_width * ratio)));
  options.height = std::max(1, static_cast<int>(std::lround(css_height * ratio)));
#else
  options.cjk_font.file = RESTBOX_CJK_FONT_FILE;
  bool help = false;
  if (auto error = ParseArgs(argc, argv, options, help)) {
    std::fprintf(stderr, "restbox-console: %s\n\n%s", error->c_str(), kUsage);
    return 2;
  }
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
#endif

  glfwSetErrorCallback(OnGlfwError);
  if (!glfwInit()) {
#ifdef __EMSCRIPTEN__
    ShowPageError("GLFW could not start in this browser.");
#else
    std::fprintf(stderr, "restbox-console: no display (set DISPLAY, or run under xvfb-run)\n");
#endif
    return 1;
  }
#ifdef __EMSCRIPTEN__
  const char* glsl_version = "#version 300 es";
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  // An opaque canvas without depth or stencil buffers (ImGui needs neither): less for the browser
  // to clear and composite every frame.
  glfwWindowHint(GLFW_ALPHA_BITS, 0);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
#else
  const char* glsl_version = "#version 150";
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 2);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
#endif
  GLFWwindow* window =
      glfwCreateWindow(options.width, options.height, "restbox console", nullptr, nullptr);
  if (!window) {
#ifdef __EMSCRIPTEN__
    ShowPageError("WebGL 2 is not available in this browser, so the console cannot draw.");
#else
    std::fprintf(stderr, "restbox-console: cannot open an OpenGL 3.2 core window\n");
    glfwTerminate();
#endif
    return 1;
  }
  glfwMakeContextCurrent(window);
#ifndef __EMSCRIPTEN__
  glfwSwapInterval(1);
#endif

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename =
      nullptr;  // the layout is the console's; nothing to save (no files in the browser)
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init(glsl_version);

  Model::Options model_options;
  if (!options.http_mock_url.empty()) model_options.http_mock_url = options.http_mock_url;
  // A big answer of the in-process mock is built and decoded off the UI thread (natively).
  model_options.in_process_off_thread = true;

#ifdef __EMSCRIPTEN__
  // Lives as long as the page; the browser calls BrowserFrame once per animation frame.
  g_host = new GlfwHost(window, std::move(model_options), std::move(options.cjk_font));
  emscripten_set_main_loop(BrowserFrame, 0, false);
  return 0;
#else
  int exit_code = 0;
  {
    GlfwHost host(window, std::move(model_options), std::move(options.cjk_font));
    using Clock = std::chrono::steady_clock;
    const auto frame_budget = options.fps > 0 ? std::chrono::duration<double>(1.0 / options.fps)
                                              : std::chrono::duration<double>(0);
    while (!glfwWindowShouldClose(window) &&
           (options.frames == 0 || host.frames() < options.frames)) {
      const auto started = Clock::now();
      host.Frame();
      if (host.frames() == 1 && !RunStartCommands(host, options.commands)) exit_code = 1;
      // Vsync paces a real display; under Xvfb it does not, so wait out the rest of the frame
      // (woken early by input) instead of spinning a core.
      const std::chrono::duration<double> left = frame_budget - (Clock::now() - started);
      if (left.count() > 0) glfwWaitEventsTimeout(left.count());
    }
    if (options.dump_state) std::printf("%s\n", restbox::core::DumpJson(host.State(), 2).c_str());
    if (options.frames > 0 && host.frames() < options.frames) exit_code = 1;  // closed early
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
#endif
}
