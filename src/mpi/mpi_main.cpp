// The `entente-mpi` executable: the command line under mpirun. Each rank runs its share of
// simulate / sensitivity draws (the analysis layer's Distributor), rank 0 gathers and alone
// prints. Started without mpirun it runs as one plain process and never initialises MPI.
#include <mpi.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace {

bool launched_by_mpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

class MpiDistributor final : public entente::Distributor {
 public:
  MpiDistributor() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::vector<std::string> gather(const std::string& mine) override {
    const auto n = static_cast<long long>(mine.size());
    std::vector<long long> sizes(static_cast<std::size_t>(size_));
    MPI_Gather(&n, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    std::vector<std::string> out;
    if (rank_ == 0) {
      out.resize(static_cast<std::size_t>(size_));
      out[0] = mine;
      for (int r = 1; r < size_; ++r) {
        auto& buf = out[static_cast<std::size_t>(r)];
        buf.resize(static_cast<std::size_t>(sizes[static_cast<std::size_t>(r)]));
        std::size_t done = 0;  // chunked: MPI counts are ints
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
  // Rank 0's exit code for every rank, so mpirun reports one outcome.
  int agree(int code) {
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return code;
  }

 private:
  int rank_ = 0, size_ = 1;
};

}  // namespace

int main(int argc, char** argv) {
  if (!launched_by_mpirun()) return entente::cli::run(argc, argv);
  MPI_Init(&argc, &argv);
  int code = 0;
  {
    MpiDistributor d;
    code = entente::cli::run(argc, argv, &d);
    code = d.agree(code);
  }
  MPI_Finalize();
  return code;
}
