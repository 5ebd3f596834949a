# Third-party dependencies. Everything comes from Debian packages (see scripts/setup.sh);
# nothing third-party is vendored in this repository.

if(EMSCRIPTEN)
  # Never put /usr/include on em++'s path (glibc headers break it). Expose a directory that holds
  # only a link to Debian's nlohmann headers.
  set(RESTBOX_SYSINC ${CMAKE_BINARY_DIR}/sysinc)
  file(MAKE_DIRECTORY ${RESTBOX_SYSINC})
  if(NOT EXISTS ${RESTBOX_SYSINC}/nlohmann)
    file(CREATE_LINK /usr/include/nlohmann ${RESTBOX_SYSINC}/nlohmann SYMBOLIC)
  endif()
  add_library(nlohmann_json INTERFACE)
  target_include_directories(nlohmann_json SYSTEM INTERFACE $<BUILD_INTERFACE:${RESTBOX_SYSINC}>)
  add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json)
else()
  find_package(nlohmann_json 3.10 REQUIRED)
endif()

if(RESTBOX_BUILD_TESTS)
  if(EMSCRIPTEN)
    # Debian ships GoogleTest as sources; build them with em++ and our exception flags.
    set(BUILD_GMOCK ON CACHE BOOL "" FORCE)
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)
    add_subdirectory(/usr/src/googletest ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
    # GoogleTest 1.12 defines the GTest:: aliases itself.
  else()
    find_package(GTest REQUIRED)
  endif()
  include(GoogleTest)
endif()

if(NOT EMSCRIPTEN)
  find_package(Threads REQUIRED)
  find_package(PkgConfig)
  if(RESTBOX_BUILD_BENCH)
    find_package(benchmark REQUIRED)
  endif()
endif()
