// Internal: the one Ctrl-C policy of the command-line front end, for every command that runs long
// or writes the run store (docs/limits.md, "Ctrl-C"). Stages, counted per command run:
//   1st Ctrl-C  the computation is cancelled (RunContext::cancel): the command keeps what has
//               finished, prints and saves it marked partial (or, for a command without partial
//               results, saves nothing), says so on stderr and exits 130. A Ctrl-C that comes once
//               the computation has finished lets the store write finish: the run is complete.
//   2nd Ctrl-C  the store write in progress (or about to start) rolls back, and the command says so.
//   3rd Ctrl-C  the process ends at once (default SIGINT action). An unfinished SQLite
//               transaction is rolled back by the next opener: the store never holds a run marked
//               complete that is not.
// `Stages::two` merges the middle stage away: the 2nd Ctrl-C ends the process at once.
#pragma once
#include <atomic>
#include <csignal>
#include <string>

#include "entente/requests.hpp"

namespace entente::cli {

class InterruptGuard {
 public:
  enum class Stages { two, three };
  // Installs the SIGINT handler (the previous one comes back in the destructor). One at a time.
  explicit InterruptGuard(Stages stages = Stages::three);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // For ModelSelection::cancel / SimulateRequest::cancel: raised by the first Ctrl-C.
  [[nodiscard]] const std::atomic<bool>* compute() const noexcept;
  // For StoreTarget::cancel: raised by the second Ctrl-C (three stages), else never.
  [[nodiscard]] const std::atomic<bool>* store() const noexcept;
  [[nodiscard]] bool interrupted() const noexcept;

  // After the request returned and its result was written: says on stderr what a Ctrl-C did
  // (the results are partial or complete; the run was saved as N, or its write rolled back) and
  // throws Exit{130} if there was one. `partial`: the response says the results are partial.
  void conclude(bool partial, const Provenance& provenance) const;
  // Before the results (seen first on a terminal): after a Ctrl-C, whether they are partial.
  void announce(bool partial) const;
};

}  // namespace entente::cli
