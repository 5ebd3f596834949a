// The stream operators of error.hpp, alone in this file: a static library contributes an object
// file only when something uses it, so the browser build (which prints no Error) links no
// iostreams (bench/wasm_size.sh checks).
#include <ostream>

#include "restbox/core/error.hpp"

namespace restbox::core {

std::ostream& operator<<(std::ostream& out, const Error& error) {
  return out << ToString(error);
}

std::ostream& operator<<(std::ostream& out, ErrorKind kind) {
  return out << ToString(kind);
}

}  // namespace restbox::core
