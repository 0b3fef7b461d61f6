# msort-baseline (jobs/bench/msort_baseline.cc): the C++ library sorts the
# msort benchmark compares with. Built only when TBB and Boost.Sort are
# installed (Debian: libtbb-dev libboost-dev), and not in sanitizer builds.
include(CheckIncludeFileCXX)
find_package(TBB CONFIG QUIET)
check_include_file_cxx(boost/sort/sort.hpp CONCUR_HAVE_BOOST_SORT)
find_package(OpenMP QUIET COMPONENTS CXX)
if(TBB_FOUND AND CONCUR_HAVE_BOOST_SORT AND OpenMP_CXX_FOUND AND NOT CONCUR_SANITIZE)
  add_executable(msort-baseline ${CMAKE_SOURCE_DIR}/jobs/bench/msort_baseline.cc)
  target_include_directories(msort-baseline PRIVATE ${CMAKE_SOURCE_DIR}/common)
  target_link_libraries(msort-baseline PRIVATE TBB::tbb OpenMP::OpenMP_CXX)
else()
  message(STATUS "concur: msort-baseline not built (needs libtbb-dev, libboost-dev; no sanitizers)")
endif()

# msort-bw (jobs/bench/msort_bw.c): merge-pass bandwidth against a copy.
if(NOT CONCUR_SANITIZE)
  add_executable(msort-bw ${CMAKE_SOURCE_DIR}/jobs/bench/msort_bw.c)
  target_link_libraries(msort-bw PRIVATE concur_common)
endif()
