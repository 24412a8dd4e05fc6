# The web server (entente-server, run by `entente serve`): links cpp-httplib as Debian ships it (a compiled library whose
# header must see the same feature macros, taken from its pkg-config file) and embeds the UI
# files of src/server/ui/ into a generated .cpp.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

file(GLOB ENTENTE_UI_FILES RELATIVE ${CMAKE_CURRENT_LIST_DIR}/ui CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/ui/*)
list(SORT ENTENTE_UI_FILES)
set(ENTENTE_UI_DEPS "")
foreach(f ${ENTENTE_UI_FILES})
  list(APPEND ENTENTE_UI_DEPS ${CMAKE_CURRENT_LIST_DIR}/ui/${f})
endforeach()
set(ENTENTE_UI_CPP ${CMAKE_BINARY_DIR}/generated/ui_files.cpp)
string(REPLACE ";" "|" ENTENTE_UI_FILES_ARG "${ENTENTE_UI_FILES}")
add_custom_command(
  OUTPUT ${ENTENTE_UI_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUT=${ENTENTE_UI_CPP} -DBASE=${CMAKE_CURRENT_LIST_DIR}/ui
          "-DFILES=${ENTENTE_UI_FILES_ARG}" -P ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
  DEPENDS ${ENTENTE_UI_DEPS} ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
  COMMENT "Embedding the web UI files"
  VERBATIM)
file(GLOB ENTENTE_SERVER_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cpp)

# Adds the server's link dependencies (and, with WITH_SOURCES, its sources) to a target.
function(entente_use_server target)
  cmake_parse_arguments(ARG "WITH_SOURCES" "" "" ${ARGN})
  if(ARG_WITH_SOURCES)
    target_sources(${target} PRIVATE ${ENTENTE_SERVER_SOURCES})
  endif()
  target_sources(${target} PRIVATE ${ENTENTE_UI_CPP})
  target_link_libraries(${target} PRIVATE PkgConfig::HTTPLIB)
endfunction()

add_executable(entente-server ${CMAKE_SOURCE_DIR}/src/cli/main/server.cpp ${CMAKE_SOURCE_DIR}/src/cli/serve/cmd_serve.cpp)
target_link_libraries(entente-server PRIVATE entente_cli entente_core)
entente_use_server(entente-server WITH_SOURCES)
add_dependencies(entente entente-server)  # `entente serve` runs it
