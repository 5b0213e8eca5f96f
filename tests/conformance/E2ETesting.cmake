# bespoke_add_doctest_case(NAME <ctest name> TARGET <doctest executable> CASE <doctest test case>
#                          [LABELS ...] [FIXTURES_REQUIRED ...] [TIMEOUT s] [SKIP_RETURN_CODE n])
# Registers one more CTest test that runs a single doctest case of an
# executable built with bespoke_add_doctest, so that long suites split into
# tests CTest can run in parallel and require fixtures individually.
function(bespoke_add_doctest_case)
  cmake_parse_arguments(C "" "NAME;TARGET;CASE;TIMEOUT;SKIP_RETURN_CODE" "LABELS;FIXTURES_REQUIRED" ${ARGN})
  add_test(NAME ${C_NAME} COMMAND ${C_TARGET} "--test-case=${C_CASE}")
  if(NOT C_TIMEOUT)
    set(C_TIMEOUT 600)
  endif()
  set_tests_properties(${C_NAME} PROPERTIES TIMEOUT ${C_TIMEOUT} LABELS "${C_LABELS}")
  if(C_FIXTURES_REQUIRED)
    set_tests_properties(${C_NAME} PROPERTIES FIXTURES_REQUIRED "${C_FIXTURES_REQUIRED}")
  endif()
  if(C_SKIP_RETURN_CODE)
    set_tests_properties(${C_NAME} PROPERTIES SKIP_RETURN_CODE ${C_SKIP_RETURN_CODE})
  endif()
endfunction()
