#pragma once
#include <functional>
#include <string_view>

namespace restbox::core {

enum class LogLevel { kDebug, kInfo, kWarning, kError };
std::string_view ToString(LogLevel level);

// Receives already-masked lines. Called on whatever thread the call runs on.
using LogSink = std::function<void(LogLevel level, std::string_view line)>;

}  // namespace restbox::core
