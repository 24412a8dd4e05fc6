// Element-wise pow, exp and log through libmvec (see vpow.hpp).
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

enum Fn { kPow, kExp, kLog, kFns };

#ifdef ENTENTE_MVEC
// libmvec's vector variants (x86_64 vector ABI names): 'b' = SSE2 2 lanes, 'd' = AVX2 4 lanes,
// 'e' = AVX-512 8 lanes. Looked up on first use rather than linked, so that commands which never
// compute a power do not load libmvec at start-up (measured: +4-6 ms CPU on `entente --version`
// when linked). One width for all functions, chosen from the CPU once.
struct Mvec {
  int lanes = 0;            // 8, 4, 2, or 0 = no libmvec
  void* fn[kFns] = {};      // called only from code compiled for that width
};
const Mvec& mvec() {
  static const Mvec m = [] {
    Mvec r;
    void* h = dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h) return r;
    auto take = [&](int lanes, const char* p, const char* e, const char* l) {
      void* f[kFns] = {dlsym(h, p), dlsym(h, e), dlsym(h, l)};
      if (!f[kPow] || !f[kExp] || !f[kLog]) return false;
      r.lanes = lanes;
      std::copy(f, f + kFns, r.fn);
      return true;
    };
    if (__builtin_cpu_supports("avx512f") && take(8, "_ZGVeN8vv_pow", "_ZGVeN8v_exp", "_ZGVeN8v_log")) return r;
    if (__builtin_cpu_supports("avx2") && take(4, "_ZGVdN4vv_pow", "_ZGVdN4v_exp", "_ZGVdN4v_log")) return r;
    take(2, "_ZGVbN2vv_pow", "_ZGVbN2v_exp", "_ZGVbN2v_log");
    return r;
  }();
  return m;
}

// One kernel per width: out = f(a[, b]); a partial tail is padded with 1s and goes through the
// same vector call, so a value never depends on where it falls in the array.
#define ENTENTE_KERNEL(NAME, ATTR, VEC, L, LOAD, STORE)                                           \
  ATTR void NAME(int fn, void* f, const double* a, const double* b, double* o, std::size_t n) {     \
    using F1 = VEC (*)(VEC);                                                                       \
    using F2 = VEC (*)(VEC, VEC);                                                                  \
    double aa[L], bb[L], oo[L];                                                                    \
    for (std::size_t i = 0; i < n; i += L) {                                                       \
      const bool tail = i + L > n;                                                                 \
      const double* x = a + i;                                                                     \
      const double* y = b ? b + i : a + i;  /* unary functions never read y */                      \
      double* out = o + i;                                                                         \
      if (tail) {                                                                                  \
        std::fill(aa, aa + L, 1.0);                                                                \
        std::fill(bb, bb + L, 1.0);                                                                \
        std::copy(a + i, a + n, aa);                                                               \
        if (b) std::copy(b + i, b + n, bb);                                                        \
        x = aa;                                                                                    \
        y = bb;                                                                                    \
        out = oo;                                                                                  \
      }                                                                                            \
      if (fn == kPow) STORE(out, reinterpret_cast<F2>(f)(LOAD(x), LOAD(y)));                        \
      else STORE(out, reinterpret_cast<F1>(f)(LOAD(x)));                                            \
      if (tail) std::copy(oo, oo + (n - i), o + i);                                                \
    }                                                                                              \
  }
ENTENTE_KERNEL(kernel8, __attribute__((target("avx512f"))), __m512d, 8, _mm512_loadu_pd, _mm512_storeu_pd)
ENTENTE_KERNEL(kernel4, __attribute__((target("avx2"))), __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd)
ENTENTE_KERNEL(kernel2, , __m128d, 2, _mm_loadu_pd, _mm_storeu_pd)
#undef ENTENTE_KERNEL
#endif

// out = f(a[, b]) for n <= chunk values.
void kernel(int fn, const double* a, const double* b, double* o, std::size_t n) {
#ifdef ENTENTE_MVEC
  const Mvec& m = mvec();
  switch (m.lanes) {
    case 8: return kernel8(fn, m.fn[fn], a, b, o, n);
    case 4: return kernel4(fn, m.fn[fn], a, b, o, n);
    case 2: return kernel2(fn, m.fn[fn], a, b, o, n);
    default: break;
  }
#endif
  for (std::size_t i = 0; i < n; ++i)  // no libmvec
    o[i] = fn == kPow ? std::pow(a[i], b[i]) : fn == kExp ? std::exp(a[i]) : std::log(a[i]);
}

constexpr std::size_t chunk = 256;

}  // namespace

void pow_array(const double* base, const double* expo, double* out, std::size_t n) {
  // In chunks so the exponent-1 fix-up below can still read the bases when out aliases base.
  double tmp[chunk];
  for (std::size_t i0 = 0; i0 < n; i0 += chunk) {
    const std::size_t k = std::min(chunk, n - i0);
    kernel(kPow, base + i0, expo + i0, tmp, k);
    for (std::size_t i = 0; i < k; ++i) out[i0 + i] = expo[i0 + i] == 1.0 ? base[i0 + i] : tmp[i];
  }
}

void pow_array(const double* base, double expo, double* out, std::size_t n) {
  if (expo == 1.0) {
    std::copy(base, base + n, out);
    return;
  }
  double e[chunk];
  std::fill(e, e + chunk, expo);
  for (std::size_t i0 = 0; i0 < n; i0 += chunk) {
    const std::size_t k = std::min(chunk, n - i0);
    kernel(kPow, base + i0, e, out + i0, k);
  }
}

void log_array(const double* in, double* out, std::size_t n) {
  for (std::size_t i0 = 0; i0 < n; i0 += chunk) kernel(kLog, in + i0, nullptr, out + i0, std::min(chunk, n - i0));
}

void exp_array(const double* in, double scale, double* out, std::size_t n) {
  double t[chunk];
  for (std::size_t i0 = 0; i0 < n; i0 += chunk) {
    const std::size_t k = std::min(chunk, n - i0);
    for (std::size_t i = 0; i < k; ++i) t[i] = scale * in[i0 + i];
    kernel(kExp, t, nullptr, out + i0, k);
  }
}

}  // namespace entente::detail
