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

# syscap_find_fmt_spdlog(): fmt::fmt and spdlog::spdlog for every target. Normally Debian's
# shared libraries. With SYSCAP_STATIC both are header-only (Debian ships no libfmt.a or
# libspdlog.a): interface targets under the same names, so no CMakeLists has to know, and
# every target uses the same header-only fmt (no mix of compiled and header-only in one binary).
macro(syscap_find_fmt_spdlog)
  if(SYSCAP_STATIC)
    find_package(Threads REQUIRED)
    find_path(SYSCAP_FMT_INCLUDE_DIR fmt/format-inl.h REQUIRED)
    find_path(SYSCAP_SPDLOG_INCLUDE_DIR spdlog/spdlog-inl.h REQUIRED)
    add_library(fmt::fmt INTERFACE IMPORTED)
    set_target_properties(fmt::fmt PROPERTIES
      INTERFACE_COMPILE_DEFINITIONS "FMT_HEADER_ONLY=1"
      INTERFACE_INCLUDE_DIRECTORIES "${SYSCAP_FMT_INCLUDE_DIR}")
    add_library(spdlog::spdlog INTERFACE IMPORTED)
    set_target_properties(spdlog::spdlog PROPERTIES
      INTERFACE_COMPILE_DEFINITIONS "SPDLOG_FMT_EXTERNAL"  # without SPDLOG_COMPILED_LIB: header-only
      INTERFACE_INCLUDE_DIRECTORIES "${SYSCAP_SPDLOG_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "fmt::fmt;Threads::Threads")
  else()
    find_package(fmt REQUIRED)
    find_package(spdlog REQUIRED)
  endif()
endmacro()

# syscap_make_static(<executable>): link it fully static (-static) with libseccomp.a instead of
# the shared libseccomp; libcap (-lcap), libstdc++ and glibc have static archives on Debian.
function(syscap_make_static target)
  find_library(SYSCAP_SECCOMP_STATIC_LIB NAMES libseccomp.a REQUIRED)
  set_property(TARGET PkgConfig::SECCOMP PROPERTY INTERFACE_LINK_LIBRARIES "${SYSCAP_SECCOMP_STATIC_LIB}")
  target_link_options(${target} PRIVATE -static)
endfunction()
