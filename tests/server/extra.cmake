# The server's sources live in the entente executable (src/server/); the unit tests compile them
# in too, with cpp-httplib and the embedded UI (entente_use_server from src/server/server.cmake).
if(TARGET test_server)
  entente_use_server(test_server WITH_SOURCES)
endif()
