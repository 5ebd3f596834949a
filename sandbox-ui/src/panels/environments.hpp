#pragma once
// Environments and secrets: the list of environments (add, duplicate, delete, "use for requests"),
// each with its name, target kind (in-process mock, HTTP mock, live), base URL, and per service a
// base URL override, key and secret. Keys and secrets are password inputs unless
// Model::reveal_secrets or their own "show" toggle; no other view shows them in clear.
//
// "Remember on this device" (default off) saves the environments with a SettingsStore (native: a
// file, browser: localStorage) after each completed edit; turning it off deletes the stored copy.
// The panel loads a stored copy when it is created: a copy that cannot be read keeps the defaults
// and the problem is shown here.
//
// Test hook: environments/remember, environments/row/<index>, environments/add,
// environments/duplicate, environments/delete, environments/use, environments/name,
// environments/target, environments/base_url, environments/<service> (its section),
// environments/<service>/base_url,
// environments/<service>/key, environments/<service>/secret, environments/<service>/show_key,
// environments/<service>/show_secret. State: "environments/remember" (bool),
// "environments/message" (the last load/save message).

#include <cstddef>
#include <set>
#include <string>

#include "panel.hpp"
#include "settings_store.hpp"

namespace restbox::console {

class EnvironmentsPanel final : public Panel {
 public:
  // Loads the stored copy from SettingsStore::Default() when there is one.
  EnvironmentsPanel(Model& model, TestHook& hook);
  // Same with an explicit store (tests).
  EnvironmentsPanel(Model& model, TestHook& hook, SettingsStore store);
  std::string_view Title() const override { return "Environments"; }
  void Draw() override;

  bool remembering() const { return remember_; }
  const SettingsStore& store() const { return store_; }
  // The last load or save message ("" when none) and whether it reports a problem.
  const std::string& message() const { return message_; }
  bool message_is_error() const { return message_is_error_; }

 private:
  void Load();
  void Save();
  void SetMessage(std::string message, bool error);
  // A password-style input for one credential value with its own "show" toggle.
  bool SecretInput(const char* label, const std::string& id, std::string* value);

  SettingsStore store_;
  bool remember_ = false;
  bool dirty_ = false;            // edited since the last save
  std::size_t saved_active_ = 0;  // Draft::environment at the last save
  std::size_t selected_ = 0;      // the environment being edited
  std::string message_;
  bool message_is_error_ = false;
  std::set<std::string, std::less<>> revealed_;  // ids of inputs shown in clear
};

}  // namespace restbox::console
