# sudoku: unit tests of the core, then the programs on the puzzle sets of
# tests/data/sudoku (edge cases, identical outputs across threads/ranks,
# reference vs fast classification, a million-puzzle input).
add_executable(test_sudoku ${CMAKE_CURRENT_LIST_DIR}/test_sudoku.c)
target_link_libraries(test_sudoku PRIVATE concur_sudoku)
concur_add_test(sudoku.unit ${CMAKE_BINARY_DIR}/bin/test_sudoku)
concur_add_script_test(sudoku.cli sudoku_cli.sh)
concur_add_script_test(sudoku.edge sudoku_edge.sh)
concur_add_script_test(sudoku.same sudoku_same.sh)
concur_add_script_test(sudoku.classify sudoku_classify.sh)
concur_add_script_test(sudoku.million sudoku_million.sh)
set_tests_properties(sudoku.same sudoku.million PROPERTIES PROCESSORS 2)
concur_add_script_test(sudoku.threads sudoku_threads.sh)
