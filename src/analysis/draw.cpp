// Draws of the scenario's uncertain inputs. Portable math only: the bits come from entente::Rng
// (xoshiro256**), and the transforms use only +, *, sqrt, log and erfc.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/internal.hpp"
#include "entente/analysis.hpp"
#include "entente/scores.hpp"

namespace entente {

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

// The standard normal's CDF and quantile (Acklam's approximation polished to machine precision)
// are the scores' (include/entente/scores.hpp): one implementation for draws and scores.
double phi_cdf(double z) { return scores::normal_cdf(z); }
double phi_inverse(double p) {
  if (p <= 0) return -inf;
  if (p >= 1) return inf;
  return scores::normal_quantile(p);
}

// Truncation bounds of a normal: its own [low, high] intersected with the field's bounds
// (unset bounds, low >= high, mean the field's).
void normal_bounds(const Uncertainty& u, double field_low, double field_high, double& lo, double& hi) {
  lo = field_low;
  hi = field_high;
  if (u.low < u.high) {
    lo = std::max(lo, u.low);
    hi = std::min(hi, u.high);
  }
}

double normal_mean(const Uncertainty& u, double value) { return u.mean != 0 || value == 0 ? u.mean : value; }

double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

double triangular_inverse(double a, double c, double b, double p) {
  if (b <= a) return a;
  const double fc = (c - a) / (b - a);
  if (p < fc) return a + std::sqrt(p * (b - a) * (c - a));
  return b - std::sqrt((1 - p) * (b - a) * (b - c));
}

double truncated_normal_inverse(double mu, double sd, double lo, double hi, double p) {
  const double pa = phi_cdf((lo - mu) / sd);
  const double pb = phi_cdf((hi - mu) / sd);
  const double x = mu + sd * phi_inverse(pa + p * (pb - pa));
  return clamp(x, lo, hi);
}
}  // namespace

double draw_value(const Uncertainty& u, double value, double field_low, double field_high, Rng& rng) {
  double x = value;
  switch (u.kind) {
    case Uncertainty::Kind::none: return value;
    case Uncertainty::Kind::range:
    case Uncertainty::Kind::uniform: x = rng.uniform(u.low, u.high); break;
    case Uncertainty::Kind::triangular: x = triangular_inverse(u.low, u.mode, u.high, rng.uniform()); break;
    case Uncertainty::Kind::normal: {
      double lo, hi;
      normal_bounds(u, field_low, field_high, lo, hi);
      const double mu = normal_mean(u, value);
      if (!(u.sd > 0)) {
        x = mu;
        break;
      }
      const double mass = phi_cdf((hi - mu) / u.sd) - phi_cdf((lo - mu) / u.sd);
      bool done = false;
      if (mass >= 0.25) {
        // Rejection: exact and cheap while most of the mass is inside; bounded, so never hangs.
        for (int tries = 0; tries < 200 && !done; ++tries) {
          const double z = mu + u.sd * rng.normal();
          if (z >= lo && z <= hi) {
            x = z;
            done = true;
          }
        }
      }
      if (!done) x = truncated_normal_inverse(mu, u.sd, lo, hi, rng.uniform());
      break;
    }
  }
  return clamp(x, field_low, field_high);
}

double uncertainty_quantile(const Uncertainty& u, double value, double q) {
  switch (u.kind) {
    case Uncertainty::Kind::none: return value;
    case Uncertainty::Kind::range:
    case Uncertainty::Kind::uniform: return u.low + q * (u.high - u.low);
    case Uncertainty::Kind::triangular: return triangular_inverse(u.low, u.mode, u.high, q);
    case Uncertainty::Kind::normal: {
      const double mu = normal_mean(u, value);
      if (!(u.sd > 0)) return mu;
      double lo = -inf, hi = inf;
      if (u.low < u.high) {
        lo = u.low;
        hi = u.high;
      }
      return truncated_normal_inverse(mu, u.sd, lo, hi, q);
    }
  }
  return value;
}

namespace {
void field_bounds(const Scenario& s, UncertainInput& in) {
  switch (in.field) {
    case UncertainInput::Field::capability:
    case UncertainInput::Field::issue_capability:
    case UncertainInput::Field::no_deal_cost:
      in.low = 0;
      in.high = inf;
      break;
    case UncertainInput::Field::position:
    case UncertainInput::Field::no_deal:
      in.low = s.issues[in.issue].min;
      in.high = s.issues[in.issue].max;
      break;
    case UncertainInput::Field::salience:
    case UncertainInput::Field::utility:
      in.low = 0;
      in.high = 1;
      break;
  }
}
}  // namespace

std::vector<UncertainInput> uncertain_inputs(const Scenario& s) {
  std::vector<UncertainInput> out;
  auto add = [&](UncertainInput in, const Quantity& q) {
    if (!q.uncertainty.present()) return;
    in.value = q.value;
    in.uncertainty = q.uncertainty;
    field_bounds(s, in);
    out.push_back(std::move(in));
  };
  using F = UncertainInput::Field;
  for (std::size_t a = 0; a < s.actors.size(); ++a) {
    const auto& actor = s.actors[a];
    add({F::capability, a, 0, 0, actor.id + ".capability", 0, {}, 0, 0}, actor.capability);
    for (std::size_t i = 0; i < s.issues.size() && i < actor.stances.size(); ++i) {
      const auto& st = actor.stances[i];
      if (!st) continue;
      const std::string prefix = actor.id + "." + s.issues[i].id + ".";
      if (s.issues[i].kind == Issue::Kind::numeric) add({F::position, a, i, 0, prefix + "position", 0, {}, 0, 0}, st->position);
      add({F::salience, a, i, 0, prefix + "salience", 0, {}, 0, 0}, st->salience);
      if (st->capability) add({F::issue_capability, a, i, 0, prefix + "capability", 0, {}, 0, 0}, *st->capability);
      for (std::size_t k = 0; k < st->utilities.size(); ++k) {
        const std::string opt = k < s.issues[i].options.size() ? s.issues[i].options[k] : std::to_string(k);
        add({F::utility, a, i, k, prefix + "utilities." + opt, 0, {}, 0, 0}, st->utilities[k]);
      }
    }
  }
  for (std::size_t a = 0; a < s.actors.size(); ++a) {
    const auto& actor = s.actors[a];
    if (actor.no_deal_cost) add({F::no_deal_cost, a, 0, 0, actor.id + ".no_deal_cost", 0, {}, 0, 0}, *actor.no_deal_cost);
    for (std::size_t i = 0; i < s.issues.size() && i < actor.stances.size(); ++i) {
      const auto& st = actor.stances[i];
      if (st && st->no_deal && s.issues[i].kind == Issue::Kind::numeric)
        add({F::no_deal, a, i, 0, actor.id + "." + s.issues[i].id + ".no_deal", 0, {}, 0, 0}, *st->no_deal);
    }
  }
  return out;
}

namespace {
Quantity& quantity(Scenario& s, const UncertainInput& in) {
  auto& actor = s.actors.at(in.actor);
  if (in.field == UncertainInput::Field::capability) return actor.capability;
  if (in.field == UncertainInput::Field::no_deal_cost) {
    if (!actor.no_deal_cost) throw std::logic_error("uncertain input refers to an absent no_deal_cost: " + in.path);
    return *actor.no_deal_cost;
  }
  auto& st = actor.stances.at(in.issue);
  if (!st) throw std::logic_error("uncertain input refers to an absent stance: " + in.path);
  switch (in.field) {
    case UncertainInput::Field::position: return st->position;
    case UncertainInput::Field::salience: return st->salience;
    case UncertainInput::Field::issue_capability:
      if (!st->capability) throw std::logic_error("uncertain input refers to an absent capability: " + in.path);
      return *st->capability;
    case UncertainInput::Field::utility: return st->utilities.at(in.option);
    case UncertainInput::Field::no_deal:
      if (!st->no_deal) throw std::logic_error("uncertain input refers to an absent no_deal: " + in.path);
      return *st->no_deal;
    case UncertainInput::Field::capability:
    case UncertainInput::Field::no_deal_cost: break;
  }
  return actor.capability;
}
}  // namespace

double input_value(const Scenario& s, const UncertainInput& in) {
  return quantity(const_cast<Scenario&>(s), in).value;  // read only
}
void set_input_value(Scenario& s, const UncertainInput& in, double value) { quantity(s, in).value = value; }

namespace detail {
namespace {
template <class Set>
void draw_each(Scenario& target, const std::vector<UncertainInput>& inputs, Rng& rng, Set&& set) {
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const UncertainInput& in = inputs[k];
    const double v = draw_value(in.uncertainty, in.value, in.low, in.high, rng);
    // A distribution so wide that a draw leaves the doubles (`sd: 1e308` on a capability) is the
    // input's problem, named with its distribution, not an internal error in a model.
    if (!std::isfinite(v)) {
      const Uncertainty& u = in.uncertainty;
      std::string dist;
      switch (u.kind) {
        case Uncertainty::Kind::normal: dist = fmt::format("normal with sd {}", u.sd); break;
        case Uncertainty::Kind::triangular: dist = fmt::format("triangular({}, {}, {})", u.low, u.mode, u.high); break;
        default: dist = fmt::format("uniform on [{}, {}]", u.low, u.high); break;
      }
      throw InputError(Diagnostic{quantity(target, in).where, in.path, "an uncertainty whose draws are finite numbers",
                                  fmt::format("a draw of {} from its {}", v, dist), "narrow the distribution"});
    }
    set(k, v);
  }
}
}  // namespace

void draw_into(Scenario& target, const std::vector<UncertainInput>& inputs, Rng& rng) {
  draw_each(target, inputs, rng, [&](std::size_t k, double v) { set_input_value(target, inputs[k], v); });
}

std::vector<double*> input_slots(Scenario& target, const std::vector<UncertainInput>& inputs) {
  std::vector<double*> slots;
  slots.reserve(inputs.size());
  for (const auto& in : inputs) slots.push_back(&quantity(target, in).value);
  return slots;
}

void draw_into(Scenario& target, const std::vector<double*>& slots, const std::vector<UncertainInput>& inputs, Rng& rng) {
  draw_each(target, inputs, rng, [&](std::size_t k, double v) { *slots[k] = v; });
}
}  // namespace detail

Scenario draw_scenario(const Scenario& scenario, Rng& rng) {
  Scenario s = scenario;
  detail::draw_into(s, uncertain_inputs(scenario), rng);
  return s;
}

Scenario draw_scenario(const Scenario& scenario, std::uint64_t seed, std::uint64_t draw) {
  Rng rng(seed, draw);
  return draw_scenario(scenario, rng);
}

std::uint64_t model_seed(std::uint64_t seed, std::uint64_t draw) {
  // A different stream family from the inputs' Rng(seed, draw), so the two are independent.
  Rng r(splitmix64(seed ^ 0x6D6F64656C736565ULL), draw);
  return r.next();
}

}  // namespace entente
