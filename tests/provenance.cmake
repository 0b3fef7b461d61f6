# Provenance (issue 16): --version names the build and what runs.
concur_add_script_test(toolkit.version version.sh)
