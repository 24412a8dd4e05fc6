// The `entente` executable: the command line without the web server and MPI, so that ordinary
// commands load neither OpenSSL (cpp-httplib) nor Open MPI. `entente serve ...` runs the
// `entente-server` executable beside this one with the same arguments.
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/command.hpp"

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "serve") == 0) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::string server = (ec ? std::filesystem::path(argv[0]) : self).parent_path() / "entente-server";
    ::execv(server.c_str(), argv);
    std::cerr << "entente: error: cannot start " << server << " (" << std::strerror(errno)
              << "); `entente serve` needs the entente-server executable beside entente\n";
    return 1;
  }
  return entente::cli::run(argc, argv);
}
