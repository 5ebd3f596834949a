#include "test_commands.hpp"

#include <cstddef>
#include <string>
#include <utility>

#include "demo_data.hpp"

namespace restbox::console {
namespace {

core::Json Fail(std::string message) {
  return {{"ok", false}, {"error", std::move(message)}};
}

core::Json ShowTab(Console& console, const core::Json& command) {
  const std::string tab = core::JsonValueOr<std::string>(command, "tab", "");
  if (tab == "history")
    console.ShowTab(Console::Tab::kHistory);
  else if (tab == "environments")
    console.ShowTab(Console::Tab::kEnvironments);
  else if (tab == "mock")
    console.ShowTab(Console::Tab::kMock);
  else if (tab == "contract")
    console.ShowTab(Console::Tab::kContract);
  else
    return Fail("unknown tab '" + tab + "' (history, environments, mock, contract)");
  return {{"ok", true}};
}

core::Json Select(Console& console, const core::Json& command) {
  const std::string service = core::JsonValueOr<std::string>(command, "service", "");
  const std::string endpoint = core::JsonValueOr<std::string>(command, "endpoint", "");
  if (!console.model().FindEndpoint(service, endpoint))
    return Fail("unknown endpoint " + service + "/" + endpoint);
  console.model().Select(service, endpoint);
  return {{"ok", true}};
}

core::Json Target(Console& console, const core::Json& command) {
  Model& model = console.model();
  const auto it = command.find("environment");
  if (it == command.end()) return Fail("target needs \"environment\" (an index or a name)");
  if (it->is_number_unsigned() || it->is_number_integer()) {
    const auto index = it->get<long long>();
    if (index < 0 || static_cast<std::size_t>(index) >= model.environments.size()) {
      return Fail("no environment #" + std::to_string(index));
    }
    model.draft.environment = static_cast<std::size_t>(index);
    return {{"ok", true}, {"environment", model.environments[model.draft.environment].name}};
  }
  const std::string name = it->is_string() ? it->get<std::string>() : std::string();
  for (std::size_t i = 0; i < model.environments.size(); ++i) {
    if (model.environments[i].name == name) {
      model.draft.environment = i;
      return {{"ok", true}, {"environment", name}};
    }
  }
  return Fail("no environment named '" + name + "'");
}

core::Json Environments(Console& console) {
  core::Json list = core::Json::array();
  for (const Environment& env : console.model().environments) {
    list.push_back(
        {{"name", env.name}, {"target", ToString(env.target)}, {"base_url", env.base_url}});
  }
  return {{"ok", true}, {"environments", std::move(list)}};
}

// Creates the demo posts in the in-process mock and sends the request that lists them all.
core::Json LargeResponse(Console& console, const core::Json& command) {
  Model& model = console.model();
  LargeResponseOptions options;
  options.posts = core::JsonValueOr<std::size_t>(command, "posts", options.posts);
  options.content_bytes =
      core::JsonValueOr<std::size_t>(command, "content_bytes", options.content_bytes);
  auto draft = PrepareLargeResponse(*model.mock(), options);
  if (!draft.ok()) return Fail("largeResponse: " + draft.error().message);
  model.draft = std::move(draft.value());
  return {{"ok", true}, {"id", model.Send(model.draft)}};
}

}  // namespace

core::Json RunTestCommand(Console& console, const core::Json& command) {
  const std::string cmd = core::JsonValueOr<std::string>(command, "cmd", "");
  Model& model = console.model();
  if (cmd == "showTab") return ShowTab(console, command);
  if (cmd == "select") return Select(console, command);
  if (cmd == "target") return Target(console, command);
  if (cmd == "environments") return Environments(console);
  if (cmd == "resetMock") {
    model.mock()->Reset();
    return {{"ok", true}};
  }
  if (cmd == "endpoints") {
    // The catalogue as the explorer lists it: every endpoint of every service's table.
    core::Json list = core::Json::array();
    for (const ServiceView& service : model.services()) {
      for (const auto& e : service.spec().endpoints) {
        list.push_back({{"service", service.id}, {"endpoint", e.id}, {"success", e.success}});
      }
    }
    return {{"ok", true}, {"endpoints", std::move(list)}};
  }
  if (cmd == "fixtures") return {{"ok", true}, {"fixtures", model.mock()->Fixtures()}};
  if (cmd == "setParams") {
    const auto it = command.find("params");
    if (it == command.end() || !it->is_object())
      return Fail("setParams needs an object \"params\"");
    model.draft.params = *it;
    return {{"ok", true}};
  }
  if (cmd == "send") return {{"ok", true}, {"id", model.Send(model.draft)}};
  if (cmd == "largeResponse") return LargeResponse(console, command);
  return Fail("unknown command '" + cmd + "'");
}

}  // namespace restbox::console
