// The `entente-server` executable: the command line with `serve` (cpp-httplib and the web UI).
#include "cli/command.hpp"

int main(int argc, char** argv) { return entente::cli::run(argc, argv); }
