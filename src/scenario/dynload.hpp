// Libraries that only some commands need are opened with dlopen on first use instead of being
// linked: libzip (XLSX/ODS input), libxlsxwriter (XLSX output) and GLPK (`deal`). Every linked
// library costs every command start-up time (mapping, relocation, page faults), and these three
// pull in nine more (libcrypto, libgmp, libbz2, ...): 12 of the 22 libraries `entente --version`
// loaded (issue 17). A table per library holds its functions with the header's own types
// (decltype(&::name)), so calls stay type-checked. Header-only: the fuzz targets use it too.
#pragma once
#include <dlfcn.h>
#include <fmt/format.h>

#include <cstring>

#include "entente/diagnostics.hpp"

namespace entente::detail {

class SharedLibrary {
 public:
  // `soname` as the linker would record it; `package` the Debian package holding it; `feature`
  // what needs it, for the message. The library stays loaded for the life of the process.
  SharedLibrary(const char* soname, const char* package, const char* feature) : soname_(soname) {
    handle_ = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
      const char* why = ::dlerror();
      throw ResourceError(fmt::format("{} needs the shared library {} (Debian package {}), which cannot be loaded: {}",
                                      feature, soname, package, why != nullptr ? why : "unknown reason"));
    }
  }

  template <class F>
  void bind(F& function, const char* name) const {
    void* p = ::dlsym(handle_, name);
    if (p == nullptr)
      throw ResourceError(fmt::format("the shared library {} has no function {} (not the version entente was built with?)",
                                      soname_, name));
    static_assert(sizeof(F) == sizeof(p));
    std::memcpy(&function, &p, sizeof p);  // object pointer -> function pointer, as POSIX allows
  }

 private:
  const char* soname_;
  void* handle_ = nullptr;
};

}  // namespace entente::detail

// In a table struct: `ENTENTE_FUNCTIONS(ENTENTE_DYNLOAD_MEMBER)` declares the members and
// `ENTENTE_FUNCTIONS(ENTENTE_DYNLOAD_BIND)` (with a SharedLibrary `lib` in scope) fills them.
#define ENTENTE_DYNLOAD_MEMBER(name) decltype(&::name) name = nullptr;
#define ENTENTE_DYNLOAD_BIND(name) lib.bind(name, #name);
