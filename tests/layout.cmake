# The rooms of the tree stay apart: the toolkit knows no program, a core
# knows no other core, a program links only the toolkit and its own core, and
# no source file is over 400 lines but the named kernels.
concur_add_test(toolkit.layout python3 ${CMAKE_CURRENT_SOURCE_DIR}/layout_check.py)
