// Simulation and sensitivity split across the ranks of a Distributor (MPI). Draw i is keyed by
// (seed, i) and sensitivity entry k is computed by rank k % size, so gathering the shares on rank 0
// and merging gives exactly the one-process result. Payloads are byte copies of doubles: the ranks
// must share one floating-point format (homogeneous nodes).
#include <cstring>
#include <stdexcept>

#include "entente/analysis.hpp"

namespace entente {

namespace {
struct Writer {
  std::string out;
  template <class T>
  void pod(const T& v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void str(const std::string& s) {
    pod<std::uint64_t>(s.size());
    out += s;
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod<std::uint64_t>(v.size());
    if (!v.empty()) out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
};
struct Reader {
  const std::string& in;
  std::size_t pos = 0;
  void need(std::size_t n) {
    if (n > in.size() || pos > in.size() - n) throw std::runtime_error("truncated payload from another rank");
  }
  template <class T>
  T pod() {
    need(sizeof(T));
    T v{};
    std::memcpy(&v, in.data() + pos, sizeof v);
    pos += sizeof v;
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    need(n);
    std::string s = in.substr(pos, n);
    pos += n;
    return s;
  }
  template <class T>
  std::vector<T> vec() {
    const auto n = pod<std::uint64_t>();
    if (n > in.size() / sizeof(T)) throw std::runtime_error("truncated payload from another rank");
    need(n * sizeof(T));
    std::vector<T> v(n);
    if (n > 0) std::memcpy(v.data(), in.data() + pos, n * sizeof(T));  // empty: data() may be null
    pos += n * sizeof(T);
    return v;
  }
};

std::string serialize(const SimulationResult& r) {
  Writer w;
  w.str(r.model);
  w.pod<std::uint64_t>(r.params.values().size());
  for (const auto& [k, v] : r.params.values()) {
    w.str(k);
    w.str(v);
  }
  w.pod(r.seed);
  w.pod<std::uint8_t>(static_cast<std::uint8_t>(r.settle));
  w.pod(r.first_draw);
  w.pod(r.draws_requested);
  w.pod<std::uint64_t>(r.issue_ids.size());
  for (const auto& s : r.issue_ids) w.str(s);
  w.pod<std::uint64_t>(r.round_series.size());
  for (const auto& s : r.round_series) w.str(s);
  w.pod<std::uint8_t>(r.partial ? 1 : 0);
  w.pod(r.seconds);
  w.pod<std::uint64_t>(r.outcomes.size());
  for (const auto& o : r.outcomes) {
    w.pod(o.draw);
    w.vec(o.values);
    w.vec(o.convergence);
    w.pod<std::uint64_t>(o.probabilities.size());
    for (const auto& p : o.probabilities) w.vec(p);
    w.pod<std::uint64_t>(o.rounds.size());
    for (const auto& series : o.rounds) {
      w.pod<std::uint64_t>(series.size());
      for (const auto& round : series) w.vec(round);
    }
  }
  return w.out;
}

SimulationResult deserialize_simulation(const std::string& bytes) {
  Reader rd{bytes};
  SimulationResult r;
  r.model = rd.str();
  const auto np = rd.pod<std::uint64_t>();
  for (std::uint64_t k = 0; k < np; ++k) {
    std::string key = rd.str();
    r.params.set(key, rd.str());
  }
  r.seed = rd.pod<std::uint64_t>();
  r.settle = static_cast<Settle>(rd.pod<std::uint8_t>());
  r.first_draw = rd.pod<std::uint64_t>();
  r.draws_requested = rd.pod<std::uint64_t>();
  const auto ni = rd.pod<std::uint64_t>();
  for (std::uint64_t k = 0; k < ni; ++k) r.issue_ids.push_back(rd.str());
  const auto ns = rd.pod<std::uint64_t>();
  for (std::uint64_t k = 0; k < ns; ++k) r.round_series.push_back(rd.str());
  r.partial = rd.pod<std::uint8_t>() != 0;
  r.seconds = rd.pod<double>();
  r.outcomes.resize(rd.pod<std::uint64_t>());
  for (auto& o : r.outcomes) {
    o.draw = rd.pod<std::uint64_t>();
    o.values = rd.vec<double>();
    o.convergence = rd.vec<std::uint8_t>();
    o.probabilities.resize(rd.pod<std::uint64_t>());
    for (auto& p : o.probabilities) p = rd.vec<double>();
    o.rounds.resize(rd.pod<std::uint64_t>());
    for (auto& series : o.rounds) {
      series.resize(rd.pod<std::uint64_t>());
      for (auto& round : series) round = rd.vec<double>();
    }
  }
  return r;
}

// The contiguous share [first, first + count) of `total` items starting at `begin` for a rank.
std::pair<std::uint64_t, std::uint64_t> share(std::uint64_t begin, std::uint64_t total, int rank, int size) {
  const auto r = static_cast<std::uint64_t>(rank), n = static_cast<std::uint64_t>(size);
  const std::uint64_t base = total / n, extra = total % n;
  const std::uint64_t first = begin + r * base + std::min(r, extra);
  return {first, base + (r < extra ? 1 : 0)};
}
}  // namespace

SimulationResult simulate(const Scenario& scenario, const SimulationOptions& options, Distributor& distributor) {
  const int size = std::max(1, distributor.size()), rank = distributor.rank();
  if (size == 1) return simulate(scenario, options);
  SimulationOptions mine = options;
  std::tie(mine.first_draw, mine.draws) = share(options.first_draw, options.draws, rank, size);
  if (rank != 0) mine.progress = nullptr;
  mine.on_block = nullptr;  // ranks gather whole outcomes; rank 0 saves the merged result
  mine.keep_outcomes = true;
  SimulationResult part = simulate(scenario, mine);
  auto payloads = distributor.gather(serialize(part));
  if (rank != 0) return part;
  std::vector<SimulationResult> parts;
  for (const auto& p : payloads) parts.push_back(deserialize_simulation(p));
  return merge(std::move(parts));
}

SensitivityResult sensitivity(const Scenario& scenario, const SensitivityOptions& options, Distributor& distributor) {
  const int size = std::max(1, distributor.size()), rank = distributor.rank();
  if (size == 1) return sensitivity(scenario, options);
  SensitivityOptions mine = options;
  mine.rank = static_cast<std::size_t>(rank);
  mine.ranks = static_cast<std::size_t>(size);
  SensitivityResult r = sensitivity(scenario, mine);
  Writer w;
  for (std::size_t k = 0; k < r.entries.size(); ++k) {
    if (k % static_cast<std::size_t>(size) != static_cast<std::size_t>(rank)) continue;
    w.pod<std::uint64_t>(k);
    w.vec(r.entries[k].at_low);
    w.vec(r.entries[k].at_high);
    w.str(r.entries[k].note);
  }
  const auto payloads = distributor.gather(w.out);
  if (rank != 0) return r;
  for (std::size_t p = 1; p < payloads.size(); ++p) {
    Reader rd{payloads[p]};
    while (rd.pos < payloads[p].size()) {
      const auto k = rd.pod<std::uint64_t>();
      if (k >= r.entries.size()) throw std::runtime_error("sensitivity payload from another rank does not match");
      r.entries[k].at_low = rd.vec<double>();
      r.entries[k].at_high = rd.vec<double>();
      r.entries[k].note = rd.str();
    }
  }
  rank_entries(r);
  return r;
}

}  // namespace entente
