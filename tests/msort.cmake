# msort tests: the serial core in process, then the programs (CLI, files, bad
# input, byte-identical outputs across algorithms, threads and ranks).
add_executable(test_msort ${CMAKE_CURRENT_LIST_DIR}/test_msort.c)
target_link_libraries(test_msort PRIVATE concur_msort)
concur_add_test(msort.unit ${CMAKE_BINARY_DIR}/bin/test_msort)
concur_add_script_test(msort.omp msort_omp.sh)
concur_add_script_test(msort.bad_input msort_bad_input.sh)
concur_add_script_test(msort.mpi msort_mpi.sh)
concur_add_script_test(msort.mpi_np8 msort_mpi_np8.sh)
add_executable(test_msort_simd ${CMAKE_CURRENT_LIST_DIR}/test_msort_simd.c)
target_link_libraries(test_msort_simd PRIVATE concur_msort)
concur_add_test(msort.simd ${CMAKE_BINARY_DIR}/bin/test_msort_simd)
concur_add_script_test(msort.simd_paths msort_simd.sh)
concur_add_script_test(msort.mpi_hard msort_mpi_hard.sh)
