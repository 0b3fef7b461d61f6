# randompix-mpi: ranks split the count or the list; rank 0 merges the summary.
if(CONCUR_WITH_CURL)
  add_executable(randompix-mpi ${CMAKE_CURRENT_LIST_DIR}/randompix_mpi.c)
  target_link_libraries(randompix-mpi PRIVATE concur_randompix concur_mpi)
endif()
