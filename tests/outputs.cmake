# Output files that never damage anything (common/atomic_*.c): the toolkit's
# pieces in process, then every program with an output (-o) on real files,
# links, FIFOs and descriptors.
add_executable(test_atomic_file ${CMAKE_CURRENT_LIST_DIR}/test_atomic_file.c)
target_link_libraries(test_atomic_file PRIVATE concur_toolkit)
concur_add_test(toolkit.atomic_file ${CMAKE_BINARY_DIR}/bin/test_atomic_file)
concur_add_script_test(toolkit.outputs outputs.sh)
set_tests_properties(toolkit.outputs PROPERTIES PROCESSORS 2)
