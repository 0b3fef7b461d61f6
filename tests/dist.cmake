# Installation and packaging (dist/): cmake --install into a prefix, and the
# Debian package installed in a fresh Debian root.
concur_add_script_test(dist.install dist_install.sh)
if(NOT CONCUR_SANITIZE)
  # The package is a release artefact: built from the normal build only (a
  # sanitizer build would need libasan in the fresh root).
  concur_add_script_test(dist.package dist_package.sh)
  set_tests_properties(dist.package PROPERTIES TIMEOUT 600)
endif()
# Progress lines on a terminal (and never elsewhere).
concur_add_script_test(toolkit.progress progress_tty.sh)
