# Fuzz targets (DESIGN §11, STYLE.md): one libFuzzer entry point per parser in
# tests/fuzz/fuzz_<name>.cpp, its seed corpus and crash reproducers in
# tests/fuzz/corpus/<name>/.
#
# Every build (GCC included) links each entry point with replay_main.cpp into
# tst_fuzz_<name>, a smoke test that replays the whole corpus as plain input.
#
# HOLDPOINT_FUZZ=ON (Clang only) also builds fuzz_<name> with libFuzzer. The
# libraries must carry the sanitizers too, which a fragment included here
# cannot arrange for targets defined before it, so scripts/fuzz.sh configures
# a separate build dir (build-fuzz) with CC=clang CXX=clang++,
# CMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined
# -fno-omit-frame-pointer" (coverage and sanitizers in every library) and
# -DHOLDPOINT_FUZZ=ON; only -fsanitize=fuzzer (libFuzzer's main) is added below.
option(HOLDPOINT_FUZZ "Build libFuzzer targets fuzz_<name> (Clang; see scripts/fuzz.sh)" OFF)

set(HP_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
set(HP_FUZZ_TARGETS proposal strictjson plan patch catalog dangeroustext)

if(HOLDPOINT_FUZZ AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "HOLDPOINT_FUZZ needs Clang (libFuzzer); use scripts/fuzz.sh")
endif()

foreach(target IN LISTS HP_FUZZ_TARGETS)
  set(replay tst_fuzz_${target})
  add_executable(${replay} ${HP_FUZZ_DIR}/replay_main.cpp ${HP_FUZZ_DIR}/fuzz_${target}.cpp)
  target_link_libraries(${replay} PRIVATE holdpoint_core holdpoint_resources Qt6::Test holdpoint_flags)
  add_test(NAME ${replay} COMMAND ${replay} ${HP_FUZZ_DIR}/corpus/${target})
  set_tests_properties(${replay} PROPERTIES LABELS smoke TIMEOUT 300
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOLDPOINT_LOG_LEVEL=warn")

  if(HOLDPOINT_FUZZ)
    add_executable(fuzz_${target} ${HP_FUZZ_DIR}/fuzz_${target}.cpp)
    target_link_libraries(fuzz_${target} PRIVATE holdpoint_core holdpoint_resources holdpoint_flags)
    target_compile_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
    target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
  endif()
endforeach()
