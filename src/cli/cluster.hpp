// Internal: how the CLI sees a cluster. A plain process is one rank of one; under `mpirun` the
// MPI front end (src/mpi/) fills this in, and commands that split work (simulate, sensitivity)
// run their share and gather the results on rank 0, which alone prints.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "entente/analysis.hpp"

namespace entente::cli {

struct Cluster {
  int rank = 0;
  int size = 1;
  // Collective: every rank passes its payload; rank 0 receives all payloads in rank order, the
  // others an empty vector.
  std::function<std::vector<std::string>(const std::string&)> gather;
  // Collective: rank 0's value reaches every rank (used to agree on an exit code).
  std::function<int(int)> broadcast;
};
Cluster& cluster();

// The contiguous share [first, first + count) of `total` items starting at `begin` for a rank.
std::pair<std::uint64_t, std::uint64_t> share(std::uint64_t begin, std::uint64_t total, int rank, int size);

// Byte-exact serialisation of a simulation result, to gather it across ranks (homogeneous nodes).
std::string serialize(const SimulationResult& r);
SimulationResult deserialize_simulation(const std::string& bytes);

// The sensitivity entries computed by one rank (k % size == rank), and filling them in on rank 0.
std::string serialize_entries(const SensitivityResult& r, int rank, int size);
void fill_entries(SensitivityResult& r, const std::string& bytes);

}  // namespace entente::cli
