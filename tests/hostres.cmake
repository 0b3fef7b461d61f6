# hostres and the call-with-timeout helper.
add_executable(test_ctimeout test_ctimeout.c)
target_link_libraries(test_ctimeout PRIVATE concur_toolkit)
concur_add_test(hostres.ctimeout ${CMAKE_BINARY_DIR}/bin/test_ctimeout)
concur_add_script_test(hostres.cli hostres.sh)
concur_add_script_test(hostres.netns hostres_netns.sh)

