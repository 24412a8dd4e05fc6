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
  [[nodiscard]] std::string to_string() const;  // plain scientific-free text, e.g. "-12.5", "1E-30"
  [[nodiscard]] bool is_zero() const noexcept { return coeff_ == 0; }
  [[nodiscard]] bool negative() const noexcept { return neg_ && coeff_ != 0; }
  [[nodiscard]] u128 coefficient() const noexcept { return coeff_; }
  [[nodiscard]] std::int32_t exponent() const noexcept { return exp_; }

  friend Decimal28 operator+(const Decimal28& a, const Decimal28& b);
  friend Decimal28 operator-(const Decimal28& a, const Decimal28& b);
  friend Decimal28 operator*(const Decimal28& a, const Decimal28& b);
  friend Decimal28 operator/(const Decimal28& a, const Decimal28& b);  // throws std::domain_error on /0
  friend Decimal28 operator-(const Decimal28& a) {
    Decimal28 r = a;
    r.neg_ = !r.neg_;
    return r;
  }
  Decimal28& operator+=(const Decimal28& b) { return *this = *this + b; }
  Decimal28& operator-=(const Decimal28& b) { return *this = *this - b; }
  Decimal28& operator*=(const Decimal28& b) { return *this = *this * b; }
  Decimal28& operator/=(const Decimal28& b) { return *this = *this / b; }

  friend std::strong_ordering operator<=>(const Decimal28& a, const Decimal28& b);
  friend bool operator==(const Decimal28& a, const Decimal28& b) { return (a <=> b) == 0; }

 private:
  friend class ExactDecimal;
  u128 coeff_ = 0;
  std::int32_t exp_ = 0;
  bool neg_ = false;
};

inline Decimal28 abs(const Decimal28& a) { return a.negative() ? -a : a; }

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
