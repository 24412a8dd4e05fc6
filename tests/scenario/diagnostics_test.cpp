#include <gtest/gtest.h>

#include "entente/diagnostics.hpp"

TEST(Diagnostics, FormatsFileLineColumnFieldExpectedFound) {
  entente::Diagnostic d{{"a.yaml", 3, 7}, "actors[0].capability", "a number >= 0", "-2", {}};
  EXPECT_EQ(d.to_string(), "a.yaml:3:7: error: field 'actors[0].capability': expected a number >= 0, found -2");
}
