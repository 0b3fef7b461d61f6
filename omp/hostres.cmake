# hostres: host-name resolution, each lookup in a child process with a timeout.
add_executable(hostres ${CMAKE_CURRENT_SOURCE_DIR}/hostres.c)
target_link_libraries(hostres PRIVATE concur_toolkit)
