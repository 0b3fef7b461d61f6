# jobs/: batch scripts, laptop runner and plots (issue 7).
# Script checks: bash -n and shellcheck on every script under jobs/.
concur_add_script_test(jobs.lint jobs_lint.sh)
# The laptop runner (sweep.sh) and the plot step on the real programs.
concur_add_script_test(jobs.sweep jobs_sweep.sh)
# Every sbatch script on a real single-node SLURM (root only; skipped otherwise).
concur_add_script_test(jobs.slurm jobs_slurm.sh)
# The SLURM jobs run side by side on the 2 cores; a resource lock keeps this
# test apart from anything else that would start daemons.
set_tests_properties(jobs.slurm PROPERTIES PROCESSORS 2 RESOURCE_LOCK concur_slurm TIMEOUT 400)
set_tests_properties(jobs.sweep PROPERTIES PROCESSORS 2)
# json2csv.py and plot.sh: columns, error bars, whole worker ticks, bad input.
concur_add_script_test(jobs.plot jobs_plot.sh)
