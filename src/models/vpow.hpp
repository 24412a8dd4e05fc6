// Internal: element-wise pow over arrays, vectorised with glibc's libmvec where the CPU allows
// (AVX2: 4 lanes; otherwise SSE2: 2 lanes; without libmvec or on other architectures: std::pow).
// libmvec is loaded with dlopen on the first call (not linked: start-up stays lean). libmvec's pow is within
// 4 ulp of the correctly rounded result (1 ulp measured against std::pow on 4M random pairs), so
// models that call it agree with their std::pow reference to ~1e-15 relative, not bit for bit.
// Exponent 1 returns the base exactly (callers rely on pow(b, 1) == b, e.g. bdm's risk pass).
// The lane width is chosen once per process from the CPU, so results do not depend on threads.
#pragma once
#include <cstddef>

namespace entente::detail {

// out[i] = pow(base[i], expo[i]) for base >= 0; out may alias base.
void pow_array(const double* base, const double* expo, double* out, std::size_t n);
// out[i] = pow(base[i], expo).
void pow_array(const double* base, double expo, double* out, std::size_t n);

}  // namespace entente::detail
