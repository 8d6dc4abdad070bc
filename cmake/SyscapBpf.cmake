# The BPF recording engine's build: its kernel half (tracer/bpf/record.bpf.c) compiled with
# clang for the BPF target, CO-RE (the kernel types it reads are declared in
# tracer/bpf/record_kernel_types.bpf.h, so building needs no kernel BTF), and a libbpf skeleton
# made by bpftool. SYSCAP_BPF=AUTO (default) builds it when clang, bpftool and libbpf are there
# and says what is missing otherwise; ON requires them; OFF leaves the engine out (syscap then
# records with ptrace only and says so). Where the build machine's kernel has BTF, the build
# also embeds the program's minimal BTF for that kernel (a faster start on it).
set(SYSCAP_BPF "AUTO" CACHE STRING "Build the BPF recording engine: AUTO, ON or OFF")
set_property(CACHE SYSCAP_BPF PROPERTY STRINGS AUTO ON OFF)
# The programs' line table (each instruction's source line) is left out of the object: the
# kernel would check and keep it at every load, for verifier logs and `bpftool prog dump` that
# syscap does not use (tracer/bpf/drop_line_info.cpp). ON keeps it, for reading a verifier log.
option(SYSCAP_BPF_LINE_INFO "Keep the BPF programs' line table (verifier logs quote the source)" OFF)
set(SYSCAP_HAVE_BPF OFF)

function(syscap_bpf_missing what)
  if(SYSCAP_BPF STREQUAL "ON")
    message(FATAL_ERROR "SYSCAP_BPF=ON but ${what}")
  endif()
  message(STATUS "BPF recording engine not built: ${what}")
endfunction()

if(NOT SYSCAP_BPF STREQUAL "OFF")
  find_program(SYSCAP_BPF_CLANG NAMES clang-19 clang-18 clang-17 clang-16 clang-15 clang-14 clang)
  find_program(SYSCAP_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin)
  pkg_check_modules(LIBBPF IMPORTED_TARGET libbpf)
  if(NOT SYSCAP_BPF_CLANG)
    syscap_bpf_missing("no clang (Debian: clang)")
  elseif(NOT SYSCAP_BPFTOOL)
    syscap_bpf_missing("no bpftool (Debian: bpftool)")
  elseif(NOT LIBBPF_FOUND)
    syscap_bpf_missing("no libbpf (Debian: libbpf-dev)")
  else()
    set(SYSCAP_HAVE_BPF ON)
    # The build tool that leaves the line table out (run unless SYSCAP_BPF_LINE_INFO).
    add_executable(syscap_bpf_drop_line_info ${PROJECT_SOURCE_DIR}/tracer/bpf/drop_line_info.cpp)
    syscap_target_options(syscap_bpf_drop_line_info)
  endif()
endif()

# syscap_add_bpf_skeleton(<target> <source.bpf.c>): compiles the program, adds the directory
# holding <name>.skel.h to <target>'s include path, and adds to <target> the program's minimal
# BTF for the build machine's kernel (detail::kBuildKernelBtf, tracer/src/bpf_kernel_btf.hpp).
function(syscap_add_bpf_skeleton target source)
  get_filename_component(name ${source} NAME_WE)
  get_filename_component(source_dir ${source} DIRECTORY)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/bpf)
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
    set(bpf_arch x86)
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
    set(bpf_arch arm64)
  else()
    message(FATAL_ERROR "BPF engine: no BPF target arch for ${CMAKE_SYSTEM_PROCESSOR}")
  endif()
  # <linux/types.h> needs <asm/types.h>, which Debian keeps under the multiarch directory that
  # clang does not search for the BPF target.
  set(multiarch_include "")
  if(CMAKE_LIBRARY_ARCHITECTURE AND EXISTS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
    set(multiarch_include -idirafter /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  endif()
  # The program's parts included by ${name}.bpf.c.
  file(GLOB parts CONFIGURE_DEPENDS ${source_dir}/${name}_*.bpf.h)
  # -mcpu=v3 (Linux 5.1's instruction set: 32-bit jumps, fewer instructions to verify) also
  # lets an atomic add return the old value (Linux 5.12), which numbers the capability checks
  # and counts the argument values kept; the engine needs Linux 5.15 (bpf_task_pt_regs) anyway.
  add_custom_command(
    OUTPUT ${out}/${name}.bpf.o
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out}
    COMMAND ${SYSCAP_BPF_CLANG} -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_${bpf_arch}
            -I${source_dir} ${multiarch_include} -Wall -Werror -c ${source} -o ${out}/${name}.bpf.o
    DEPENDS ${source} ${source_dir}/${name}_shared.h ${parts}
    COMMENT "Compiling BPF program ${name}.bpf.c"
    VERBATIM)
  # Linked by bpftool, which leaves out the DWARF sections (93 -> 49 kB): the skeleton embeds
  # the object in syscap and libbpf parses it at every start; its BTF is all it needs.
  add_custom_command(
    OUTPUT ${out}/${name}.linked.o
    COMMAND ${SYSCAP_BPFTOOL} gen object ${out}/${name}.linked.o ${out}/${name}.bpf.o
    DEPENDS ${out}/${name}.bpf.o
    COMMENT "Linking BPF program ${name}.bpf.o"
    VERBATIM)
  set(object ${out}/${name}.linked.o)
  if(NOT SYSCAP_BPF_LINE_INFO)
    set(object ${out}/${name}.object.o)
    add_custom_command(
      OUTPUT ${object}
      COMMAND syscap_bpf_drop_line_info ${out}/${name}.linked.o ${object}
      DEPENDS ${out}/${name}.linked.o syscap_bpf_drop_line_info
      COMMENT "Leaving the line table out of ${name}.linked.o"
      VERBATIM)
  endif()
  add_custom_command(
    OUTPUT ${out}/${name}.skel.h
    COMMAND sh -c "${SYSCAP_BPFTOOL} gen skeleton ${object} name ${name}_bpf > ${out}/${name}.skel.h"
    DEPENDS ${object}
    COMMENT "Generating the BPF skeleton ${name}.skel.h"
    VERBATIM)
  # The minimal BTF for this kernel, embedded with the kernel's identity (see SyscapEmbedBtf.cmake).
  # One command takes the BTF and the identity (notes, BTF size) together, so the two always
  # describe the same kernel; whatever cannot be read leaves its file empty, and the engine then
  # uses the kernel's own BTF.
  set(min_btf ${out}/${name}.min.btf)
  add_custom_command(
    OUTPUT ${min_btf} ${min_btf}.notes ${min_btf}.vmlinux-size
    COMMAND sh -c "cat /sys/kernel/notes > ${min_btf}.notes 2>/dev/null || : > ${min_btf}.notes; stat -c %s /sys/kernel/btf/vmlinux > ${min_btf}.vmlinux-size 2>/dev/null || echo 0 > ${min_btf}.vmlinux-size; ${SYSCAP_BPFTOOL} gen min_core_btf /sys/kernel/btf/vmlinux ${min_btf} ${out}/${name}.linked.o || { echo 'no minimal BTF: the BPF engine will parse the kernel BTF at each start'; : > ${min_btf}; }"
    DEPENDS ${out}/${name}.linked.o
    COMMENT "Making the minimal BTF of ${name}.linked.o for this kernel"
    VERBATIM)
  add_custom_command(
    OUTPUT ${out}/${name}_kernel_btf.cpp
    COMMAND ${CMAKE_COMMAND} -DMIN_BTF=${min_btf} -DOUTPUT=${out}/${name}_kernel_btf.cpp
            -P ${PROJECT_SOURCE_DIR}/cmake/SyscapEmbedBtf.cmake
    DEPENDS ${min_btf} ${min_btf}.notes ${min_btf}.vmlinux-size ${PROJECT_SOURCE_DIR}/cmake/SyscapEmbedBtf.cmake
    COMMENT "Embedding the minimal BTF of ${name}.bpf.o"
    VERBATIM)
  target_sources(${target} PRIVATE ${out}/${name}_kernel_btf.cpp)
  add_custom_target(${target}_${name}_skeleton DEPENDS ${out}/${name}.skel.h)
  add_dependencies(${target} ${target}_${name}_skeleton)
  target_include_directories(${target} PRIVATE ${out} ${source_dir})
endfunction()
