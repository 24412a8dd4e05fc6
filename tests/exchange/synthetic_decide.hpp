// A random Decide-like scenario for timings and parallel tests: positions on 0-100 in steps of 5,
// salience 0.3-1 and power 0.05-1 in steps of 0.05 (two-digit data like the real files), every
// actor on every issue, one power per actor. Shared by bench/bench_exchange.cpp and the tests.
#pragma once
#include <cstdint>
#include <string>

#include "entente/random.hpp"
#include "entente/scenario.hpp"

namespace entente::testing {

inline Scenario synthetic_decide(int actors, int issues, std::uint64_t seed) {
  Scenario sc;
  Rng rng(seed, 1);
  for (int k = 0; k < issues; ++k) {
    Issue is;
    is.id = "issue" + std::to_string(k);
    sc.issues.push_back(is);
  }
  for (int a = 0; a < actors; ++a) {
    Actor ac;
    ac.id = "actor" + std::to_string(a);
    ac.capability.value = 1;
    const double power = 0.05 * static_cast<double>(1 + rng.below(20));
    for (int k = 0; k < issues; ++k) {
      Stance st;
      st.position.value = 5.0 * static_cast<double>(rng.below(21));
      st.salience.value = 0.05 * static_cast<double>(6 + rng.below(15));
      st.capability = Quantity{};
      st.capability->value = power;
      ac.stances.push_back(st);
    }
    sc.actors.push_back(ac);
  }
  return sc;
}

}  // namespace entente::testing
