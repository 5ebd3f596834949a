# `cmake --install` puts headers, static libraries and a CMake package config in the prefix, so an
# application finds the SDK with find_package(restbox).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_property(_targets GLOBAL PROPERTY RESTBOX_INSTALL_TARGETS)
get_property(_incdirs GLOBAL PROPERTY RESTBOX_INSTALL_INCLUDE_DIRS)
list(REMOVE_DUPLICATES _incdirs)

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
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/restboxConfig.cmake.in
  ${CMAKE_BINARY_DIR}/restboxConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/restbox)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/restboxConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/restboxConfig.cmake ${CMAKE_BINARY_DIR}/restboxConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/restbox)
