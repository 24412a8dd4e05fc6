// The one SIGINT handler of the command-line front end (interrupt.hpp says the stages).
#include "cli/interrupt.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/command.hpp"

namespace entente::cli {
namespace {

std::atomic<bool> compute_flag{false};
std::atomic<bool> store_flag{false};
std::atomic<int> presses{0};
std::atomic<int> last_stage{3};
struct sigaction previous {};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the SIGINT handler needs lock-free atomics");

void to_default() {
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
}

// Async-signal-safe: atomics and sigaction only.
extern "C" void on_sigint(int) {
  const int n = presses.fetch_add(1) + 1;
  compute_flag.store(true);
  if (n >= 2) store_flag.store(true);
  if (n + 1 >= last_stage.load()) to_default();  // the next Ctrl-C ends the process
}

}  // namespace

InterruptGuard::InterruptGuard(Stages stages) {
  compute_flag.store(false);
  store_flag.store(false);
  presses.store(0);
  last_stage.store(stages == Stages::three ? 3 : 2);
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &previous);
}

InterruptGuard::~InterruptGuard() { sigaction(SIGINT, &previous, nullptr); }

const std::atomic<bool>* InterruptGuard::compute() const noexcept { return &compute_flag; }
const std::atomic<bool>* InterruptGuard::store() const noexcept { return last_stage.load() == 3 ? &store_flag : nullptr; }
bool InterruptGuard::interrupted() const noexcept { return compute_flag.load(); }

void InterruptGuard::announce(bool partial) const {
  if (!speaker()) return;
  if (partial) std::cerr << "entente: interrupted: the results below are partial (only what had finished)\n";
  else if (interrupted()) std::cerr << "entente: interrupted after the computation had finished: the results below are complete\n";
}

void InterruptGuard::conclude(bool partial, const Provenance& p) const {
  if (!partial && !interrupted()) return;
  if (speaker()) {
    // Say what became of the store write, terminal or not.
    if (p.run_id > 0)
      std::cerr << fmt::format("entente: the store write finished: {} saved as run {} in {}{}\n",
                               partial ? "the partial results were" : "the complete results were", p.run_id, p.store_path,
                               partial ? " (marked partial)" : "");
    else if (store_flag.load() && !p.store_path.empty())
      std::cerr << fmt::format("entente: the store write was rolled back: nothing was saved in {}\n", p.store_path);
    else if (!p.store_path.empty())
      std::cerr << fmt::format("entente: nothing was saved in {}\n", p.store_path);
  }
  throw Exit{exit_interrupted};
}

}  // namespace entente::cli
