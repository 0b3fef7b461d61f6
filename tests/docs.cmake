# Documentation (README.md and docs/): every command shown runs as written, and
# the suite's option table matches every program's --help.
concur_add_script_test(docs.commands docs_commands.sh)
concur_add_script_test(docs.options docs_options.sh)
# docs.commands runs MPI examples of 2 ranks and OpenMP ones of 2 threads.
set_tests_properties(docs.commands PROPERTIES PROCESSORS 2 TIMEOUT 300)
