# msort's serial core: references, production merge sort, data and files.
target_sources(concur_common PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/msort_core.c
  ${CMAKE_CURRENT_LIST_DIR}/msort_key.c
  ${CMAKE_CURRENT_LIST_DIR}/msort_ref.c
  ${CMAKE_CURRENT_LIST_DIR}/msort_sort.c
  ${CMAKE_CURRENT_LIST_DIR}/msort_data.c
  ${CMAKE_CURRENT_LIST_DIR}/msort_io.c
  ${CMAKE_CURRENT_LIST_DIR}/msort_opts.c)
