// Internal: element-wise pow, exp and log over arrays, vectorised with glibc's libmvec where the
// CPU allows (AVX-512: 8 lanes; AVX2: 4; otherwise SSE2: 2; without libmvec or on other
// architectures: the <cmath> functions).
// libmvec is loaded with dlopen on the first call (not linked: start-up stays lean). libmvec's
// functions are within 4 ulp of the correctly rounded result (pow: 1 ulp measured against std::pow
// on 4M random pairs), so models that call them agree with their <cmath> reference to ~1e-15
// relative, not bit for bit.
// Exponent 1 returns the base exactly (callers rely on pow(b, 1) == b, e.g. bdm's risk pass).
// The lane width is chosen once per process from the CPU, and every value, also in a tail, goes
// through the same kernel, so results do not depend on threads or on how arrays are split.
#pragma once
#include <cstddef>

namespace entente::detail {

// out[i] = pow(base[i], expo[i]) for base >= 0; out may alias base.
void pow_array(const double* base, const double* expo, double* out, std::size_t n);
// out[i] = pow(base[i], expo).
void pow_array(const double* base, double expo, double* out, std::size_t n);
// out[i] = log(in[i]); out may alias in.
void log_array(const double* in, double* out, std::size_t n);
// out[i] = exp(scale * in[i]); out may alias in.
void exp_array(const double* in, double scale, double* out, std::size_t n);

}  // namespace entente::detail
