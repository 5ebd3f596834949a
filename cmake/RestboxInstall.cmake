# `cmake --install` puts headers, static libraries and a CMake package config in the prefix, so an
# application finds the SDK with find_package(restbox) and links restbox::<name> targets.
# Every restbox_library() is installed and exported; tests/install builds and runs an application
# against the installed package.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_property(_targets GLOBAL PROPERTY RESTBOX_INSTALL_TARGETS)
get_property(_incdirs GLOBAL PROPERTY RESTBOX_INSTALL_INCLUDE_DIRS)
list(REMOVE_DUPLICATES _incdirs)

# Exported names are restbox::<name without the "restbox_" prefix> (restbox_service_x ->
# restbox::service_x), also for a library whose author did not set EXPORT_NAME.
foreach(target IN LISTS _targets)
  get_target_property(_export_name ${target} EXPORT_NAME)
  if(NOT _export_name)
    string(REGEX REPLACE "^restbox_" "" _export_name ${target})
    set_target_properties(${target} PROPERTIES EXPORT_NAME ${_export_name})
  endif()
endforeach()

install(TARGETS ${_targets} EXPORT restboxTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(dir IN LISTS _incdirs)
  if(IS_DIRECTORY ${dir})
    install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  endif()
endforeach()
install(EXPORT restboxTargets NAMESPACE restbox:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/restbox)

# What the package config must find before it imports the targets (see restboxConfig.cmake.in).
if(TARGET restbox_transport_curl)
  set(RESTBOX_PACKAGE_NEEDS_CURL TRUE)
else()
  set(RESTBOX_PACKAGE_NEEDS_CURL FALSE)
endif()
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/restboxConfig.cmake.in
  ${CMAKE_BINARY_DIR}/restboxConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/restbox)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/restboxConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/restboxConfig.cmake ${CMAKE_BINARY_DIR}/restboxConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/restbox)
