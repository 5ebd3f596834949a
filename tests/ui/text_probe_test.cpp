// The text probe finds text cut horizontally whatever drew it, and nothing else: its own small
// ImGui windows on the null host, with the console's font setup left aside.
#include "text_probe.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "imgui.h"
#include "null_host.hpp"

namespace restbox::console {
namespace {

// Draws `draw` inside a 200 px wide window for one probed frame and returns what was cut. The
// console is only there to own a null host frame; `draw` runs inside its own window.
class ProbeHarness {
 public:
  template <typename Draw>
  std::vector<CutText> Probe(Draw draw, const std::vector<Rect>& allowed = {}) {
    ImGui::SetCurrentContext(context_);
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    // Two frames: ImGui sizes windows and tables on the frame after they first appear.
    for (int frame = 0; frame < 2; ++frame) Draw1(draw);
    TextProbe probe;
    Draw1(draw);
    return probe.Scan(allowed);
  }
  ProbeHarness() {
    context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~ProbeHarness() { ImGui::DestroyContext(context_); }

 private:
  template <typename Draw>
  void Draw1(Draw& draw) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(10, 10));
    ImGui::SetNextWindowSize(ImVec2(200, 300));
    ImGui::Begin("probe", nullptr, ImGuiWindowFlags_NoDecoration);
    draw();
    ImGui::End();
    ImGui::Render();
  }
  ImGuiContext* context_ = nullptr;
};

TEST(TextProbe, TextThatFitsIsNotReported) {
  ProbeHarness h;
  EXPECT_TRUE(h.Probe([] {
                 ImGui::TextUnformatted("short label");
                 ImGui::Button("OK");
                 ImGui::Selectable("an item");
               }).empty());
}

TEST(TextProbe, TextPastThePanelEdgeIsReportedWithItsWords) {
  ProbeHarness h;
  const auto cut = h.Probe([] {
    ImGui::TextUnformatted("POST /api/v1/data/{slug}/records/{record_id} and more words");
  });
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(cut[0].window, "probe");
  EXPECT_EQ(cut[0].text.rfind("POST /api/v1/data/", 0), 0u) << cut[0].text;
  EXPECT_LT(cut[0].text.size(), 50u) << "only what was drawn: " << cut[0].text;
}

TEST(TextProbe, ACutFallingOnASpaceIsStillFound) {
  // Every position along the text is covered by one probe glyph, spaces included; place the panel
  // edge on each of the first 60 pixels after a text start and the cut is found every time.
  for (int width = 40; width < 100; ++width) {
    ProbeHarness h;
    const auto cut = h.Probe([width] {
      ImGui::BeginChild("narrow", ImVec2(static_cast<float>(width), 30), false);
      ImGui::TextUnformatted("a b c d e f g h i j k l m n o p");
      ImGui::EndChild();
    });
    EXPECT_EQ(cut.size(), 1u) << "child width " << width;
  }
}

TEST(TextProbe, AButtonNarrowerThanItsLabelAndAComboPreviewAreReported) {
  ProbeHarness h;
  const auto cut = h.Probe([] {
    ImGui::Button("Reset the whole mock", ImVec2(60, 0));
    static int current = 0;
    const char* items[] = {"In-process mock (in-process transport)"};
    ImGui::SetNextItemWidth(80);
    ImGui::Combo("##target", &current, items, 1);
  });
  ASSERT_EQ(cut.size(), 2u);
  EXPECT_EQ(cut[0].text.rfind("Res", 0), 0u) << cut[0].text;
  EXPECT_EQ(cut[1].text.rfind("In-pr", 0), 0u) << cut[1].text;
}

TEST(TextProbe, TableColumnsCutTheirCells) {
  ProbeHarness h;
  const auto cut = h.Probe([] {
    if (ImGui::BeginTable("t", 4, ImGuiTableFlags_SizingFixedSame)) {
      for (int c = 0; c < 4; ++c) {
        ImGui::TableSetupColumn("##c", ImGuiTableColumnFlags_WidthFixed, 12);
      }
      ImGui::TableNextRow();
      for (int c = 0; c < 4; ++c) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted("429");
      }
      ImGui::EndTable();
    }
  });
  ASSERT_EQ(cut.size(), 4u);
  for (const CutText& c : cut) EXPECT_EQ(c.text, "429");
}

TEST(TextProbe, InputsAndHorizontallyScrollingRegionsMayCutText) {
  ProbeHarness h;
  Rect input_rect;
  std::string value = "http://127.0.0.1:8080/api/v1/data/orders/records/rec_demo000001?x=1";
  const auto draw = [&] {
    ImGui::SetNextItemWidth(120);
    ImGui::InputText("##url", value.data(), value.size() + 1, ImGuiInputTextFlags_ReadOnly);
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    input_rect = Rect{min.x, min.y, max.x - min.x, max.y - min.y};
    ImGui::BeginChild("wide", ImVec2(150, 60), false, ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::TextUnformatted(
        "a very long line in a region that scrolls sideways, so nothing is lost");
    ImGui::EndChild();
  };
  h.Probe(draw);  // lays out once to learn the input's rectangle
  const auto unexempted = h.Probe(draw);
  ASSERT_EQ(unexempted.size(), 1u) << "the input's value is cut unless it is declared an input";
  EXPECT_TRUE(h.Probe(draw, {input_rect}).empty());
}

TEST(TextProbe, TheProbedFrameIsLaidOutLikeAnyOther) {
  NullHost host(1024, 700);
  Console console;
  host.Run(console, 3);
  const auto before = console.hook().widgets();
  host.ProbeText(console);
  const auto during = console.hook().widgets();
  ASSERT_EQ(before.size(), during.size());
  for (const auto& [id, r] : before) {
    ASSERT_TRUE(during.contains(id)) << id;
    const Rect& d = during.at(id);
    EXPECT_EQ(r.x, d.x) << id;
    EXPECT_EQ(r.w, d.w) << id;
  }
  // And the real glyphs are back afterwards.
  const ImFontGlyph* space = ImGui::GetFont()->FindGlyph(' ');
  EXPECT_FALSE(space->Visible);
}

}  // namespace
}  // namespace restbox::console
