# primer: each demo's verdict and the facts behind it (tests/primer.sh SECTION).
foreach(_section race sync queue pool basics)
  concur_add_script_test(primer.${_section} primer.sh ${_section})
endforeach()
