# primer: the concurrency primer, one demo per file in omp/primer/.
set(_primer_dir ${CMAKE_CURRENT_SOURCE_DIR}/primer)
add_executable(primer
  ${_primer_dir}/main.c ${_primer_dir}/opts.c ${_primer_dir}/util.c
  ${_primer_dir}/start.c ${_primer_dir}/info.c ${_primer_dir}/process.c
  ${_primer_dir}/stop.c ${_primer_dir}/interleave.c ${_primer_dir}/race.c
  ${_primer_dir}/deadlock.c ${_primer_dir}/local.c ${_primer_dir}/queue.c ${_primer_dir}/queue_common.c
  ${_primer_dir}/queue_procs.c ${_primer_dir}/event.c ${_primer_dir}/pool.c ${_primer_dir}/pool_common.c
  ${_primer_dir}/pool_procs.c)
target_include_directories(primer PRIVATE ${_primer_dir})
# queue --mpi needs MPI; without it primer still builds and says so when asked.
# MPI is initialised only by `queue --mpi`, so every other demo runs without mpirun.
if(CONCUR_WITH_MPI)
  target_sources(primer PRIVATE ${_primer_dir}/queue_mpi.c)
  target_link_libraries(primer PRIVATE concur_mpi)
else()
  target_sources(primer PRIVATE ${_primer_dir}/queue_nompi.c)
  target_link_libraries(primer PRIVATE concur_toolkit)
endif()
