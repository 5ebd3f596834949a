# ctest driver (cmake -P): install, build the consumer against the installed package, run it.
# Inputs: BUILD_DIR WORK_DIR CONSUMER_SOURCE GENERATOR CXX LAUNCHER BUILD_TYPE RUNNER MOCK.

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message(STATUS "${what}:\n${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc})")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

run("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${BUILD_TYPE})

set(configure_args -S ${CONSUMER_SOURCE} -B ${WORK_DIR}/build -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX})
if(BUILD_TYPE)
  list(APPEND configure_args -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
endif()
if(LAUNCHER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
# A sanitizer build exports its runtime as a link option of the installed libraries
# (RestboxPlatform.cmake): the application needs nothing of its own for it.
run("configure the consumer" ${CMAKE_COMMAND} ${configure_args})
run("build the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build --config ${BUILD_TYPE})

file(GLOB_RECURSE consumer LIST_DIRECTORIES false ${WORK_DIR}/build/restbox_consumer
  ${WORK_DIR}/build/*/restbox_consumer)
list(GET consumer 0 consumer)
# Loopback only: a proxy set in the environment must not intercept the mock.
run("run the consumer against restbox-mock"
  ${CMAKE_COMMAND} -E env no_proxy=127.0.0.1,localhost ${RUNNER} ${MOCK} ${consumer})
