// GLPK, opened on first use (scenario/dynload.hpp): only `deal` needs it, and linking it would
// load it and four more libraries (libgmp, libcolamd, libamd, libltdl) into every command.
#pragma once
#include <glpk.h>

#include <atomic>

#include "scenario/dynload.hpp"

#ifndef ENTENTE_GLPK_SONAME
#define ENTENTE_GLPK_SONAME "libglpk.so.40"
#endif

namespace entente::detail {

#define ENTENTE_GLPK_FUNCTIONS(X)                                                                       \
  X(glp_add_cols) X(glp_add_rows) X(glp_create_prob) X(glp_del_rows) X(glp_delete_prob) X(glp_free_env) \
  X(glp_get_col_dual) X(glp_get_col_prim) X(glp_get_col_stat) X(glp_get_col_type) X(glp_get_mat_row)   \
  X(glp_get_num_cols) X(glp_get_num_rows) X(glp_get_obj_coef) X(glp_get_obj_dir) X(glp_get_obj_val)    \
  X(glp_get_row_dual) X(glp_get_row_stat) X(glp_get_row_type) X(glp_get_status) X(glp_init_iocp)       \
  X(glp_init_smcp) X(glp_intopt) X(glp_load_matrix) X(glp_mip_col_val) X(glp_mip_obj_val)              \
  X(glp_mip_status) X(glp_set_col_bnds) X(glp_set_col_kind) X(glp_set_mat_row) X(glp_set_obj_coef)     \
  X(glp_set_obj_dir) X(glp_set_row_bnds) X(glp_simplex) X(glp_std_basis) X(glp_term_out)

struct GlpkApi {
  ENTENTE_GLPK_FUNCTIONS(ENTENTE_DYNLOAD_MEMBER)
  // Set once the functions are bound: cleanup code (glp_free_env) must not load GLPK.
  static inline std::atomic<bool> loaded{false};
  GlpkApi() {
    const SharedLibrary lib(ENTENTE_GLPK_SONAME, "libglpk40", "the deal analysis");
    ENTENTE_GLPK_FUNCTIONS(ENTENTE_DYNLOAD_BIND)
    loaded.store(true);
  }
};

// Loads GLPK on the first call (thread-safe); throws ResourceError if it cannot be loaded.
inline const GlpkApi& glpk() {
  static const GlpkApi api;
  return api;
}

}  // namespace entente::detail
