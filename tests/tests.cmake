# Each area lists its tests in tests/cmake/<area>.cmake:
#   hp_add_test(tst_name unit|smoke|soak|bench [WIDGETS] [TIMEOUT s])
file(GLOB HP_TEST_FRAGMENTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cmake/*.cmake)
list(SORT HP_TEST_FRAGMENTS)
foreach(fragment IN LISTS HP_TEST_FRAGMENTS)
  include(${fragment})
endforeach()
