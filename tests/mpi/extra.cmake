# MPI: mpirun -np 2 --oversubscribe must reproduce the single-process results bit for bit.
find_program(ENTENTE_MPIRUN mpirun)
if(ENTENTE_MPIRUN AND TARGET entente-mpi)
  add_test(NAME mpi.same_as_single_process
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/mpi_test.sh $<TARGET_FILE:entente> $<TARGET_FILE:entente-mpi> ${CMAKE_SOURCE_DIR}/scenarios/istanbul-2025.yaml)
  set_tests_properties(mpi.same_as_single_process PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS mpi)
endif()
