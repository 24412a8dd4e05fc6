# pytest for the Python module, run through CTest.
if(TARGET entente_python)
  add_test(NAME python_module
           COMMAND ${ENTENTE_PYTHON_EXECUTABLE} -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_LIST_DIR}/test_entente.py)
  set_tests_properties(python_module PROPERTIES
    LABELS python
    ENVIRONMENT "PYTHONPATH=${ENTENTE_PYTHON_DIR};ENTENTE_TEST_DATA=${CMAKE_CURRENT_LIST_DIR}/../data;ENTENTE_SOURCE_DIR=${CMAKE_SOURCE_DIR};ENTENTE_BINARY=$<TARGET_FILE:entente>")
endif()
