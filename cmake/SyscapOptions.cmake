# Compiler options shared by every syscap target.

# syscap_target_options(<target>): warnings as errors for our own code, and the
# sanitizers when SYSCAP_SANITIZE is on. Any undefined behaviour stops the program
# (-fno-sanitize-recover=all), so a test or fuzz run cannot pass over it. With SYSCAP_FUZZ our
# code also carries libFuzzer's coverage instrumentation (fuzzer-no-link), so the fuzz targets
# are guided by the parsers' branches, not only their own.
function(syscap_target_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # clang flags libstdc++ 12's own std::stable_sort, which calls the (C++17-deprecated)
    # std::get_temporary_buffer inside the system header; nothing of ours to fix there.
    target_compile_options(${target} PRIVATE -Wno-deprecated-declarations)
  endif()
  if(SYSCAP_SANITIZE)
    set(sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all)
    target_compile_options(${target} PRIVATE ${sanitizers} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE ${sanitizers})
  endif()
  if(SYSCAP_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# syscap_check_fuzz_toolchain(): sets SYSCAP_FUZZ when this is a sanitizer build (SYSCAP_SANITIZE)
# and the compiler can link a libFuzzer target (clang with its runtime, e.g. Debian's clang-19 and
# libclang-rt-19-dev). g++ has no libFuzzer: the fuzz targets are then left out with a message.
function(syscap_check_fuzz_toolchain)
  set(SYSCAP_FUZZ OFF PARENT_SCOPE)
  if(NOT SYSCAP_SANITIZE)
    return()
  endif()
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS -fsanitize=fuzzer,address,undefined)
  set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=fuzzer,address,undefined)
  check_cxx_source_compiles([[
    #include <cstddef>
    #include <cstdint>
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
  ]] SYSCAP_HAVE_LIBFUZZER)
  if(SYSCAP_HAVE_LIBFUZZER)
    set(SYSCAP_FUZZ ON PARENT_SCOPE)
  else()
    message(STATUS "fuzz targets not built: ${CMAKE_CXX_COMPILER} cannot link -fsanitize=fuzzer "
                   "(configure with clang++-19 and libclang-rt-19-dev installed)")
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
