# Compiler flags shared by every restbox target, and the helpers that apply them.

# Endpoint tables use designated initializers that name only the members they set, on purpose.
set(RESTBOX_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
  -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 reports impossible overlaps inside std::string at -O2 (GCC bug 105329).
  list(APPEND RESTBOX_WARNINGS -Wno-restrict)
endif()
if(RESTBOX_WERROR)
  list(APPEND RESTBOX_WARNINGS -Werror)
endif()

if(EMSCRIPTEN)
  # Exceptions are off by default in Emscripten (a throw aborts); nlohmann and GoogleTest need them.
  # Native wasm exceptions are smaller and faster than the JS-based -fexceptions.
  add_compile_options(-fwasm-exceptions)
  add_link_options(-fwasm-exceptions -sALLOW_MEMORY_GROWTH=1)
  # Release code is downloaded by browsers: optimise for size. -Oz instead of -O3 makes the npm
  # module's wasm 29% smaller gzipped (222.6 -> 158.4 KB with one service; bench/wasm_size.sh).
  add_compile_options($<$<CONFIG:Release>:-Oz>)
  # Its libc++ has only <experimental/coroutine> (mock-server/contract/task.hpp); clang 14 warns
  # that the TS spelling goes away in LLVM 15.
  add_compile_options(-Wno-deprecated-experimental-coroutine)
endif()

# RESTBOX_SANITIZE (CMakeLists.txt) -> RESTBOX_SANITIZER_FLAGS, applied to everything compiled here
# (third-party sources included: a sanitizer needs to see all of the program) and exported with the
# installed libraries, so an application built against them links the same runtime.
# -fno-sanitize-recover=undefined: a UBSan finding ends the program like an ASan one (a test fails,
# never just prints). TSan has no such flag: its reports end the program through
# TSAN_OPTIONS=halt_on_error=1, which the native-tsan test preset and ./test.sh set.
string(TOLOWER "${RESTBOX_SANITIZE}" _sanitize)
if(_sanitize MATCHES "^(on|yes|true|1|address|address,undefined)$")
  set(RESTBOX_SANITIZER_FLAGS -fsanitize=address,undefined)
  set(_sanitizer_compile_flags -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
elseif(_sanitize STREQUAL "thread")
  set(RESTBOX_SANITIZER_FLAGS -fsanitize=thread)
  set(_sanitizer_compile_flags -fno-omit-frame-pointer)
elseif(_sanitize MATCHES "^(off|no|false|0|)$")
  set(RESTBOX_SANITIZER_FLAGS "")
else()
  message(FATAL_ERROR "RESTBOX_SANITIZE must be OFF, ON (= address: ASan + UBSan) or thread, "
                      "not '${RESTBOX_SANITIZE}'")
endif()
if(RESTBOX_SANITIZER_FLAGS)
  if(EMSCRIPTEN)
    message(FATAL_ERROR "RESTBOX_SANITIZE is for native builds (the native-asan and native-tsan presets)")
  endif()
  add_compile_options(${RESTBOX_SANITIZER_FLAGS} ${_sanitizer_compile_flags})
  add_link_options(${RESTBOX_SANITIZER_FLAGS})
endif()

if(RESTBOX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "RESTBOX_FUZZ needs clang (libFuzzer): use the fuzz preset (clang++-14)")
  endif()
  # Every library gets libFuzzer's coverage instrumentation without its main(); the harness
  # executables link the fuzzer itself (tests/fuzz: restbox_fuzz()). UBSan halts on the first
  # report, so libFuzzer records it as a crash with its input.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# restbox_target(<target>): apply project warnings to a target of ours (never to third-party code),
# and its unity build (RESTBOX_UNITY files per translation unit). The files of one batch share
# their anonymous namespaces, so two files of one target cannot both define a helper of the same
# name; a file that cannot share (GCC's -Wsubobject-linkage in a batch, see mock-server/check)
# says so with SKIP_UNITY_BUILD_INCLUSION.
function(restbox_target target)
  target_compile_options(${target} PRIVATE ${RESTBOX_WARNINGS})
  if(RESTBOX_UNITY GREATER 0)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${RESTBOX_UNITY})
  endif()
endfunction()

# restbox_library(<name> ALIAS <ns::name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# A static library whose public headers live in ./include and whose export name is ALIAS.
function(restbox_library name)
  cmake_parse_arguments(ARG "" "ALIAS;EXPORT_NAME" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  target_compile_features(${name} PUBLIC cxx_std_20)
  if(RESTBOX_SANITIZER_FLAGS)
    # Instrumented objects need the sanitizer's runtime in whatever program links them.
    target_link_options(${name} INTERFACE ${RESTBOX_SANITIZER_FLAGS})
  endif()
  restbox_target(${name})
  if(ARG_ALIAS)
    add_library(${ARG_ALIAS} ALIAS ${name})
  endif()
  if(ARG_EXPORT_NAME)
    set_target_properties(${name} PROPERTIES EXPORT_NAME ${ARG_EXPORT_NAME})
  endif()
  set_property(GLOBAL APPEND PROPERTY RESTBOX_INSTALL_TARGETS ${name})
  set_property(GLOBAL APPEND PROPERTY RESTBOX_INSTALL_INCLUDE_DIRS ${CMAKE_CURRENT_SOURCE_DIR}/include)
endfunction()

# restbox_wanted_service(<id> <out-var>): false when RESTBOX_ONLY_SERVICES excludes the service.
function(restbox_wanted_service id out)
  if(RESTBOX_ONLY_SERVICES STREQUAL "" OR id IN_LIST RESTBOX_ONLY_SERVICES)
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()
