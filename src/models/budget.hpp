// Memory a model run may plan for (docs/limits.md). bdm and smp estimate theirs from the sizes
// before they start and refuse beyond the budget with a ResourceError giving the estimate (exit 2
// in the CLI, 503 from the server), rather than growing until the allocator or the kernel stops
// them; exchange does the same from its candidate count.
#pragma once
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "entente/diagnostics.hpp"

namespace entente::detail {

inline constexpr double kModelMemoryBudget = 4e9;  // bytes

inline void check_memory(std::string_view model, double bytes, const std::string& sizes, const std::string& advice) {
  if (bytes <= kModelMemoryBudget) return;
  throw ResourceError(fmt::format("{}: {} would need about {:.1f} GB of memory; one model run may use at most {:.0f} GB ({})",
                                  model, sizes, bytes / 1e9, kModelMemoryBudget / 1e9, advice));
}

}  // namespace entente::detail
