#pragma once
// "Remember on this device": the environments (base URLs, keys and secrets) saved as JSON, only
// when the user opts in. Natively a file; in the browser the page's localStorage.
//
// Default location: the file $RESTBOX_CONSOLE_CONFIG when set (any platform; tests use it), else
// - native: $XDG_CONFIG_HOME/restbox/console.json, else ~/.config/restbox/console.json;
// - browser: localStorage key "restbox.console".
// Files: the folder is created; the file is written beside and renamed into place, with mode 0600
// because it holds secrets in clear.
//
// Format (version 1):
//   {"version": 1, "activeEnvironment": 0,
//    "environments": [{"name": "...", "target": "in_process" | "http_mock" | "live",
//                      "baseUrl": "...", "serviceBaseUrl": {"<service>": "..."},
//                      "credentials": {"<service>": {"key": "...", "secret": "..."}}}]}
// A stored copy that cannot be read (not JSON, wrong shape) is never half applied: Load reports
// the first problem with its place ("environments[1].target: ...") and the caller keeps defaults.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "restbox/core/json_codec.hpp"

namespace restbox::console {

// What is remembered.
struct Settings {
  std::vector<Environment> environments;
  std::size_t active_environment = 0;  // Draft::environment at save time
};

core::Json SettingsToJson(const Settings& settings);
// The settings in `json`, or the first problem found (and nullopt).
std::optional<Settings> SettingsFromJson(const core::Json& json, std::string* problem);

class SettingsStore final {
 public:
  // A file at `path`.
  explicit SettingsStore(std::string path) : location_(std::move(path)) {}
  // The default location (see the top of this file).
  static SettingsStore Default();
#ifdef __EMSCRIPTEN__
  // The page's localStorage under `key`.
  static SettingsStore Browser(std::string key);
#endif

  // The file path or localStorage key.
  const std::string& location() const {
    return location_;
  }

  struct Loaded {
    bool found = false;                // a stored copy exists
    std::optional<Settings> settings;  // set when it could be read
    // Why nothing could be applied: a stored copy that is unreadable (found), or a storage that
    // cannot be read at all (not found; e.g. localStorage disabled). "" otherwise.
    std::string error;
  };
  Loaded Load() const;
  // Writes `settings`. Returns "" or the problem.
  std::string Save(const Settings& settings) const;
  // Deletes the stored copy (nothing stored is fine). Returns "" or the problem.
  std::string Remove() const;

 private:
  std::string location_;
  bool browser_ = false;  // localStorage instead of a file (browser builds only)
};

}  // namespace restbox::console
