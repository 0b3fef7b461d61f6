if(CONCUR_WITH_MPI)
  # A rank killed, a cable cut, a rank stopped on the other host; the fixture's
  # own clean-up after a killed run and after an overrun.
  concur_add_script_test(multihost.faults multihost_faults.sh)
  set_tests_properties(multihost.faults PROPERTIES PROCESSORS 2 TIMEOUT 300)
endif()
