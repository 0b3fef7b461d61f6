# Limits and untrusted text: the real memory limit (cgroups, ulimit -v),
# terminal-safe messages and outputs, the message limiter.
add_executable(test_limits ${CMAKE_CURRENT_LIST_DIR}/test_limits.c)
target_link_libraries(test_limits PRIVATE concur_toolkit)
concur_add_test(toolkit.limits ${CMAKE_BINARY_DIR}/bin/test_limits)
concur_add_script_test(toolkit.terminal_safe terminal_safe.sh)
concur_add_script_test(toolkit.memory_limit memory_limit.sh)
