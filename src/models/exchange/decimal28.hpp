// A 28-digit decimal floating-point number with round-half-even, as Python's `decimal` module
// computes with its default context (prec=28, ROUND_HALF_EVEN, exponent limits so wide they never
// bind). Every + - * / is correctly rounded from the exact result; comparisons are exact.
//
// Why: the Decide exchange model decides some ties and caps by rounding noise in the 27th-28th
// digit (docs/models/exchange.md, spec section 11), so reproducing it needs the same arithmetic.
// libmpdec is not packaged in Debian 12 and decimal128 has 34 digits.
//
// Two types:
//  - Decimal28: every result of arithmetic; the coefficient has at most 38 digits (results have at
//    most 28, parsed input at most 38), held in a 128-bit integer, so the common operations never
//    allocate.
//  - ExactDecimal: any number of digits (e.g. Decimal(0.4) converted exactly from a binary double
//    has 55 digits); usable as an operand of the four operations and comparisons with Decimal28.
//    The result of a mixed operation is rounded to 28 digits like every other result.
#pragma once
#include <boost/multiprecision/cpp_int.hpp>
#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace entente::exchange {

__extension__ typedef unsigned __int128 u128;  // __extension__: allowed under -Wpedantic

class ExactDecimal;

class Decimal28 {
 public:
  static constexpr int precision = 28;

  constexpr Decimal28() = default;
  Decimal28(int v);  // NOLINT: exact, like Decimal(int)
  // Parses decimal text ("0.75", "-1.5E-3", "100"): exact; throws std::invalid_argument on bad
  // text or more than 38 significant digits (use ExactDecimal for those).
  static Decimal28 parse(std::string_view text);
  // The shortest decimal text that reads back as `v` (what the input file said for numbers that
  // were typed with at most 17 significant digits), parsed exactly. Throws on NaN/infinity.
  static Decimal28 from_double_shortest(double v);
  // Builds sign * coefficient * 10^exponent; coefficient < 10^38.
  static Decimal28 from_parts(bool negative, u128 coefficient, std::int32_t exponent);

  [[nodiscard]] double to_double() const;      // correctly rounded to the nearest double
  // Within a few units in the last place of the nearest double, much faster than to_double().
  [[nodiscard]] double approx() const noexcept;
  [[nodiscard]] std::string to_string() const;  // plain scientific-free text, e.g. "-12.5", "1E-30"
  [[nodiscard]] bool is_zero() const noexcept { return coeff_ == 0; }
  [[nodiscard]] bool negative() const noexcept { return neg_ && coeff_ != 0; }
  [[nodiscard]] u128 coefficient() const noexcept { return coeff_; }
  [[nodiscard]] std::int32_t exponent() const noexcept { return exp_; }

  friend inline Decimal28 operator+(const Decimal28& a, const Decimal28& b);
  friend inline Decimal28 operator-(const Decimal28& a, const Decimal28& b);
  friend inline Decimal28 operator*(const Decimal28& a, const Decimal28& b);
  friend inline Decimal28 operator/(const Decimal28& a, const Decimal28& b);  // throws std::domain_error on /0
  friend Decimal28 operator-(const Decimal28& a) {
    Decimal28 r = a;
    r.neg_ = !r.neg_;
    return r;
  }
  Decimal28& operator+=(const Decimal28& b) { return *this = *this + b; }
  Decimal28& operator-=(const Decimal28& b) { return *this = *this - b; }
  Decimal28& operator*=(const Decimal28& b) { return *this = *this * b; }
  Decimal28& operator/=(const Decimal28& b) { return *this = *this / b; }

  friend inline std::strong_ordering operator<=>(const Decimal28& a, const Decimal28& b);
  friend bool operator==(const Decimal28& a, const Decimal28& b) { return (a <=> b) == 0; }

  // Unchecked construction for the arithmetic (coefficient < 10^38).
  static Decimal28 raw(bool negative, u128 coefficient, std::int32_t exponent) noexcept {
    Decimal28 d;
    d.neg_ = negative;
    d.coeff_ = coefficient;
    d.exp_ = exponent;
    return d;
  }

 private:
  friend class ExactDecimal;
  u128 coeff_ = 0;
  std::int32_t exp_ = 0;
  bool neg_ = false;
};

inline Decimal28 abs(const Decimal28& a) { return a.negative() ? -a : a; }

// ---- Inline fast paths (128-bit exact intermediate results) --------------------------------

namespace detail {
[[noreturn]] void throw_division_by_zero();
[[noreturn]] void throw_exponent_range();
Decimal28 add_slow(const Decimal28& a, const Decimal28& b);
Decimal28 mul_slow(const Decimal28& a, const Decimal28& b);
Decimal28 div_slow(const Decimal28& a, const Decimal28& b);
inline std::int32_t checked_exp(std::int64_t e) {
  if (e > 100000000 || e < -100000000) [[unlikely]] throw_exponent_range();
  return static_cast<std::int32_t>(e);
}
constexpr std::array<u128, 39> make_pow10() {
  std::array<u128, 39> t{};
  t[0] = 1;
  for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
  return t;
}
constexpr std::array<u128, 39> P10 = make_pow10();

inline int digits128(u128 c) {
  if (c == 0) return 1;
  // Bit length -> digit estimate (1233/4096 ~ log10 2), corrected by one table comparison.
  const auto hi = static_cast<std::uint64_t>(c >> 64);
  const int bits = hi != 0 ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll(static_cast<std::uint64_t>(c));
  const int est = (bits * 1233) >> 12;  // floor(log10(2^bits)) <= digits
  return est + (c >= P10[static_cast<std::size_t>(est)] ? 1 : 0);
}

// 128 by 64-bit division (the divisor fits in 64 bits): two hardware divisions instead of the
// generic libgcc routine.
inline u128 divmod64(u128 c, std::uint64_t d, std::uint64_t& rem) {
#if defined(__x86_64__)
  const auto hi = static_cast<std::uint64_t>(c >> 64);
  const auto lo = static_cast<std::uint64_t>(c);
  const std::uint64_t qhi = hi / d;
  std::uint64_t r = hi % d;
  std::uint64_t qlo;
  __asm__("divq %[d]" : "=a"(qlo), "+d"(r) : [d] "r"(d), "a"(lo));
  rem = r;
  return (static_cast<u128>(qhi) << 64) | qlo;
#else
  const u128 q = c / d;
  rem = static_cast<std::uint64_t>(c - q * d);
  return q;
#endif
}

// Rounds c (with a sticky flag: the true value is slightly above c, below the next unit) to 28
// digits, half to even. Precondition: sticky only if c has more than 28 digits.
inline Decimal28 round_u128(bool neg, u128 c, std::int64_t e, bool sticky = false) {
  if (c < P10[Decimal28::precision]) return Decimal28::raw(neg, c, checked_exp(e));
  const int n = digits128(c);
  if (n <= Decimal28::precision) return Decimal28::raw(neg, c, checked_exp(e));
  int d = n - Decimal28::precision;  // 1..11: 10^d fits in 64 bits
  const auto p = static_cast<std::uint64_t>(P10[static_cast<std::size_t>(d)]);
  std::uint64_t r = 0;
  u128 q = divmod64(c, p, r);
  const std::uint64_t half = p / 2;
  if (r > half || (r == half && (sticky || (q & 1) != 0))) ++q;
  if (q == P10[Decimal28::precision]) {
    q = P10[Decimal28::precision - 1];
    ++d;
  }
  return Decimal28::raw(neg, q, checked_exp(e + d));
}

// 10^-60 .. 10^60, each the correctly rounded double (exact up to 10^22).
inline constexpr std::array<double, 2 * 60 + 1> P10D = {
    1e-60, 1e-59, 1e-58, 1e-57, 1e-56, 1e-55, 1e-54, 1e-53, 1e-52, 1e-51,
    1e-50, 1e-49, 1e-48, 1e-47, 1e-46, 1e-45, 1e-44, 1e-43, 1e-42, 1e-41,
    1e-40, 1e-39, 1e-38, 1e-37, 1e-36, 1e-35, 1e-34, 1e-33, 1e-32, 1e-31,
    1e-30, 1e-29, 1e-28, 1e-27, 1e-26, 1e-25, 1e-24, 1e-23, 1e-22, 1e-21,
    1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11,
    1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
    1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29,
    1e30, 1e31, 1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39,
    1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47, 1e48, 1e49,
    1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59,
    1e60,
};

}  // namespace detail

inline double Decimal28::approx() const noexcept {
  if (exp_ < -60 || exp_ > 60) return to_double();
  const double m = static_cast<double>(coeff_) * detail::P10D[static_cast<std::size_t>(exp_ + 60)];
  return neg_ ? -m : m;
}

inline Decimal28 operator+(const Decimal28& a, const Decimal28& b) {
  if (a.coeff_ == 0 && b.coeff_ != 0) return detail::round_u128(b.neg_, b.coeff_, b.exp_);
  if (b.coeff_ == 0 && a.coeff_ != 0) return detail::round_u128(a.neg_, a.coeff_, a.exp_);
  if (a.coeff_ != 0 && b.coeff_ != 0) {
    // Fast path: align exactly in 128 bits when it fits.
    const Decimal28* h = &a;
    const Decimal28* l = &b;
    if (b.exp_ > a.exp_) std::swap(h, l);
    const std::int64_t diff = static_cast<std::int64_t>(h->exp_) - l->exp_;
    u128 ch = 0;
    if (diff <= 38 && h->coeff_ < detail::P10[static_cast<std::size_t>(38 - diff)]) {  // no overflow: < 10^38
      ch = h->coeff_ * detail::P10[static_cast<std::size_t>(diff)];
      if (h->neg_ == l->neg_) {
        u128 s = 0;
        if (!__builtin_add_overflow(ch, l->coeff_, &s)) return detail::round_u128(h->neg_, s, l->exp_);
      } else if (ch >= l->coeff_) {
        if (ch == l->coeff_) return Decimal28::raw(false, 0, l->exp_);
        return detail::round_u128(h->neg_, ch - l->coeff_, l->exp_);
      } else {
        return detail::round_u128(l->neg_, l->coeff_ - ch, l->exp_);
      }
    }
  }
  return detail::add_slow(a, b);
}

inline Decimal28 operator-(const Decimal28& a, const Decimal28& b) { return a + (-b); }

inline Decimal28 operator*(const Decimal28& a, const Decimal28& b) {
  u128 p = 0;
  if (!__builtin_mul_overflow(a.coeff_, b.coeff_, &p))
    return detail::round_u128(a.neg_ != b.neg_, p, static_cast<std::int64_t>(a.exp_) + b.exp_);
  return detail::mul_slow(a, b);
}

inline Decimal28 operator/(const Decimal28& a, const Decimal28& b) {
  if (b.coeff_ == 0) detail::throw_division_by_zero();
  const bool neg = a.neg_ != b.neg_;
  if (a.coeff_ == 0) return Decimal28::raw(neg, 0, detail::checked_exp(static_cast<std::int64_t>(a.exp_) - b.exp_));
  const int da = detail::digits128(a.coeff_);
  const int db = detail::digits128(b.coeff_);
  const int k = std::max(0, 30 + db - da);
  if (da + k <= 38) {  // numerator < 10^38 fits; the quotient has 30..38 digits
    const u128 num = a.coeff_ * detail::P10[static_cast<std::size_t>(k)];
    // db <= 8 here (30 + db digits fit in 38), so the divisor fits in 64 bits.
    std::uint64_t r = 0;
    const u128 q = detail::divmod64(num, static_cast<std::uint64_t>(b.coeff_), r);
    return detail::round_u128(neg, q, static_cast<std::int64_t>(a.exp_) - b.exp_ - k, r != 0);
  }
  return detail::div_slow(a, b);
}

inline std::strong_ordering operator<=>(const Decimal28& a, const Decimal28& b) {
  const bool az = a.coeff_ == 0, bz = b.coeff_ == 0;
  if (az && bz) return std::strong_ordering::equal;
  const int sa = az ? 0 : (a.neg_ ? -1 : 1);
  const int sb = bz ? 0 : (b.neg_ ? -1 : 1);
  if (sa != sb) return sa <=> sb;
  if (a.exp_ == b.exp_) return sa > 0 ? a.coeff_ <=> b.coeff_ : b.coeff_ <=> a.coeff_;
  const int na = detail::digits128(a.coeff_), nb = detail::digits128(b.coeff_);
  const std::int64_t aa = static_cast<std::int64_t>(a.exp_) + na, ab = static_cast<std::int64_t>(b.exp_) + nb;
  std::strong_ordering mag = std::strong_ordering::equal;
  if (aa != ab) {
    mag = aa <=> ab;
  } else {
    // Same adjusted exponent: align the one with the larger exponent; it keeps <= 38 digits.
    u128 ca = a.coeff_, cb = b.coeff_;
    if (a.exp_ > b.exp_) ca *= detail::P10[static_cast<std::size_t>(a.exp_ - b.exp_)];
    else if (b.exp_ > a.exp_) cb *= detail::P10[static_cast<std::size_t>(b.exp_ - a.exp_)];
    mag = ca <=> cb;
  }
  if (sa > 0) return mag;
  return 0 <=> mag;
}


// An exact decimal of any length: sign * coefficient * 10^exponent.
class ExactDecimal {
 public:
  using Int = boost::multiprecision::cpp_int;
  ExactDecimal() = default;
  ExactDecimal(const Decimal28& d);  // NOLINT: exact widening
  static ExactDecimal parse(std::string_view text);
  // Exact value of a binary double, like Python's Decimal(float): 0.1 has 55 digits.
  static ExactDecimal from_double(double v);

  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] bool negative() const noexcept { return neg_ && coeff_ != 0; }
  [[nodiscard]] const Int& coefficient() const noexcept { return coeff_; }
  [[nodiscard]] std::int64_t exponent() const noexcept { return exp_; }
  // The largest decimal with at most 38 significant digits that is <= |value|, with the sign.
  // Used for fast exact threshold tests: for any Decimal28 m, m <= T iff m <= truncate38(T)
  // when T >= 0 (no number of <= 38 digits lies strictly between them; see decimal28.cpp).
  [[nodiscard]] Decimal28 truncate38() const;
  [[nodiscard]] bool fits38() const;  // exactly representable as a Decimal28

  friend std::strong_ordering operator<=>(const ExactDecimal& a, const ExactDecimal& b);
  friend bool operator==(const ExactDecimal& a, const ExactDecimal& b) { return (a <=> b) == 0; }

  bool neg_ = false;
  Int coeff_ = 0;
  std::int64_t exp_ = 0;
};

// Mixed operations: exact operands of any length, result rounded to 28 digits.
Decimal28 add(const ExactDecimal& a, const ExactDecimal& b);
Decimal28 sub(const ExactDecimal& a, const ExactDecimal& b);
Decimal28 mul(const ExactDecimal& a, const ExactDecimal& b);
Decimal28 div(const ExactDecimal& a, const ExactDecimal& b);
// Rounds an exact value to 28 digits (Python: `+x` or `x.normalize`-free context plus).
Decimal28 round28(const ExactDecimal& a);

}  // namespace entente::exchange
