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

# syscap_find_fmt_spdlog(): the headers of Debian's fmt and spdlog, which deps/ compiles into the
# static archive behind fmt::fmt and spdlog::spdlog for every build (Debian ships neither as a
# static library, and a static syscap needs them so).
macro(syscap_find_fmt_spdlog)
  find_package(Threads REQUIRED)
  find_path(SYSCAP_FMT_INCLUDE_DIR fmt/format-inl.h REQUIRED)
  find_path(SYSCAP_SPDLOG_INCLUDE_DIR spdlog/spdlog-inl.h REQUIRED)
endmacro()

# syscap_make_static(<executable>): link it fully static, as a position-independent executable
# (-static-pie: syscap runs as root and reads untrusted files, so its addresses stay randomized;
# the start-up this costs, relocating itself, is under a millisecond). The libraries found through
# pkg-config name their shared objects by path, so they are pointed at Debian's static archives
# instead (libbpf's with the libelf and zlib it needs): for every target of the build that links
# them, the test programs too. libcap (-lcap), libstdc++ and glibc are found as archives by
# -static-pie itself. Debian's compilers and archives are built PIE by default.
function(syscap_make_static target)
  find_library(SYSCAP_SECCOMP_STATIC_LIB NAMES libseccomp.a REQUIRED)
  set_property(TARGET PkgConfig::SECCOMP PROPERTY INTERFACE_LINK_LIBRARIES "${SYSCAP_SECCOMP_STATIC_LIB}")
  if(TARGET PkgConfig::LIBBPF)
    find_library(SYSCAP_BPF_STATIC_LIB NAMES libbpf.a REQUIRED)
    find_library(SYSCAP_ELF_STATIC_LIB NAMES libelf.a REQUIRED)
    find_library(SYSCAP_Z_STATIC_LIB NAMES libz.a REQUIRED)
    set_property(TARGET PkgConfig::LIBBPF PROPERTY INTERFACE_LINK_LIBRARIES
                 "${SYSCAP_BPF_STATIC_LIB};${SYSCAP_ELF_STATIC_LIB};${SYSCAP_Z_STATIC_LIB}")
  endif()
  target_link_options(${target} PRIVATE -static-pie)
endfunction()
