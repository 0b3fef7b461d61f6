# hostres and the call-with-timeout helper.
add_executable(test_ctimeout test_ctimeout.c)
target_link_libraries(test_ctimeout PRIVATE concur_common)
concur_add_test(hostres.ctimeout ${CMAKE_BINARY_DIR}/bin/test_ctimeout)
concur_add_script_test(hostres.cli hostres.sh)
concur_add_script_test(hostres.netns hostres_netns.sh)

# What a call-with-timeout costs (jobs/bench/ctimeout.c; a benchmark, not a test).
add_executable(bench_ctimeout ${CMAKE_SOURCE_DIR}/jobs/bench/ctimeout.c)
target_link_libraries(bench_ctimeout PRIVATE concur_common)
