# Several hosts on one machine (issue 15): network namespaces wired by a bridge
# (tests/multihost.sh), Open MPI between them over TCP through an ssh stand-in.
# Root only (skipped otherwise). Each test makes its own hosts, named after its
# PID, so they may run side by side; PROCESSORS 2 because the ranks of all
# hosts share the machine's cores.
if(CONCUR_WITH_MPI)
  concur_add_script_test(multihost.mpi multihost_mpi.sh)
  set_tests_properties(multihost.mpi PROPERTIES PROCESSORS 2 TIMEOUT 300)
  if(CONCUR_WITH_CURL)
    concur_add_script_test(multihost.randompix multihost_randompix.sh)
    set_tests_properties(multihost.randompix PROPERTIES PROCESSORS 2 TIMEOUT 300)
  endif()
endif()
if(CONCUR_WITH_MPI)
  # A rank killed, a cable cut, a rank stopped on the other host; the fixture's
  # own clean-up after a killed run and after an overrun.
  concur_add_script_test(multihost.faults multihost_faults.sh)
  set_tests_properties(multihost.faults PROPERTIES PROCESSORS 2 TIMEOUT 300)
endif()
# A real two-node SLURM (munged + slurmctld on a login host, a slurmd per
# compute host) running jobs/slurm/*.sbatch unmodified with sbatch -N 2, and a
# rank killed under it. Normal build only: under the sanitizers it would test
# SLURM and Open MPI, not concur's code, at twice the time.
if(CONCUR_WITH_MPI AND NOT CONCUR_SANITIZE)
  concur_add_script_test(multihost.slurm multihost_slurm.sh)
  set_tests_properties(multihost.slurm PROPERTIES PROCESSORS 2 TIMEOUT 300)
endif()
