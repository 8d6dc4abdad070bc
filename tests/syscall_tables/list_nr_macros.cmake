# Lists the __NR_* macros a kernel uapi header defines, as X-macro lines SYSCAP_NR(name).
#   cmake -DCOMPILER=gcc -DHEADER=asm/unistd_64.h -DOUTPUT=nr_names_64.inc -P list_nr_macros.cmake
# The names come from the preprocessor (-dM -E), the numbers later from the header itself,
# so the test sees exactly what the build machine's headers say.
execute_process(
  COMMAND ${COMPILER} -dM -E -include ${HEADER} -x c /dev/null
  OUTPUT_VARIABLE defines
  ERROR_VARIABLE errors
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${COMPILER} could not preprocess ${HEADER}: ${errors}")
endif()
string(REGEX MATCHALL "#define __NR_[A-Za-z0-9_]+ " lines "${defines}")
set(names "")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "#define __NR_([A-Za-z0-9_]+) " "\\1" name "${line}")
  list(APPEND names "${name}")
endforeach()
list(SORT names)
list(LENGTH names count)
if(count EQUAL 0)
  message(FATAL_ERROR "${HEADER} defines no __NR_* macros")
endif()
set(text "// __NR_* macros of <${HEADER}> (${count}), listed at build time by list_nr_macros.cmake.\n")
foreach(name IN LISTS names)
  string(APPEND text "SYSCAP_NR(${name})\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "${text}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
