# BESPOKE_SANITIZE="address;undefined" instruments every target (our code and
# the tests); third-party shared libraries stay uninstrumented.
if(BESPOKE_SANITIZE)
  string(REPLACE ";" "," _bespoke_sanitizers "${BESPOKE_SANITIZE}")
  add_compile_options(-fsanitize=${_bespoke_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_bespoke_sanitizers})
endif()
