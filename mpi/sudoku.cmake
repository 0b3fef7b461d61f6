# sudoku: batch sudoku solver on MPI ranks, OpenMP inside each rank.
add_executable(sudoku ${CMAKE_CURRENT_LIST_DIR}/sudoku_mpi.c)
target_link_libraries(sudoku PRIVATE concur_sudoku concur_mpi)
