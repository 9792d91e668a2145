# fuzz.cmake - petal's libFuzzer harnesses, one per reader (tests/fuzz/fuzz_*.c,
# docs/fuzzing.md). Included from the top-level CMakeLists.txt after onnx.cmake.
#
# PETAL_FUZZ is set only by tests/fuzz/run.sh, which configures a separate clang
# build (BUILD/fuzz) where the library is instrumented and the harnesses are
# built. The ordinary build registers the ctest tests that drive run.sh: one
# fixture builds the harnesses, each fuzz_* test then fuzzes one harness for
# PETAL_FUZZ_TEST_SECONDS, and fuzz_regressions replays the saved crash inputs.
option(PETAL_FUZZ "Build the libFuzzer harnesses (clang only)" OFF)
set(PETAL_FUZZ_TEST_SECONDS 5 CACHE STRING "Seconds each harness fuzzes in ctest")
set(PETAL_FUZZ_HARNESSES fuzz_onnx fuzz_net_yaml fuzz_arch_yaml fuzz_mapping_yaml
                         fuzz_constraints_yaml
                         fuzz_tl_problem fuzz_tl_arch fuzz_tl_mapping fuzz_tl_constraints
                         fuzz_tl_ert fuzz_tl_sparse fuzz_sweep_yaml fuzz_sweep_output fuzz_scalesim
                         fuzz_density_profile)

if(PETAL_FUZZ)
  # The library's sources compile in petal_objects when that target exists
  # (libpetal is then made from it), else in libpetal itself.
  if(TARGET petal_objects)
    set(petal_fuzz_lib petal_objects)
  else()
    set(petal_fuzz_lib libpetal)
  endif()
  set(petal_fuzz_flags -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_compile_options(${petal_fuzz_lib} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                                                   ${petal_fuzz_flags})
  foreach(h ${PETAL_FUZZ_HARNESSES})
    add_executable(${h} ${CMAKE_SOURCE_DIR}/tests/fuzz/${h}.c)
    target_compile_options(${h} PRIVATE -fsanitize=fuzzer,address,undefined ${petal_fuzz_flags})
    target_link_options(${h} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_include_directories(${h} PRIVATE ${CMAKE_SOURCE_DIR}/tests/fuzz)
    target_compile_definitions(${h} PRIVATE PETAL_SHARED_DIR="${PETAL_SHARED_DIR}")
    target_link_libraries(${h} PRIVATE libpetal)
  endforeach()
elseif(NOT PETAL_SANITIZE)
  set(petal_fuzz_run bash ${CMAKE_SOURCE_DIR}/tests/fuzz/run.sh)
  set(petal_fuzz_args ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${PETAL_SHARED_DIR})
  add_test(NAME fuzz_build COMMAND ${petal_fuzz_run} --build-only ${petal_fuzz_args} 0)
  set_tests_properties(fuzz_build PROPERTIES FIXTURES_SETUP petal_fuzz SKIP_RETURN_CODE 77
                                             TIMEOUT 1800 RESOURCE_LOCK petal_fuzz_tree)
  add_test(NAME fuzz_regressions COMMAND ${petal_fuzz_run} --no-build --replay ${petal_fuzz_args} 0)
  set_tests_properties(fuzz_regressions PROPERTIES FIXTURES_REQUIRED petal_fuzz
                                                   SKIP_RETURN_CODE 77 TIMEOUT 300)
  foreach(h ${PETAL_FUZZ_HARNESSES})
    add_test(NAME ${h} COMMAND ${petal_fuzz_run} --no-build ${petal_fuzz_args}
                               ${PETAL_FUZZ_TEST_SECONDS} ${h})
    set_tests_properties(${h} PROPERTIES FIXTURES_REQUIRED petal_fuzz SKIP_RETURN_CODE 77
                                         TIMEOUT 300)
  endforeach()
endif()
