# onnx.cmake - the ONNX reader: C generated at build time from the schema subset
# src/formats/onnx/onnx-subset.proto by protoc-c, linked into libpetal. Included at
# the end of the top-level CMakeLists.txt; its fuzz harness is in cmake/fuzz.cmake.
# protoc-c and libprotobuf-c were found by cmake/deps.cmake.

set(PETAL_ONNX_PROTO_DIR ${CMAKE_SOURCE_DIR}/src/formats/onnx)
set(PETAL_ONNX_GEN_DIR ${CMAKE_BINARY_DIR}/generated)
set(PETAL_ONNX_GEN ${PETAL_ONNX_GEN_DIR}/onnx-subset.pb-c.c ${PETAL_ONNX_GEN_DIR}/onnx-subset.pb-c.h)
add_custom_command(
  OUTPUT ${PETAL_ONNX_GEN}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PETAL_ONNX_GEN_DIR}
  COMMAND ${PETAL_PROTOC_C} --c_out=${PETAL_ONNX_GEN_DIR} --proto_path=${PETAL_ONNX_PROTO_DIR}
          onnx-subset.proto
  DEPENDS ${PETAL_ONNX_PROTO_DIR}/onnx-subset.proto
  COMMENT "Generating C for the ONNX schema subset")
target_sources(petal_objects PRIVATE ${PETAL_ONNX_GEN})
target_include_directories(petal_objects PRIVATE ${PETAL_ONNX_GEN_DIR})
target_link_libraries(petal_objects PUBLIC PkgConfig::PROTOBUFC)

# Programs that build ONNX models themselves (tests, the benchmark) use the generated
# messages too; the conformance test reads truth.json with jansson.
foreach(t test_onnx test_onnx_graph bench_onnx_import)
  if(TARGET ${t})
    target_include_directories(${t} PRIVATE ${PETAL_ONNX_GEN_DIR} ${CMAKE_SOURCE_DIR}/tests)
    target_link_libraries(${t} PRIVATE PkgConfig::PROTOBUFC)
  endif()
endforeach()
if(TARGET test_onnx)
  target_link_libraries(test_onnx PRIVATE PkgConfig::JANSSON)
endif()
