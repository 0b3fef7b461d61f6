# sudoku: batch sudoku solver on MPI ranks, OpenMP inside each rank.
add_executable(sudoku ${CMAKE_CURRENT_LIST_DIR}/sudoku_mpi.c
                      ${CMAKE_CURRENT_LIST_DIR}/sudoku_mpi_static.c
                      ${CMAKE_CURRENT_LIST_DIR}/sudoku_mpi_cyclic.c
                      ${CMAKE_CURRENT_LIST_DIR}/sudoku_mpi_dynamic.c
                      ${CMAKE_CURRENT_LIST_DIR}/sudoku_mpi_io.c
                      ${CMAKE_CURRENT_LIST_DIR}/sudoku_mpi_out.c)
target_link_libraries(sudoku PRIVATE concur_sudoku concur_mpi)
