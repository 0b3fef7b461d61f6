# Provenance (issue 16): --version names the build and what runs.
concur_add_script_test(toolkit.version version.sh)
# Every program's --json record against docs/concur-result.schema.json.
concur_add_script_test(toolkit.json_schema json_schema.sh)
set_tests_properties(toolkit.json_schema PROPERTIES PROCESSORS 2)
