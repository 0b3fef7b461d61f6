# randompix: the downloader without MPI (serial, threads, async).
if(CONCUR_WITH_CURL)
  add_executable(randompix ${CMAKE_CURRENT_LIST_DIR}/randompix.c)
  target_link_libraries(randompix PRIVATE concur_randompix)
endif()
