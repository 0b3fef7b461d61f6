# msort-omp: the shared-memory merge sort.
add_executable(msort-omp ${CMAKE_CURRENT_LIST_DIR}/msort_omp.c)
target_link_libraries(msort-omp PRIVATE concur_msort)
