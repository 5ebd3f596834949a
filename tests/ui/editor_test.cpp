// The request editor on the null host: the form is generated from the endpoint table, typing into a
// field updates the parameters and the raw JSON, the raw JSON drives the form back, live validation
// is the SDK's own (and Send is refused the same way), and Send reaches the in-process mock.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "console.hpp"
#include "form.hpp"
#include "imgui.h"
#include "null_host.hpp"
#include "panels/request_editor.hpp"

namespace restbox::console {
namespace {

// A tall window: every form row of the endpoints used here is on screen.
constexpr float kWidth = 1600;
constexpr float kHeight = 1400;

RequestEditorPanel& Editor(Console& console) {
  for (Panel* panel : console.panels()) {
    if (auto* editor = dynamic_cast<RequestEditorPanel*>(panel)) return *editor;
  }
  throw std::logic_error("no request editor");
}

int EditorErrors(Console& console) {
  return console.hook().state().value("editor/errors", -1);
}

// Presses a key (press on one frame, release on the next); the null host maps no keys itself.
void PressKey(NullHost& host, Console& console, ImGuiKey key, bool ctrl = false) {
  ImGuiIO& io = ImGui::GetIO();
  io.KeyMap[key] = key;
  io.KeyCtrl = ctrl;
  io.KeysDown[key] = true;
  host.Frame(console);
  io.KeysDown[key] = false;
  io.KeyCtrl = false;
  host.Frame(console);
}

const Exchange& WaitDone(NullHost& host, Console& console, std::uint64_t id) {
  for (int i = 0; i < 200; ++i) {
    const Exchange* e = console.model().FindExchange(id);
    if (e && e->done) return *e;
    host.Frame(console);
  }
  const Exchange* e = console.model().FindExchange(id);
  if (!e) throw std::logic_error("no such exchange");
  return *e;
}

// Picks chikage/get in the explorer and empties its parameters with the Clear button.
void SelectEmptyChikageGet(NullHost& host, Console& console) {
  host.Run(console, 2);
  ASSERT_TRUE(host.Click(console, "explorer/chikage/get"));
  ASSERT_EQ(console.model().draft.endpoint, "get");
  ASSERT_TRUE(host.Click(console, "editor/clear"));
  ASSERT_TRUE(console.model().draft.params.empty());
}

TEST(RequestEditor, TypingIntoAFieldUpdatesParamsAndRawJson) {
  NullHost host(kWidth, kHeight);
  Console console;
  SelectEmptyChikageGet(host, console);
  ASSERT_TRUE(host.Click(console, "editor/field/slug"));
  host.Type(console, "orders");
  host.Frame(console);
  const core::Json& params = console.model().draft.params;
  EXPECT_EQ(params.value("slug", ""), "orders");
  EXPECT_EQ(core::ParseJson(Editor(console).raw_text()).value(), params);
  // The URL preview has the placeholder filled.
  EXPECT_NE(form::PreviewUrl(console.model(), console.model().draft)
                .find("/api/v1/data/orders/{record_id}"),
            std::string::npos);
}

TEST(RequestEditor, ValidRawJsonDrivesTheFormAndInvalidTextIsKept) {
  NullHost host(kWidth, kHeight);
  Console console;
  SelectEmptyChikageGet(host, console);
  ASSERT_TRUE(host.Click(console, "editor/raw"));
  ASSERT_TRUE(
      host.Click(console, "editor/raw/text"));  // below the text: the cursor goes to its end
  PressKey(host, console, ImGuiKey_Backspace);  // "{}" -> "{"
  ASSERT_TRUE(Editor(console).raw_problem().has_value());
  host.Type(console, R"("slug": "orders", "record_id": "rec_1"})");
  host.Frame(console);
  EXPECT_FALSE(Editor(console).raw_problem().has_value());
  EXPECT_EQ(console.model().draft.params, (core::Json{{"slug", "orders"}, {"record_id", "rec_1"}}));
  EXPECT_EQ(EditorErrors(console), 0);

  // Broken text: the parse error says where, the parameters keep the last valid value, the text
  // stays as typed.
  host.Type(console, "\n,");
  host.Frame(console);
  ASSERT_TRUE(Editor(console).raw_problem().has_value());
  EXPECT_EQ(Editor(console).raw_problem()->line, 2);
  EXPECT_GT(Editor(console).raw_problem()->column, 0);
  EXPECT_EQ(console.model().draft.params.value("record_id", ""), "rec_1");
  EXPECT_EQ(Editor(console).raw_text().substr(Editor(console).raw_text().size() - 2), "\n,");
}

TEST(RequestEditor, LiveValidationCountsProblemsAndSendIsRefusedTheSameWay) {
  NullHost host(kWidth, kHeight);
  Console console;
  SelectEmptyChikageGet(host, console);
  host.Frame(console);
  // slug and record_id are required path values.
  EXPECT_EQ(EditorErrors(console), 2);
  EXPECT_TRUE(Editor(console).problems().by_field.contains("slug"));
  EXPECT_TRUE(Editor(console).problems().by_field.contains("record_id"));

  ASSERT_TRUE(host.Click(console, "editor/send"));
  ASSERT_FALSE(console.model().history().empty());
  const Exchange& e = WaitDone(host, console, console.model().history().front().id);
  ASSERT_TRUE(e.done);
  EXPECT_FALSE(e.outcome.value("ok", true));
  EXPECT_EQ(e.outcome["error"].value("kind", ""), "client_validation") << e.outcome.dump();
  EXPECT_TRUE(e.wire.empty());  // nothing went over the wire
  // The refusal names exactly the fields the form marked.
  std::set<std::string> refused;
  for (const auto& d : e.outcome["error"]["details"]) refused.insert(d.value("field", ""));
  std::set<std::string> marked;
  for (const auto& [name, message] : Editor(console).problems().by_field) marked.insert(name);
  EXPECT_EQ(refused, marked);

  // Filling both clears the count.
  ASSERT_TRUE(host.Click(console, "editor/field/slug"));
  host.Type(console, "orders");
  host.Frame(console);  // the slug's problem line goes: the rows below move up
  ASSERT_TRUE(host.Click(console, "editor/field/record_id"));
  host.Type(console, "rec_1");
  host.Frame(console);
  EXPECT_EQ(EditorErrors(console), 0);
}

TEST(RequestEditor, AValueThatBreaksItsLimitIsShownAsAProblem) {
  NullHost host(kWidth, kHeight);
  Console console;
  Model& model = console.model();
  // Any query integer field with a maximum (a page size...), from whichever service has one.
  const core::FieldSpec* field = nullptr;
  for (const auto& service : model.services()) {
    for (const auto& endpoint : service.spec().endpoints) {
      for (const auto& f : endpoint.fields) {
        if (!field && f.in == core::FieldIn::kQuery && f.type == core::FieldType::kInteger &&
            f.maximum) {
          field = &f;
          model.Select(service.id, endpoint.id);
        }
      }
    }
  }
  ASSERT_NE(field, nullptr);
  host.Run(console, 2);
  ASSERT_TRUE(host.Click(console, "editor/clear"));
  ASSERT_TRUE(host.Click(console, "editor/field/" + field->name));
  const int before = EditorErrors(console);
  host.Type(console, std::to_string(static_cast<long long>(*field->maximum) + 1));
  host.Frame(console);
  EXPECT_EQ(model.draft.params[field->name], static_cast<long long>(*field->maximum) + 1);
  EXPECT_EQ(EditorErrors(console), before + 1);
  ASSERT_TRUE(Editor(console).problems().by_field.contains(field->name));
  EXPECT_NE(Editor(console).problems().by_field.at(field->name).find("at most"), std::string::npos);

  // Text that is no number is kept as typed and reported as the wrong type.
  host.Type(console, "x");
  host.Frame(console);
  EXPECT_TRUE(model.draft.params[field->name].is_string());
  EXPECT_NE(Editor(console).problems().by_field.at(field->name).find("integer"), std::string::npos);
}

TEST(RequestEditor, SendReachesTheInProcessMockWithTheRightStatus) {
  NullHost host(kWidth, kHeight);
  Console console;
  SelectEmptyChikageGet(host, console);
  const core::Json fixtures = console.model().mock()->Fixtures()["chikage"];
  ASSERT_TRUE(host.Click(console, "editor/field/slug"));
  host.Type(console, fixtures["slug"].get<std::string>());
  host.Frame(console);  // the slug's problem line goes: the rows below move up
  ASSERT_TRUE(host.Click(console, "editor/field/record_id"));
  host.Type(console, fixtures["test_record_id"].get<std::string>());
  ASSERT_TRUE(host.Click(console, "editor/send"));
  const Exchange& e = WaitDone(host, console, console.model().history().front().id);
  ASSERT_TRUE(e.done);
  EXPECT_EQ(e.status, 200) << e.outcome.dump();
  EXPECT_EQ(e.environment_name, console.model().environments[0].name);
  ASSERT_EQ(e.wire.size(), 1u);

  // Ctrl+Enter sends too (the editor has the focus after the clicks above).
  const std::size_t before = console.model().history().size();
  PressKey(host, console, ImGuiKey_Enter, /*ctrl=*/true);
  EXPECT_EQ(console.model().history().size(), before + 1);
}

TEST(RequestEditor, StatusChipForcesThatDocumentedStatus) {
  NullHost host(kWidth, kHeight);
  Console console;
  host.Run(console, 2);
  ASSERT_TRUE(host.Click(console, "explorer/chikage/get/404"));
  Model& model = console.model();
  EXPECT_EQ(model.draft.endpoint, "get");
  EXPECT_EQ(model.draft.extra_headers.GetOr("Prefer", ""), "code=404");
  // "Example" fills the required path values from the table's examples.
  ASSERT_TRUE(host.Click(console, "editor/example"));
  EXPECT_EQ(EditorErrors(console), 0);
  ASSERT_TRUE(host.Click(console, "editor/send"));
  const Exchange& e = WaitDone(host, console, model.history().front().id);
  EXPECT_EQ(e.status, 404) << e.outcome.dump();
}

TEST(RequestEditor, TargetComboSetsTheDraftsEnvironment) {
  NullHost host(kWidth, kHeight);
  Console console;
  host.Run(console, 2);
  ASSERT_GE(console.model().environments.size(), 3u);
  ASSERT_TRUE(host.Click(console, "editor/target"));
  host.Frame(console);  // a popup's first frame only measures it
  ASSERT_TRUE(host.Click(console, "editor/target/2"));
  EXPECT_EQ(console.model().draft.environment, 2u);
  // The URL preview follows: the live environment uses the service's documented base URL.
  const ServiceView* service = console.model().FindService(console.model().draft.service);
  EXPECT_EQ(form::PreviewUrl(console.model(), console.model().draft)
                .rfind(service->spec().default_base_url, 0),
            0u);
}

TEST(Form, ValueTextRoundTripsByFieldType) {
  using core::FieldType;
  EXPECT_EQ(form::ValueFromText(FieldType::kString, ""), std::nullopt);
  EXPECT_EQ(form::ValueFromText(FieldType::kInteger, "42"), core::Json(42));
  EXPECT_EQ(form::ValueFromText(FieldType::kInteger, "4x"), core::Json("4x"));
  EXPECT_EQ(form::ValueFromText(FieldType::kNumber, "2.5"), core::Json(2.5));
  EXPECT_EQ(form::ValueFromText(FieldType::kNumber, "nan"), core::Json("nan"));
  EXPECT_EQ(form::ValueFromText(FieldType::kBoolean, "true"), core::Json(true));
  EXPECT_EQ(form::ValueFromText(FieldType::kArray, "[1,2]"), core::Json({1, 2}));
  EXPECT_EQ(form::ValueFromText(FieldType::kArray, "a, b"), core::Json({"a", "b"}));
  EXPECT_EQ(form::ValueFromText(FieldType::kObject, "{\"a\":1}"), core::Json({{"a", 1}}));
  EXPECT_EQ(form::ValueFromText(FieldType::kAny, "plain"), core::Json("plain"));
  EXPECT_EQ(form::ValueText(core::Json("x")), "x");
  EXPECT_EQ(form::ValueText(core::Json({1, 2})), "[1,2]");
}

TEST(Form, ParseParamsReportsLineAndColumn) {
  auto ok = form::ParseParams("{\"a\": 1}");
  ASSERT_TRUE(ok.params);
  EXPECT_EQ((*ok.params)["a"], 1);
  auto bad = form::ParseParams("{\n  \"a\": ,\n}");
  ASSERT_FALSE(bad.params);
  EXPECT_EQ(bad.problem.line, 2);
  EXPECT_EQ(bad.problem.column, 8);
  EXPECT_NE(bad.problem.ToString().find("line 2, column 8"), std::string::npos);
  auto array = form::ParseParams("[1]");
  ASSERT_FALSE(array.params);
  EXPECT_NE(array.problem.message.find("object"), std::string::npos);
}

TEST(Form, DocumentedStatusesPreferTheServiceCode) {
  core::EndpointSpec endpoint;
  endpoint.success = {200};
  endpoint.errors = {{401, "INVALID_TOKEN", "bad token"},
                     {401, "EXPIRED", "old token"},
                     {404, "", "none"},
                     {404, "", "again"}};
  auto statuses = form::DocumentedStatuses(endpoint);
  ASSERT_EQ(statuses.size(), 4u);
  EXPECT_TRUE(statuses[0].success);
  EXPECT_EQ(statuses[0].prefer, "code=200");
  EXPECT_EQ(statuses[1].prefer, "code=INVALID_TOKEN");
  EXPECT_EQ(statuses[2].prefer, "code=EXPIRED");
  EXPECT_EQ(statuses[3].prefer, "code=404");
}

}  // namespace
}  // namespace restbox::console
