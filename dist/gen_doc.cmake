# Ask a built program for its man page and its completion table
# (CONCUR_HELP_FORMAT, common/cli_doc.c):
#   cmake -DPROG=path -DMAN=out.1 -DBASH=out -DHEAD=completion.bash -P gen_doc.cmake
# Each file is written beside its target and renamed over it when complete.
foreach(_format man bash)
  string(TOUPPER ${_format} _var)
  set(_out ${${_var}})
  get_filename_component(_dir ${_out} DIRECTORY)
  file(MAKE_DIRECTORY ${_dir})
  # (leak checks off: an MPI program's --help runs after MPI_Init, whose
  # plugins keep memory until exit; see tests/CMakeLists.txt)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env CONCUR_HELP_FORMAT=${_format}
                          ASAN_OPTIONS=detect_leaks=0 ${PROG} --help
                  OUTPUT_VARIABLE _text RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR _text STREQUAL "")
    message(FATAL_ERROR "${PROG}: CONCUR_HELP_FORMAT=${_format} --help failed (${_rc})")
  endif()
  if(_format STREQUAL "bash")
    file(READ ${HEAD} _head)
    set(_text "${_head}\n${_text}")
  endif()
  file(WRITE ${_out}.tmp "${_text}")
  file(RENAME ${_out}.tmp ${_out})
endforeach()
