// The MPI front end: the same `entente` binary, started by mpirun, splits simulate/sensitivity
// work across ranks (src/cli/cluster.hpp). Without mpirun it runs as a plain process and never
// initialises MPI, so the binary needs no MPI runtime for ordinary use.
#include <mpi.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli/cluster.hpp"

namespace entente::cli {
int run(int argc, char** argv);
}

namespace {

bool launched_by_mpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

std::vector<std::string> gather(const std::string& mine) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const auto n = static_cast<long long>(mine.size());
  std::vector<long long> sizes(static_cast<std::size_t>(size));
  MPI_Gather(&n, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  std::vector<std::string> out;
  if (rank == 0) {
    out.resize(static_cast<std::size_t>(size));
    out[0] = mine;
    for (int r = 1; r < size; ++r) {
      auto& buf = out[static_cast<std::size_t>(r)];
      buf.resize(static_cast<std::size_t>(sizes[static_cast<std::size_t>(r)]));
      // Chunked: MPI counts are ints.
      std::size_t done = 0;
      while (done < buf.size()) {
        const int chunk = static_cast<int>(std::min<std::size_t>(buf.size() - done, 1 << 30));
        MPI_Recv(buf.data() + done, chunk, MPI_CHAR, r, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        done += static_cast<std::size_t>(chunk);
      }
    }
  } else {
    std::size_t done = 0;
    while (done < mine.size()) {
      const int chunk = static_cast<int>(std::min<std::size_t>(mine.size() - done, 1 << 30));
      MPI_Send(mine.data() + done, chunk, MPI_CHAR, 0, 7, MPI_COMM_WORLD);
      done += static_cast<std::size_t>(chunk);
    }
  }
  return out;
}

int broadcast(int value) {
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  if (!launched_by_mpirun()) return entente::cli::run(argc, argv);
  MPI_Init(&argc, &argv);
  auto& c = entente::cli::cluster();
  MPI_Comm_rank(MPI_COMM_WORLD, &c.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &c.size);
  c.gather = gather;
  c.broadcast = broadcast;
  const int code = entente::cli::run(argc, argv);
  MPI_Finalize();
  return code;
}
