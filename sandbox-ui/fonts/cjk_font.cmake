# The console's CJK font (see sandbox-ui/src/cjk_font.hpp).
#   RESTBOX_CJK_FONT   the TrueType font with the CJK glyphs. Natively the console reads it at run
#                      time (skipped when absent); the browser build subsets it at build time.
#   restbox_embed_cjk_font(<target>)
#                      browser build: generates <build>/.../cjk_font_data.cpp (a pyftsubset subset of
#                      RESTBOX_CJK_FONT as a byte array, see make_cjk_font.py), adds it to <target> and
#                      defines RESTBOX_EMBEDDED_CJK_FONT there. Without the font or fontTools it says
#                      so and the target is built without CJK glyphs.
# Debian: fonts-droid-fallback (the font), fonttools + python3-fonttools (pyftsubset), unicode-data
# (the Unihan Traditional variants; optional). scripts/setup.sh installs them.
set(RESTBOX_CJK_FONT "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
    CACHE FILEPATH "TrueType font with the CJK glyphs the console merges into its font")
set(RESTBOX_UNIHAN_DIR "/usr/share/unicode" CACHE PATH "Folder of the Unihan database files (optional)")

# A Python 3 that can import fontTools.subset (the module behind pyftsubset); "" if none. The
# interpreter first on PATH may be a private one without Debian's python3-fonttools, hence the
# fallback to the interpreter pyftsubset itself runs with.
function(_restbox_find_fonttools_python out)
  find_program(RESTBOX_PYFTSUBSET pyftsubset)
  find_program(_python NAMES python3)
  set(_candidates ${_python})
  if(RESTBOX_PYFTSUBSET)
    file(STRINGS ${RESTBOX_PYFTSUBSET} _shebang LIMIT_COUNT 1 REGEX "^#!")
    string(REGEX REPLACE "^#! *([^ ]+).*$" "\\1" _interpreter "${_shebang}")
    list(APPEND _candidates ${_interpreter})
  endif()
  list(APPEND _candidates /usr/bin/python3)
  foreach(_candidate IN LISTS _candidates)
    if(EXISTS ${_candidate})
      execute_process(COMMAND ${_candidate} -c "import fontTools.subset" RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
      if(_rc EQUAL 0)
        set(${out} ${_candidate} PARENT_SCOPE)
        return()
      endif()
    endif()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()

function(restbox_embed_cjk_font target)
  if(NOT EXISTS ${RESTBOX_CJK_FONT})
    message(STATUS "console: no CJK font at ${RESTBOX_CJK_FONT} (Debian: fonts-droid-fallback): the page "
                   "shows Chinese text as '?'")
    return()
  endif()
  _restbox_find_fonttools_python(_python)
  if(NOT _python)
    message(STATUS "console: pyftsubset/fontTools not found (Debian: fonttools python3-fonttools): the page "
                   "shows Chinese text as '?'")
    return()
  endif()
  set(_script ${CMAKE_SOURCE_DIR}/sandbox-ui/fonts/make_cjk_font.py)
  set(_output ${CMAKE_CURRENT_BINARY_DIR}/cjk_font_data.cpp)
  # The characters come from these folders' sources: regenerate when one changes.
  set(_scan ${CMAKE_SOURCE_DIR}/sdk ${CMAKE_SOURCE_DIR}/mock-server ${CMAKE_SOURCE_DIR}/sandbox-ui/src)
  set(_globs)
  foreach(_dir IN LISTS _scan)
    list(APPEND _globs ${_dir}/*.cpp ${_dir}/*.hpp ${_dir}/*.h ${_dir}/*.json)
  endforeach()
  file(GLOB_RECURSE _scanned CONFIGURE_DEPENDS ${_globs})
  list(TRANSFORM _scan PREPEND "--scan=" OUTPUT_VARIABLE _scan_args)
  add_custom_command(OUTPUT ${_output}
    COMMAND ${_python} ${_script} --font=${RESTBOX_CJK_FONT} --imgui-draw=${RESTBOX_IMGUI_DIR}/imgui_draw.cpp
            --unihan-dir=${RESTBOX_UNIHAN_DIR} ${_scan_args} --output=${_output}
    DEPENDS ${_script} ${RESTBOX_CJK_FONT} ${RESTBOX_IMGUI_DIR}/imgui_draw.cpp ${_scanned}
    COMMENT "console: CJK font subset (pyftsubset) -> cjk_font_data.cpp"
    VERBATIM)
  target_sources(${target} PRIVATE ${_output})
  # Generated code: no warnings to fix there.
  set_source_files_properties(${_output} PROPERTIES COMPILE_OPTIONS "-w")
  target_compile_definitions(${target} PRIVATE RESTBOX_EMBEDDED_CJK_FONT)
  message(STATUS "console: CJK font subset of ${RESTBOX_CJK_FONT} embedded in ${target} (fontTools: ${_python})")
endfunction()
