# randompix: the libcurl transfer engine, shared by randompix and randompix-mpi.
if(CONCUR_WITH_CURL)
  add_library(concur_curl STATIC
    ${CMAKE_CURRENT_LIST_DIR}/rpx_opts.c
    ${CMAKE_CURRENT_LIST_DIR}/rpx_xfer.c
    ${CMAKE_CURRENT_LIST_DIR}/rpx_run.c)
  target_include_directories(concur_curl PUBLIC ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(concur_curl PUBLIC concur_common CURL::libcurl)
endif()
