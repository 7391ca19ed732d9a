# Writes version.h with the current `git describe --always --dirty`;
# rewrites it only when the text changes, so unchanged builds stay cached.
execute_process(COMMAND git -C "${SRC}" describe --always --dirty --tags
  OUTPUT_VARIABLE DR_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR DR_GIT_REVISION STREQUAL "")
  set(DR_GIT_REVISION "unknown")
endif()
configure_file("${IN}" "${OUT}.tmp" @ONLY)
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
