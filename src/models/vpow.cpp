// Element-wise pow through libmvec (see vpow.hpp).
#include "models/vpow.hpp"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && defined(__GLIBC__)
#include <dlfcn.h>
#include <immintrin.h>
#define ENTENTE_MVEC 1
#endif

namespace entente::detail {

namespace {

#ifdef ENTENTE_MVEC
// libmvec's vector variants (x86_64 vector ABI names): 'b' = SSE2 2 lanes, 'd' = AVX2 4 lanes.
// Looked up on first use rather than linked, so that commands which never compute a power do
// not load libmvec at start-up (measured: +4-6 ms CPU on `entente --version` when linked).
using Pow2 = __m128d (*)(__m128d, __m128d);
struct Mvec {
  void* pow4 = nullptr;  // __m256d (*)(__m256d, __m256d), called only from AVX2 code
  Pow2 pow2 = nullptr;
};
const Mvec& mvec() {
  static const Mvec m = [] {
    Mvec r;
    if (void* h = dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL)) {
      if (__builtin_cpu_supports("avx2")) r.pow4 = dlsym(h, "_ZGVdN4vv_pow");
      r.pow2 = reinterpret_cast<Pow2>(dlsym(h, "_ZGVbN2vv_pow"));
    }
    return r;
  }();
  return m;
}

__attribute__((target("avx2"))) void pow_avx2(void* fn, const double* b, const double* e, double* o, std::size_t n) {
  using Pow4 = __m256d (*)(__m256d, __m256d);
  const auto pow4 = reinterpret_cast<Pow4>(fn);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(o + i, pow4(_mm256_loadu_pd(b + i), _mm256_loadu_pd(e + i)));
  if (i < n) {  // the tail through the same kernel, so a value never depends on where it falls
    double bb[4] = {1, 1, 1, 1}, ee[4] = {1, 1, 1, 1}, oo[4];
    std::copy(b + i, b + n, bb);
    std::copy(e + i, e + n, ee);
    _mm256_storeu_pd(oo, pow4(_mm256_loadu_pd(bb), _mm256_loadu_pd(ee)));
    std::copy(oo, oo + (n - i), o + i);
  }
}
void pow_sse2(Pow2 pow2, const double* b, const double* e, double* o, std::size_t n) {
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) _mm_storeu_pd(o + i, pow2(_mm_loadu_pd(b + i), _mm_loadu_pd(e + i)));
  if (i < n) {
    const double bb[2] = {b[i], 1}, ee[2] = {e[i], 1};
    double oo[2];
    _mm_storeu_pd(oo, pow2(_mm_loadu_pd(bb), _mm_loadu_pd(ee)));
    o[i] = oo[0];
  }
}
#endif

void pow_kernel(const double* b, const double* e, double* o, std::size_t n) {
#ifdef ENTENTE_MVEC
  const Mvec& m = mvec();
  if (m.pow4) return pow_avx2(m.pow4, b, e, o, n);
  if (m.pow2) return pow_sse2(m.pow2, b, e, o, n);
#endif
  for (std::size_t i = 0; i < n; ++i) o[i] = std::pow(b[i], e[i]);  // no libmvec
}

}  // namespace

void pow_array(const double* base, const double* expo, double* out, std::size_t n) {
  // In chunks so the exponent-1 fix-up below can still read the bases when out aliases base.
  constexpr std::size_t chunk = 256;
  double tmp[chunk];
  for (std::size_t i0 = 0; i0 < n; i0 += chunk) {
    const std::size_t k = std::min(chunk, n - i0);
    pow_kernel(base + i0, expo + i0, tmp, k);
    for (std::size_t i = 0; i < k; ++i) out[i0 + i] = expo[i0 + i] == 1.0 ? base[i0 + i] : tmp[i];
  }
}

void pow_array(const double* base, double expo, double* out, std::size_t n) {
  if (expo == 1.0) {
    std::copy(base, base + n, out);
    return;
  }
  constexpr std::size_t chunk = 256;
  double e[chunk];
  std::fill(e, e + chunk, expo);
  for (std::size_t i0 = 0; i0 < n; i0 += chunk) {
    const std::size_t k = std::min(chunk, n - i0);
    pow_kernel(base + i0, e, out + i0, k);
  }
}

}  // namespace entente::detail
