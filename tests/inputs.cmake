# Text inputs of the whole suite (issue "Files, pipes and bad input"): the
# toolkit's line reader and message budget in process, then every program on
# line ends of every kind, NUL bytes, over-long lines, binary files, read
# errors, and "-" (standard input) with pipelines.
add_executable(test_lines ${CMAKE_CURRENT_LIST_DIR}/test_lines.c)
target_link_libraries(test_lines PRIVATE concur_toolkit)
concur_add_test(toolkit.lines ${CMAKE_BINARY_DIR}/bin/test_lines)
concur_add_script_test(toolkit.inputs inputs.sh)
set_tests_properties(toolkit.inputs PROPERTIES PROCESSORS 2)
