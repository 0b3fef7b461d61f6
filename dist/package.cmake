# The Debian package: cpack -G DEB in the build folder (docs/install.md).
#
# Debian's own `msort` (a sort utility) and `sudoku` (a game) packages own
# /usr/bin/msort and /usr/games/sudoku (/usr/games is on users' PATH after
# /usr/bin, so a concur /usr/bin/sudoku would hide the game); a package must never overwrite
# another's files (Debian policy 10.1 also rules out Conflicts between
# unrelated programs of the same name). So the package installs the whole
# suite in its own prefix, /usr/lib/concur/{bin,share}, and links into /usr
# only the names nobody else has: msort-omp, sudoku-omp, randompix,
# randompix-mpi, hostres and primer (programs, man pages and completions).
# `module load concur` or `. /usr/lib/concur/share/concur/env.sh` puts the
# prefix first on PATH, and then `mpirun -np 8 msort` finds concur's msort.
set(CPACK_PACKAGE_NAME concur)
set(CPACK_PACKAGE_VENDOR "The concur authors")
set(CPACK_PACKAGE_CONTACT "The concur authors <concur@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "parallel merge sort, sudoku solver, downloader and concurrency primer (OpenMP, MPI, libcurl)")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "concur makes the classic concurrency case studies into fast, verified tools:\n"
    "msort (stable merge sort: OpenMP tasks, MPI sample sort, MPI-IO), sudoku (batch\n"
    "solver: OpenMP schedules, MPI distributions), randompix (libcurl downloader),\n"
    "hostres (host lookup with a timeout) and primer (threads, locks, queues).")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr/lib/concur)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/concur")
# The libraries the programs link (libgomp1, libopenmpi3, libcurl4, libc6),
# as dpkg-shlibdeps finds them, plus what runs them: mpirun.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(CONCUR_WITH_MPI)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "openmpi-bin")
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "environment-modules | lmod, bash-completion")
# After CPack has installed into its staging folder: the links into /usr.
set(CONCUR_PACKAGE_LINKS msort-omp sudoku-omp randompix randompix-mpi hostres primer)
configure_file(${CMAKE_CURRENT_LIST_DIR}/package_links.cmake.in
               ${CMAKE_BINARY_DIR}/package_links.cmake @ONLY)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_BINARY_DIR}/package_links.cmake)
include(CPack)
