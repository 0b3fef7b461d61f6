# msort: the distributed merge sort (MPI ranks, OpenMP inside each).
add_executable(msort ${CMAKE_CURRENT_LIST_DIR}/msort_mpi.c ${CMAKE_CURRENT_LIST_DIR}/msort_mpi_algo.c
                     ${CMAKE_CURRENT_LIST_DIR}/msort_mpi_io.c ${CMAKE_CURRENT_LIST_DIR}/msort_mpi_out.c
                     ${CMAKE_CURRENT_LIST_DIR}/msort_mpi_val.c)
target_link_libraries(msort PRIVATE concur_msort concur_mpi)
