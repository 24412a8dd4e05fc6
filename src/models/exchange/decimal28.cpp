// 28-digit decimal arithmetic (see decimal28.hpp). Every operation first forms the exact result
// (or an equivalent one for rounding purposes, see add_big) and then rounds it once to 28
// significant digits, half to even -- the definition Python's decimal module implements.
#include "models/exchange/decimal28.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace entente::exchange {

using namespace detail;
namespace {
using Int = boost::multiprecision::cpp_int;

Int to_int(u128 c) {
  Int r = static_cast<std::uint64_t>(c >> 64);
  r <<= 64;
  r |= static_cast<std::uint64_t>(c);
  return r;
}
u128 to_u128(const Int& c) {
  const auto lo = static_cast<std::uint64_t>(c & Int(~std::uint64_t{0}));
  const auto hi = static_cast<std::uint64_t>(c >> 64);
  return (static_cast<u128>(hi) << 64) | lo;
}

const Int& pow10_big(int n) {
  static const std::vector<Int> table = [] {
    std::vector<Int> t(400);
    t[0] = 1;
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  if (n < 0) throw std::logic_error("decimal28: negative power of ten");
  if (static_cast<std::size_t>(n) < table.size()) return table[static_cast<std::size_t>(n)];
  thread_local Int scratch;
  scratch = boost::multiprecision::pow(Int(10), static_cast<unsigned>(n));
  return scratch;
}

int digits_big(const Int& c) {
  if (c == 0) return 1;
  const auto bits = boost::multiprecision::msb(c) + 1;  // c in [2^(bits-1), 2^bits)
  if (bits <= 127) return digits128(to_u128(c));
  int n = static_cast<int>(static_cast<double>(bits - 1) * 0.30102999566398119521) + 1;  // lower estimate
  while (c >= pow10_big(n)) ++n;
  while (n > 1 && c < pow10_big(n - 1)) --n;
  return n;
}


// 256-bit unsigned as four 64-bit limbs, little endian; only what rounding a product of two
// 128-bit coefficients needs (no allocation, unlike cpp_int).
struct U256 {
  std::uint64_t w[4];
};
U256 mul128(u128 a, u128 b) {
  const auto a0 = static_cast<std::uint64_t>(a), a1 = static_cast<std::uint64_t>(a >> 64);
  const auto b0 = static_cast<std::uint64_t>(b), b1 = static_cast<std::uint64_t>(b >> 64);
  const u128 p00 = static_cast<u128>(a0) * b0, p01 = static_cast<u128>(a0) * b1;
  const u128 p10 = static_cast<u128>(a1) * b0, p11 = static_cast<u128>(a1) * b1;
  U256 r{};
  r.w[0] = static_cast<std::uint64_t>(p00);
  u128 mid = (p00 >> 64) + static_cast<std::uint64_t>(p01) + static_cast<std::uint64_t>(p10);
  r.w[1] = static_cast<std::uint64_t>(mid);
  u128 hi = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + static_cast<std::uint64_t>(p11);
  r.w[2] = static_cast<std::uint64_t>(hi);
  r.w[3] = static_cast<std::uint64_t>((hi >> 64) + (p11 >> 64));
  return r;
}
// x /= d (d < 2^64), returns the remainder.
std::uint64_t divmod_u256(U256& x, std::uint64_t d) {
  std::uint64_t r = 0;
  for (int i = 3; i >= 0; --i) {
    std::uint64_t q;
#if defined(__x86_64__)
    __asm__("divq %[d]" : "=a"(q), "+d"(r) : [d] "r"(d), "a"(x.w[i]));
#else
    const u128 num = (static_cast<u128>(r) << 64) | x.w[i];
    q = static_cast<std::uint64_t>(num / d);
    r = static_cast<std::uint64_t>(num % d);
#endif
    x.w[i] = q;
  }
  return r;
}
// Rounds a 256-bit coefficient to 28 digits (correct half-even with sticky).
Decimal28 round_u256(bool neg, U256 x, std::int64_t e) {
  if (x.w[3] == 0 && x.w[2] == 0) return round_u128(neg, (static_cast<u128>(x.w[1]) << 64) | x.w[0], e);
  // Strip digits 19 at a time while more than 38 remain, remembering whether anything nonzero
  // was dropped; then the 128-bit rounding finishes with that sticky flag. Dropping whole
  // digits below at least one kept extra digit preserves half-even correctness.
  bool sticky = false;
  while (x.w[3] != 0 || x.w[2] != 0 || ((static_cast<u128>(x.w[1]) << 64) | x.w[0]) >= P10[38]) {
    // Keep at least 30 digits: drop 19 from a value of >= 49 digits, else 8 from >= 39.
    const bool big = x.w[3] != 0 || x.w[2] >= (std::uint64_t{1} << 32);  // >= 2^160 > 10^48
    const std::uint64_t d = big ? static_cast<std::uint64_t>(P10[19]) : static_cast<std::uint64_t>(P10[8]);
    if (divmod_u256(x, d) != 0) sticky = true;
    e += big ? 19 : 8;
  }
  return round_u128(neg, (static_cast<u128>(x.w[1]) << 64) | x.w[0], e, sticky);
}

Decimal28 round_big(bool neg, const Int& c, std::int64_t e, bool sticky = false) {
  if (c == 0) return Decimal28::from_parts(neg, 0, checked_exp(e));
  const int n = digits_big(c);
  if (n <= 38) return round_u128(neg, to_u128(c), e, sticky);
  int d = n - Decimal28::precision;
  Int q, r;
  boost::multiprecision::divide_qr(c, pow10_big(d), q, r);
  const Int half = pow10_big(d) / 2;
  if (r > half || (r == half && (sticky || (q & 1) != 0))) ++q;
  u128 qq = to_u128(q);
  if (qq == P10[Decimal28::precision]) {
    qq = P10[Decimal28::precision - 1];
    ++d;
  }
  return Decimal28::from_parts(neg, qq, checked_exp(e + d));
}

struct Big {
  bool neg = false;
  Int c = 0;
  std::int64_t e = 0;
};
Big big(const ExactDecimal& x) { return Big{x.neg_, x.coeff_, x.exp_}; }
std::int64_t adjusted(const Big& x) { return x.e + digits_big(x.c) - 1; }

Decimal28 add_big(Big a, Big b) {
  if (a.c == 0 && b.c == 0) return Decimal28::from_parts(a.neg && b.neg, 0, checked_exp(std::min(a.e, b.e)));
  if (a.c == 0) return round_big(b.neg, b.c, b.e);
  if (b.c == 0) return round_big(a.neg, a.c, a.e);
  Big* hi = &a;
  Big* lo = &b;
  if (adjusted(b) > adjusted(a)) std::swap(hi, lo);
  // A far smaller operand only decides the rounding direction: replace it by one unit at a
  // position below every digit of `hi` and two places below the rounding digit. No 28-digit
  // grid point or midpoint lies between hi+lo and hi+unit, so the rounded sum is the same, and
  // the alignment below stays bounded.
  const std::int64_t ahi = adjusted(*hi);
  const std::int64_t P = std::min(hi->e, ahi - 30) - 1;
  if (adjusted(*lo) < P) {
    lo->c = 1;
    lo->e = P;
  }
  const std::int64_t e = std::min(hi->e, lo->e);
  const Int ch = hi->c * pow10_big(static_cast<int>(hi->e - e));
  const Int cl = lo->c * pow10_big(static_cast<int>(lo->e - e));
  if (hi->neg == lo->neg) return round_big(hi->neg, ch + cl, e);
  if (ch >= cl) {
    if (ch == cl) return Decimal28::from_parts(false, 0, checked_exp(e));
    return round_big(hi->neg, ch - cl, e);
  }
  return round_big(lo->neg, cl - ch, e);
}

Decimal28 mul_big(const Big& a, const Big& b) { return round_big(a.neg != b.neg, a.c * b.c, a.e + b.e); }

Decimal28 div_big(const Big& a, const Big& b) {
  if (b.c == 0) throw std::domain_error("decimal28: division by zero");
  const bool neg = a.neg != b.neg;
  if (a.c == 0) return Decimal28::from_parts(neg, 0, checked_exp(a.e - b.e));
  const int da = digits_big(a.c);
  const int db = digits_big(b.c);
  const int k = std::max(0, 30 + db - da);  // the quotient gets >= 30 digits
  Int q, r;
  boost::multiprecision::divide_qr(a.c * pow10_big(k), b.c, q, r);
  return round_big(neg, q, a.e - b.e - k, r != 0);
}

std::strong_ordering cmp_big(const Big& a, const Big& b) {
  const bool az = a.c == 0, bz = b.c == 0;
  if (az && bz) return std::strong_ordering::equal;
  const int sa = az ? 0 : (a.neg ? -1 : 1);
  const int sb = bz ? 0 : (b.neg ? -1 : 1);
  if (sa != sb) return sa <=> sb;
  // Same nonzero sign: compare magnitudes.
  std::strong_ordering mag = std::strong_ordering::equal;
  const std::int64_t aa = adjusted(a), ab = adjusted(b);
  if (aa != ab) {
    mag = aa <=> ab;
  } else {
    const std::int64_t e = std::min(a.e, b.e);
    const Int ca = a.c * pow10_big(static_cast<int>(a.e - e));
    const Int cb = b.c * pow10_big(static_cast<int>(b.e - e));
    mag = ca < cb ? std::strong_ordering::less : (ca > cb ? std::strong_ordering::greater : std::strong_ordering::equal);
  }
  if (sa > 0) return mag;
  return 0 <=> mag;
}

// Parses [sign] digits [. digits] [(e|E) [sign] digits] exactly.
ExactDecimal parse_exact(std::string_view s) {
  const std::string_view orig = s;
  auto fail = [&] { throw std::invalid_argument("decimal28: not a decimal number: '" + std::string(orig) + "'"); };
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  ExactDecimal r;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    r.neg_ = s.front() == '-';
    s.remove_prefix(1);
  }
  std::string digits;
  std::int64_t frac = 0;
  bool dot = false, any = false;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    const char ch = s[i];
    if (ch >= '0' && ch <= '9') {
      any = true;
      if (!(digits.empty() && ch == '0')) digits.push_back(ch);
      if (dot) ++frac;
    } else if (ch == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!any) fail();
  std::int64_t ex = 0;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') fail();
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i >= s.size()) fail();
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') fail();
      ex = ex * 10 + (s[i] - '0');
      if (ex > 100000000) fail();
    }
    if (eneg) ex = -ex;
  }
  r.coeff_ = digits.empty() ? Int(0) : Int(digits);
  r.exp_ = ex - frac;
  return r;
}

}  // namespace

// ---- Decimal28 --------------------------------------------------------------------------------

namespace detail {
void throw_division_by_zero() { throw std::domain_error("decimal28: division by zero"); }
void throw_exponent_range() { throw std::overflow_error("decimal28: exponent out of range"); }
Decimal28 add_slow(const Decimal28& a, const Decimal28& b) { return add_big(big(ExactDecimal(a)), big(ExactDecimal(b))); }
Decimal28 mul_slow(const Decimal28& a, const Decimal28& b) {
  return round_u256(a.negative() != b.negative(), mul128(a.coefficient(), b.coefficient()), static_cast<std::int64_t>(a.exponent()) + b.exponent());
}
// a / b when a * 10^k does not fit 128 bits (long divisors: data with many digits). The same k
// and rounding as div_big, in a fixed 256-bit integer (no allocation): a * 10^k has at most
// max(da, 30 + db) <= 68 digits, the quotient 30 to 38.
Decimal28 div_slow(const Decimal28& a, const Decimal28& b) {
  using U = boost::multiprecision::uint256_t;
  auto wide = [](u128 v) {
    U r = static_cast<std::uint64_t>(v >> 64);
    r <<= 64;
    r |= static_cast<std::uint64_t>(v);
    return r;
  };
  static const std::array<U, 69> p10 = [] {
    std::array<U, 69> t{};
    t[0] = 1;
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  const int da = digits128(a.coefficient());
  const int db = digits128(b.coefficient());
  const int k = std::max(0, 30 + db - da);
  U q, r;
  boost::multiprecision::divide_qr(wide(a.coefficient()) * p10[static_cast<std::size_t>(k)], wide(b.coefficient()), q, r);
  const u128 qq = (static_cast<u128>(static_cast<std::uint64_t>(q >> 64)) << 64) | static_cast<std::uint64_t>(q);
  return round_u128(a.negative() != b.negative(), qq, static_cast<std::int64_t>(a.exponent()) - b.exponent() - k, r != 0);
}
}  // namespace detail

Decimal28::Decimal28(int v) : coeff_(static_cast<u128>(v < 0 ? -static_cast<long long>(v) : v)), neg_(v < 0) {}

Decimal28 Decimal28::from_parts(bool negative, u128 coefficient, std::int32_t exponent) {
  if (coefficient >= P10[38]) [[unlikely]]
    throw std::logic_error("decimal28: coefficient has more than 38 digits");
  Decimal28 d;
  d.neg_ = negative;
  d.coeff_ = coefficient;
  d.exp_ = exponent;
  return d;
}

Decimal28 Decimal28::parse(std::string_view text) {
  ExactDecimal x = parse_exact(text);
  if (!x.fits38()) throw std::invalid_argument("decimal28: more than 38 significant digits: '" + std::string(text) + "'");
  return x.truncate38();
}

Decimal28 Decimal28::from_double_shortest(double v) {
  if (!std::isfinite(v)) throw std::invalid_argument("decimal28: not a finite number");
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) throw std::logic_error("decimal28: to_chars failed");
  return parse(std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

std::string Decimal28::to_string() const { return ExactDecimal(*this).to_string(); }

double Decimal28::to_double() const {
  if (coeff_ == 0) return 0.0;
  const bool neg = negative();
  // Clinger's fast path: an exact integer below 2^53 times or over an exact power of ten, one
  // correctly rounded operation.
  if (coeff_ < (u128{1} << 53) && exp_ >= -22 && exp_ <= 22) {
    const auto m = static_cast<double>(static_cast<std::uint64_t>(coeff_));
    const double r = exp_ < 0 ? m / P10D[static_cast<std::size_t>(60 - exp_)] : m * P10D[static_cast<std::size_t>(60 + exp_)];
    return neg ? -r : r;
  }
  // Otherwise "<coefficient>E<exponent>", read by from_chars: correctly rounded.
  char buf[64];
  char* p = buf;
  if (neg) *p++ = '-';
  std::uint64_t lo = 0;
  const u128 hi = divmod64(coeff_, 10000000000000000000ULL, lo);  // < 10^19: the coefficient is < 10^38
  if (hi != 0) {
    p = std::to_chars(p, buf + sizeof buf, static_cast<std::uint64_t>(hi)).ptr;
    char tmp[20];
    char* t = std::to_chars(tmp, tmp + sizeof tmp, lo).ptr;
    const auto n = static_cast<std::size_t>(t - tmp);
    for (std::size_t i = n; i < 19; ++i) *p++ = '0';
    for (char* q = tmp; q < t; ++q) *p++ = *q;
  } else {
    p = std::to_chars(p, buf + sizeof buf, lo).ptr;
  }
  *p++ = 'E';
  p = std::to_chars(p, buf + sizeof buf, exp_).ptr;
  double r = 0;
  const auto res = std::from_chars(buf, p, r, std::chars_format::scientific);
  if (res.ec == std::errc::result_out_of_range) return std::strtod(std::string(buf, p).c_str(), nullptr);  // inf or a subnormal
  return r;
}

// ---- ExactDecimal -----------------------------------------------------------------------------

ExactDecimal::ExactDecimal(const Decimal28& d) : neg_(d.neg_), coeff_(to_int(d.coeff_)), exp_(d.exp_) {}

ExactDecimal ExactDecimal::parse(std::string_view text) { return parse_exact(text); }

ExactDecimal ExactDecimal::from_double(double v) {
  if (!std::isfinite(v)) throw std::invalid_argument("decimal28: not a finite number");
  ExactDecimal r;
  r.neg_ = std::signbit(v);
  int e = 0;
  const double m = std::frexp(std::fabs(v), &e);  // |v| = m * 2^e, m in [0.5, 1)
  auto mant = static_cast<std::uint64_t>(std::ldexp(m, 53));  // exact: 53-bit integer
  e -= 53;
  while (mant != 0 && (mant & 1) == 0 && e < 0) {
    mant >>= 1;
    ++e;
  }
  if (e >= 0) {
    r.coeff_ = Int(mant) << e;
    r.exp_ = 0;
  } else {
    // mant * 2^e = mant * 5^-e * 10^e
    r.coeff_ = Int(mant) * boost::multiprecision::pow(Int(5), static_cast<unsigned>(-e));
    r.exp_ = e;
  }
  return r;
}

bool ExactDecimal::fits38() const {
  // Trailing zeros can be dropped without changing the value.
  Int c = coeff_;
  while (c != 0 && c % 10 == 0) c /= 10;
  return digits_big(c) <= 38;
}

Decimal28 ExactDecimal::truncate38() const {
  Int c = coeff_;
  std::int64_t e = exp_;
  while (c != 0 && c % 10 == 0) {
    c /= 10;
    ++e;
  }
  const int n = digits_big(c);
  if (n > 38) {
    c /= pow10_big(n - 38);
    e += n - 38;
  }
  Decimal28 d = Decimal28::from_parts(neg_, to_u128(c), checked_exp(e));
  return d;
}

std::string ExactDecimal::to_string() const {
  // Python's Decimal.__str__ rules (scientific when the exponent is positive or the number is
  // very small).
  const std::string digits = coeff_.str();
  const std::int64_t adj = exp_ + static_cast<std::int64_t>(digits.size()) - 1;
  std::string out = negative() || (neg_ && coeff_ == 0) ? "-" : "";
  if (exp_ <= 0 && adj >= -6) {
    if (exp_ == 0) return out + digits;
    const std::int64_t point = static_cast<std::int64_t>(digits.size()) + exp_;  // digits before the point
    if (point > 0) return out + digits.substr(0, static_cast<std::size_t>(point)) + "." + digits.substr(static_cast<std::size_t>(point));
    return out + "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
  }
  std::string mant = digits.substr(0, 1);
  if (digits.size() > 1) mant += "." + digits.substr(1);
  return out + mant + "E" + (adj >= 0 ? "+" : "") + std::to_string(adj);
}

std::strong_ordering operator<=>(const ExactDecimal& a, const ExactDecimal& b) { return cmp_big(big(a), big(b)); }

Decimal28 add(const ExactDecimal& a, const ExactDecimal& b) { return add_big(big(a), big(b)); }
Decimal28 sub(const ExactDecimal& a, const ExactDecimal& b) {
  Big nb = big(b);
  nb.neg = !nb.neg;
  return add_big(big(a), nb);
}
Decimal28 mul(const ExactDecimal& a, const ExactDecimal& b) { return mul_big(big(a), big(b)); }
Decimal28 div(const ExactDecimal& a, const ExactDecimal& b) { return div_big(big(a), big(b)); }
Decimal28 round28(const ExactDecimal& a) { return round_big(a.neg_, a.coeff_, a.exp_); }

}  // namespace entente::exchange
