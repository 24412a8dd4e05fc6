// The run-time loading of optional libraries (src/scenario/dynload.hpp): a library or function
// that cannot be found is a ResourceError naming it (exit 2), never a crash at start-up.
#include "scenario/dynload.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace entente::detail {
namespace {

TEST(Dynload, MissingLibraryNamesLibraryPackageAndFeature) {
  try {
    const SharedLibrary lib("libentente-no-such-library.so.0", "no-such-package", "testing the loader");
    FAIL() << "loaded a library that does not exist";
  } catch (const ResourceError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("libentente-no-such-library.so.0"), std::string::npos) << m;
    EXPECT_NE(m.find("no-such-package"), std::string::npos) << m;
    EXPECT_NE(m.find("testing the loader"), std::string::npos) << m;
  }
}

TEST(Dynload, BindsFunctionsAndNamesAMissingOne) {
  const SharedLibrary lib("libc.so.6", "libc6", "testing the loader");
  decltype(&::strlen) f = nullptr;
  lib.bind(f, "strlen");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f("entente"), 7u);  // 7 characters, counted by hand
  try {
    lib.bind(f, "entente_no_such_function");
    FAIL() << "bound a function that does not exist";
  } catch (const ResourceError& e) {
    EXPECT_NE(std::string(e.what()).find("entente_no_such_function"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("libc.so.6"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace entente::detail
