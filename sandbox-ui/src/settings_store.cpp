#include "settings_store.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace restbox::console {
namespace {

constexpr int kVersion = 1;

// The stored name of each target kind (stable: the display names may change).
struct TargetEntry {
  TargetKind kind;
  std::string_view name;
};
constexpr TargetEntry kTargets[] = {{TargetKind::kInProcess, "in_process"},
                                    {TargetKind::kHttpMock, "http_mock"},
                                    {TargetKind::kLive, "live"}};

std::string_view TargetName(TargetKind kind) {
  for (const auto& t : kTargets) {
    if (t.kind == kind) return t.name;
  }
  return kTargets[0].name;
}

std::optional<TargetKind> TargetFromName(std::string_view name) {
  for (const auto& t : kTargets) {
    if (t.name == name) return t.kind;
  }
  return std::nullopt;
}

// Reads an optional string member; false (with `problem` set) when present but not a string.
bool OptionalString(const core::Json& object, const char* key, const std::string& where,
                    std::string* out, std::string* problem) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_string()) {
    *problem = where + "." + key + ": expected a string";
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

std::optional<Environment> EnvironmentFromJson(const core::Json& json, const std::string& where,
                                               std::string* problem) {
  if (!json.is_object()) {
    *problem = where + ": expected an object";
    return std::nullopt;
  }
  Environment env;
  if (!OptionalString(json, "name", where, &env.name, problem)) return std::nullopt;
  if (env.name.empty()) {
    *problem = where + ".name: expected a non-empty string";
    return std::nullopt;
  }
  std::string target = "in_process";
  if (!OptionalString(json, "target", where, &target, problem)) return std::nullopt;
  auto kind = TargetFromName(target);
  if (!kind) {
    *problem = where + ".target: expected in_process, http_mock or live, not \"" + target + "\"";
    return std::nullopt;
  }
  env.target = *kind;
  if (!OptionalString(json, "baseUrl", where, &env.base_url, problem)) return std::nullopt;

  if (auto it = json.find("serviceBaseUrl"); it != json.end() && !it->is_null()) {
    if (!it->is_object()) {
      *problem = where + ".serviceBaseUrl: expected an object";
      return std::nullopt;
    }
    for (auto member = it->begin(); member != it->end(); ++member) {
      if (!member->is_string()) {
        *problem = where + ".serviceBaseUrl." + member.key() + ": expected a string";
        return std::nullopt;
      }
      env.service_base_url[member.key()] = member->get<std::string>();
    }
  }
  if (auto it = json.find("credentials"); it != json.end() && !it->is_null()) {
    if (!it->is_object()) {
      *problem = where + ".credentials: expected an object";
      return std::nullopt;
    }
    for (auto member = it->begin(); member != it->end(); ++member) {
      const std::string place = where + ".credentials." + member.key();
      if (!member->is_object()) {
        *problem = place + ": expected an object {\"key\", \"secret\"}";
        return std::nullopt;
      }
      services::Credentials c;
      if (!OptionalString(*member, "key", place, &c.key, problem)) return std::nullopt;
      if (!OptionalString(*member, "secret", place, &c.secret, problem)) return std::nullopt;
      env.credentials[member.key()] = std::move(c);
    }
  }
  return env;
}

#ifdef __EMSCRIPTEN__
// NOLINTBEGIN: EM_JS bodies are JavaScript. localStorage may be missing or refuse (private mode,
// quota, storage disabled): every call reports that instead of throwing into the frame.
// EM_JS bodies are JavaScript, not C++: clang-format must not touch them.
// clang-format off
EM_JS(char*, restbox_storage_get, (const char* key, int* status), {
  try {
    const value = window.localStorage.getItem(UTF8ToString(key));
    HEAP32[status >> 2] = value === null ? 0 : 1;
    if (value === null) return 0;
    const size = lengthBytesUTF8(value) + 1;
    const out = _malloc(size);
    stringToUTF8(value, out, size);
    return out;
  } catch (e) {
    HEAP32[status >> 2] = -1;
    return 0;
  }
});
EM_JS(int, restbox_storage_set, (const char* key, const char* value), {
  try {
    window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value));
    return 1;
  } catch (e) {
    return 0;
  }
});
EM_JS(int, restbox_storage_remove, (const char* key), {
  try {
    window.localStorage.removeItem(UTF8ToString(key));
    return 1;
  } catch (e) {
    return 0;
  }
});
// clang-format on
// NOLINTEND

// The stored text; nullopt when absent; `error` set when storage is unavailable.
std::optional<std::string> ReadBrowser(const std::string& key, std::string* error) {
  int status = 0;
  char* value = restbox_storage_get(key.c_str(), &status);
  if (status < 0) {
    *error = "the browser's local storage is not available";
    return std::nullopt;
  }
  if (!value) return std::nullopt;
  std::string text(value);
  std::free(value);
  return text;
}

std::string WriteBrowser(const std::string& key, const std::string& text) {
  return restbox_storage_set(key.c_str(), text.c_str())
             ? std::string()
             : "the browser refused to store the settings (local storage full or disabled)";
}

std::string RemoveBrowser(const std::string& key) {
  return restbox_storage_remove(key.c_str()) ? std::string()
                                             : "the browser's local storage is not available";
}
#endif

std::optional<std::string> ReadFile(const std::string& path, std::string* error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    if (errno != ENOENT) *error = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) {
    *error = path + ": read error";
    return std::nullopt;
  }
  return text;
}

std::string WriteFile(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) return target.parent_path().string() + ": " + ec.message();
  // Written beside and renamed over: a crash mid-write never leaves half a file.
  const std::string temp = path + ".tmp";
  std::FILE* file = std::fopen(temp.c_str(), "wb");
  if (!file) return temp + ": " + std::strerror(errno);
  // Secrets in clear: readable by the owner only.
  fs::permissions(temp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                  ec);
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    fs::remove(temp, ec);
    return temp + ": write error";
  }
#ifdef __EMSCRIPTEN__
  // Emscripten's in-memory file system keeps the replaced file findable after a rename over it
  // (and so after its removal): replace it in two steps there. Browsers use localStorage anyway.
  fs::remove(target, ec);
#endif
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    return path + ": " + ec.message();
  }
  return {};
}

std::string RemoveFile(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove(path, ec);  // false without error when there was nothing
  return ec ? path + ": " + ec.message() : std::string();
}

}  // namespace

core::Json SettingsToJson(const Settings& settings) {
  core::Json environments = core::Json::array();
  for (const Environment& env : settings.environments) {
    core::Json credentials = core::Json::object();
    for (const auto& [service, c] : env.credentials)
      credentials[service] = {{"key", c.key}, {"secret", c.secret}};
    core::Json overrides = core::Json::object();
    for (const auto& [service, url] : env.service_base_url) {
      if (!url.empty()) overrides[service] = url;
    }
    environments.push_back({{"name", env.name},
                            {"target", TargetName(env.target)},
                            {"baseUrl", env.base_url},
                            {"serviceBaseUrl", std::move(overrides)},
                            {"credentials", std::move(credentials)}});
  }
  return {{"version", kVersion},
          {"activeEnvironment", settings.active_environment},
          {"environments", std::move(environments)}};
}

std::optional<Settings> SettingsFromJson(const core::Json& json, std::string* problem) {
  std::string ignored;
  if (!problem) problem = &ignored;
  if (!json.is_object()) {
    *problem = "expected a JSON object";
    return std::nullopt;
  }
  const int version = core::JsonValueOr<int>(json, "version", 0);
  if (version != kVersion) {
    *problem = "version: expected " + std::to_string(kVersion) + ", found " +
               (json.contains("version") ? core::DumpJson(json["version"]) : std::string("none"));
    return std::nullopt;
  }
  auto list = json.find("environments");
  if (list == json.end() || !list->is_array() || list->empty()) {
    *problem = "environments: expected a non-empty array";
    return std::nullopt;
  }
  Settings settings;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto env = EnvironmentFromJson((*list)[i], "environments[" + std::to_string(i) + "]", problem);
    if (!env) return std::nullopt;
    settings.environments.push_back(std::move(*env));
  }
  const auto active = core::JsonValueOr<long long>(json, "activeEnvironment", 0);
  settings.active_environment =
      active >= 0 && static_cast<std::size_t>(active) < settings.environments.size()
          ? static_cast<std::size_t>(active)
          : 0;
  return settings;
}

SettingsStore SettingsStore::Default() {
  if (const char* path = std::getenv("RESTBOX_CONSOLE_CONFIG"); path && *path)
    return SettingsStore(path);
#ifdef __EMSCRIPTEN__
  return Browser("restbox.console");
#else
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return SettingsStore(std::string(xdg) + "/restbox/console.json");
  }
  const char* home = std::getenv("HOME");
  return SettingsStore(std::string(home && *home ? home : ".") + "/.config/restbox/console.json");
#endif
}

#ifdef __EMSCRIPTEN__
SettingsStore SettingsStore::Browser(std::string key) {
  SettingsStore store(std::move(key));
  store.browser_ = true;
  return store;
}
#endif

SettingsStore::Loaded SettingsStore::Load() const {
  Loaded loaded;
  std::optional<std::string> text;
#ifdef __EMSCRIPTEN__
  if (browser_) text = ReadBrowser(location_, &loaded.error);
#endif
  if (!browser_) text = ReadFile(location_, &loaded.error);
  if (!text) return loaded;  // nothing stored, or the storage could not be read (error says so)
  loaded.found = true;
  auto parsed = core::ParseJson(*text);
  if (!parsed.ok()) {
    loaded.error = location_ + ": " + parsed.error().message;
    return loaded;
  }
  std::string problem;
  loaded.settings = SettingsFromJson(parsed.value(), &problem);
  if (!loaded.settings) loaded.error = location_ + ": " + problem;
  return loaded;
}

std::string SettingsStore::Save(const Settings& settings) const {
  const std::string text = core::DumpJson(SettingsToJson(settings), 2);
#ifdef __EMSCRIPTEN__
  if (browser_) return WriteBrowser(location_, text);
#endif
  return WriteFile(location_, text);
}

std::string SettingsStore::Remove() const {
#ifdef __EMSCRIPTEN__
  if (browser_) return RemoveBrowser(location_);
#endif
  return RemoveFile(location_);
}

}  // namespace restbox::console
