# sudoku-omp: batch sudoku solver on OpenMP threads.
add_executable(sudoku-omp ${CMAKE_CURRENT_LIST_DIR}/sudoku_omp.c)
target_link_libraries(sudoku-omp PRIVATE concur_sudoku)
