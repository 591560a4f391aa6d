/*
 * Shared part of the rig's fault modules: each is a PKCS#11 module that dlopen()s the real
 * module (SoftHSM2 unless WRAPPED_MODULE says otherwise), copies its CK_FUNCTION_LIST and
 * replaces the entries it misbehaves in. C_GetFunctionList is the only exported symbol, which is
 * how pkcs11js, pkcs11-tool and the app all enter a module.
 *
 * A module includes this file and defines `static void customize(CK_FUNCTION_LIST *list)`.
 */
#ifndef SIGNET_RIG_WRAP_H
#define SIGNET_RIG_WRAP_H

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "pkcs11-min.h"

#ifndef WRAPPED_MODULE
#define WRAPPED_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#endif

#define EXPORT __attribute__((visibility("default")))

/* The wrapped module's own list, and the one this module hands out. */
static CK_FUNCTION_LIST_PTR real;
static CK_FUNCTION_LIST wrapper;
static CK_RV load_rv = CKR_GENERAL_ERROR;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void customize(CK_FUNCTION_LIST *list);
EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList);

static void load_real(void) {
  /* RTLD_LOCAL: the wrapped module's symbols must not satisfy anyone else's lookups. */
  void *lib = dlopen(WRAPPED_MODULE, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    fprintf(stderr, "signet fault module: cannot load %s: %s\n", WRAPPED_MODULE, dlerror());
    return;
  }
  CK_RV (*get)(CK_FUNCTION_LIST_PTR_PTR) = (CK_RV(*)(CK_FUNCTION_LIST_PTR_PTR))dlsym(lib, "C_GetFunctionList");
  if (get == NULL || get(&real) != CKR_OK || real == NULL) {
    fprintf(stderr, "signet fault module: %s has no usable C_GetFunctionList\n", WRAPPED_MODULE);
    return;
  }
  memcpy(&wrapper, real, sizeof wrapper);
  wrapper.C_GetFunctionList = C_GetFunctionList;
  customize(&wrapper);
  load_rv = CKR_OK;
}

EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList) {
  if (ppFunctionList == NULL) return CKR_ARGUMENTS_BAD;
  pthread_once(&load_once, load_real);
  if (load_rv != CKR_OK) return load_rv;
  *ppFunctionList = &wrapper;
  return CKR_OK;
}

#endif
