# Compiler options shared by every syscap target.

# syscap_target_options(<target>): warnings as errors for our own code, and the
# sanitizers when SYSCAP_SANITIZE is on.
function(syscap_target_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  if(SYSCAP_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
