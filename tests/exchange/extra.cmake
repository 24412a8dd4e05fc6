# entente's exchange model against an independent Python implementation of the Decide algorithm
# (bench/reference/exchange_reference.py, written from the spec alone: per-candidate books, real
# move stacks, a stable sort of the whole list before every selection, Python's decimal). Covers
# files without reference vectors: verkiezing_2012 is the one where the update-book rule matters.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME exchange_vs_python_reference
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/bench/exchange_vs_reference.py
                   --entente $<TARGET_FILE:entente> --rounds 10 --repeat 1 --exact
                   --files ${CMAKE_CURRENT_LIST_DIR}/../data/decide/verkiezing_2012.csv
                           ${CMAKE_CURRENT_LIST_DIR}/../data/decide/copenhagen.csv
                           ${CMAKE_CURRENT_LIST_DIR}/../data/decide/cop21.csv
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(exchange_vs_python_reference PROPERTIES LABELS exchange TIMEOUT 300
    ENVIRONMENT "ENTENTE_STORE=${CMAKE_CURRENT_BINARY_DIR}/test-runs.sqlite")
endif()
