/*
 * Fault module 'removable': SoftHSM2 behind a simulated card reader whose card the test pulls
 * and reinserts (PKCS#11 v2.40 §5.5 / §5.6 semantics of a removable token).
 *
 * Presence comes from a state file next to this .so (`<module path>.state`, found with dladdr,
 * so two copies of the module in one process never share it): "<counter> present|absent".
 * The rig's remove()/insert() rewrite it atomically and bump the counter, so a pull and
 * reinsert between two calls is still seen. Every entry point compares the file with what it
 * last saw:
 *   pulled:    sessions on the wrapped module are closed (login state is lost, as with a real
 *              card), C_GetSlotList(CK_TRUE) omits the slots, C_GetSlotInfo clears
 *              CKF_TOKEN_PRESENT, token calls answer CKR_TOKEN_NOT_PRESENT and session calls
 *              CKR_DEVICE_REMOVED.
 *   inserted:  the wrapped module is re-initialised (C_Finalize + C_Initialize), so tokens
 *              provisioned meanwhile appear; sessions from before the pull answer
 *              CKR_SESSION_HANDLE_INVALID (session handles carry a generation in their upper
 *              32 bits, bumped on every pull, so an old handle can never reach a new session).
 * C_WaitForSlotEvent reports the slots of each pull and insertion, once each; it honours
 * CKF_DONT_BLOCK (CKR_NO_EVENT) and otherwise polls until an event or C_Finalize.
 *
 * Locking: calls into the wrapped module hold module_lock for reading; a pull or insertion
 * takes it for writing, so it never re-initialises the module under a running call.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wrap.h"

#define GEN_SHIFT 32
#define HANDLE_MASK 0xffffffffUL
#define MAX_EVENTS 256
#define POLL_MICROSECONDS 50000

static char state_path[4096];
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t module_lock = PTHREAD_RWLOCK_INITIALIZER;
static volatile int app_initialized = 0;
static int present = 1;
static unsigned long seen_counter = 0;
static unsigned long generation = 1;
static CK_C_INITIALIZE_ARGS init_args;
static int have_init_args = 0;
static CK_SLOT_ID events[MAX_EVENTS];
static unsigned events_len = 0;

/* ---- state file ---------------------------------------------------------------------------- */

static void read_state(unsigned long *counter, int *is_present) {
  *counter = 0;
  *is_present = 1; /* no file: a reader with its card in */
  FILE *f = fopen(state_path, "r");
  if (f == NULL) return;
  char word[16] = "";
  if (fscanf(f, "%lu %15s", counter, word) == 2) *is_present = strcmp(word, "absent") != 0;
  fclose(f);
}

/* ---- slot events (state_lock held) ---------------------------------------------------------- */

static void push_event(CK_SLOT_ID slot) {
  for (unsigned i = 0; i < events_len; i++)
    if (events[i] == slot) return;
  if (events_len < MAX_EVENTS) events[events_len++] = slot;
}

static void push_present_slots(void) {
  CK_ULONG n = 0;
  if (real->C_GetSlotList(CK_TRUE, NULL, &n) != CKR_OK || n == 0) return;
  CK_SLOT_ID *slots = calloc(n, sizeof *slots);
  if (slots == NULL) return;
  if (real->C_GetSlotList(CK_TRUE, slots, &n) == CKR_OK)
    for (CK_ULONG i = 0; i < n; i++) push_event(slots[i]);
  free(slots);
}

/* ---- pull / insert (state_lock held) -------------------------------------------------------- */

static void do_remove(void) {
  pthread_rwlock_wrlock(&module_lock);
  CK_ULONG n = 0;
  if (real->C_GetSlotList(CK_TRUE, NULL, &n) == CKR_OK && n > 0) {
    CK_SLOT_ID *slots = calloc(n, sizeof *slots);
    if (slots != NULL && real->C_GetSlotList(CK_TRUE, slots, &n) == CKR_OK) {
      for (CK_ULONG i = 0; i < n; i++) {
        push_event(slots[i]);
        real->C_CloseAllSessions(slots[i]);
      }
    }
    free(slots);
  }
  generation++;
  present = 0;
  pthread_rwlock_unlock(&module_lock);
}

static void do_insert(void) {
  pthread_rwlock_wrlock(&module_lock);
  real->C_Finalize(NULL);
  real->C_Initialize(have_init_args ? &init_args : NULL);
  present = 1;
  push_present_slots();
  pthread_rwlock_unlock(&module_lock);
}

/* Bring the simulated reader up to date with the state file. */
static void sync_state(void) {
  if (!app_initialized) return;
  pthread_mutex_lock(&state_lock);
  unsigned long counter;
  int file_present;
  read_state(&counter, &file_present);
  if (counter != seen_counter) {
    if (present && !file_present) {
      do_remove();
    } else if (!present && file_present) {
      do_insert();
    } else if (present && file_present) {
      /* pulled and reinserted since the last call */
      do_remove();
      do_insert();
    }
    seen_counter = counter;
  }
  pthread_mutex_unlock(&state_lock);
}

/* ---- general and slot functions ------------------------------------------------------------- */

static CK_RV rm_Initialize(CK_VOID_PTR pInitArgs) {
  pthread_rwlock_wrlock(&module_lock);
  CK_RV rv = real->C_Initialize(pInitArgs);
  if (rv == CKR_OK) {
    have_init_args = pInitArgs != NULL;
    if (have_init_args) init_args = *(CK_C_INITIALIZE_ARGS *)pInitArgs;
    pthread_mutex_lock(&state_lock);
    read_state(&seen_counter, &present);
    events_len = 0;
    app_initialized = 1;
    pthread_mutex_unlock(&state_lock);
  }
  pthread_rwlock_unlock(&module_lock);
  return rv;
}

static CK_RV rm_Finalize(CK_VOID_PTR pReserved) {
  app_initialized = 0; /* a blocked C_WaitForSlotEvent returns CKR_CRYPTOKI_NOT_INITIALIZED */
  pthread_rwlock_wrlock(&module_lock);
  CK_RV rv = real->C_Finalize(pReserved);
  pthread_rwlock_unlock(&module_lock);
  return rv;
}

static CK_RV rm_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount) {
  sync_state();
  pthread_rwlock_rdlock(&module_lock);
  CK_RV rv;
  if (tokenPresent && !present) {
    if (pulCount == NULL) rv = CKR_ARGUMENTS_BAD;
    else {
      *pulCount = 0;
      rv = CKR_OK;
    }
  } else {
    rv = real->C_GetSlotList(tokenPresent, pSlotList, pulCount);
  }
  pthread_rwlock_unlock(&module_lock);
  return rv;
}

static CK_RV rm_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo) {
  sync_state();
  pthread_rwlock_rdlock(&module_lock);
  CK_RV rv = real->C_GetSlotInfo(slotID, pInfo);
  if (rv == CKR_OK && !present) pInfo->flags &= ~CKF_TOKEN_PRESENT;
  pthread_rwlock_unlock(&module_lock);
  return rv;
}

/* Calls about the token in a slot: CKR_TOKEN_NOT_PRESENT while pulled. */
#define TOKEN_CALL(name, call)               \
  do {                                       \
    sync_state();                            \
    pthread_rwlock_rdlock(&module_lock);     \
    CK_RV rv = present ? (call) : CKR_TOKEN_NOT_PRESENT; \
    pthread_rwlock_unlock(&module_lock);     \
    return rv;                               \
  } while (0)

static CK_RV rm_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo) {
  TOKEN_CALL(C_GetTokenInfo, real->C_GetTokenInfo(slotID, pInfo));
}
static CK_RV rm_GetMechanismList(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pList, CK_ULONG_PTR pulCount) {
  TOKEN_CALL(C_GetMechanismList, real->C_GetMechanismList(slotID, pList, pulCount));
}
static CK_RV rm_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR pInfo) {
  TOKEN_CALL(C_GetMechanismInfo, real->C_GetMechanismInfo(slotID, type, pInfo));
}
static CK_RV rm_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pLabel) {
  TOKEN_CALL(C_InitToken, real->C_InitToken(slotID, pPin, ulPinLen, pLabel));
}

static CK_RV rm_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication, CK_NOTIFY Notify,
                            CK_SESSION_HANDLE_PTR phSession) {
  sync_state();
  pthread_rwlock_rdlock(&module_lock);
  CK_RV rv;
  if (!present) {
    rv = CKR_TOKEN_NOT_PRESENT;
  } else if (phSession == NULL) {
    rv = CKR_ARGUMENTS_BAD;
  } else {
    CK_SESSION_HANDLE h = 0;
    rv = real->C_OpenSession(slotID, flags, pApplication, Notify, &h);
    if (rv == CKR_OK) *phSession = (h & HANDLE_MASK) | (generation << GEN_SHIFT);
  }
  pthread_rwlock_unlock(&module_lock);
  return rv;
}

static CK_RV rm_CloseAllSessions(CK_SLOT_ID slotID) {
  sync_state();
  pthread_rwlock_rdlock(&module_lock);
  /* While pulled there is nothing left to close: the pull closed it all. */
  CK_RV rv = present ? real->C_CloseAllSessions(slotID) : CKR_OK;
  pthread_rwlock_unlock(&module_lock);
  return rv;
}

static CK_RV rm_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved) {
  (void)pReserved;
  if (pSlot == NULL) return CKR_ARGUMENTS_BAD;
  for (;;) {
    if (!app_initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
    sync_state();
    pthread_mutex_lock(&state_lock);
    if (events_len > 0) {
      *pSlot = events[0];
      memmove(events, events + 1, (events_len - 1) * sizeof events[0]);
      events_len--;
      pthread_mutex_unlock(&state_lock);
      return CKR_OK;
    }
    pthread_mutex_unlock(&state_lock);
    if (flags & CKF_DONT_BLOCK) return CKR_NO_EVENT;
    usleep(POLL_MICROSECONDS);
  }
}

/* ---- session functions ----------------------------------------------------------------------- */

/*
 * Every function whose first argument is a session handle: X(name, parameters, arguments),
 * arguments written with `h` standing for the wrapped module's own handle.
 */
#define SESSION_FUNCTIONS(X)                                                                                       \
  X(C_InitPIN, (CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR a, CK_ULONG b), (h, a, b))                                   \
  X(C_SetPIN, (CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR a, CK_ULONG b, CK_UTF8CHAR_PTR c, CK_ULONG d), (h, a, b, c, d)) \
  X(C_CloseSession, (CK_SESSION_HANDLE h), (h))                                                                    \
  X(C_GetSessionInfo, (CK_SESSION_HANDLE h, CK_SESSION_INFO_PTR a), (h, a))                                        \
  X(C_GetOperationState, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG_PTR b), (h, a, b))                          \
  X(C_SetOperationState, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_OBJECT_HANDLE c, CK_OBJECT_HANDLE d), \
    (h, a, b, c, d))                                                                                               \
  X(C_Login, (CK_SESSION_HANDLE h, CK_USER_TYPE a, CK_UTF8CHAR_PTR b, CK_ULONG c), (h, a, b, c))                   \
  X(C_Logout, (CK_SESSION_HANDLE h), (h))                                                                          \
  X(C_CreateObject, (CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR a, CK_ULONG b, CK_OBJECT_HANDLE_PTR c), (h, a, b, c))   \
  X(C_CopyObject, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE a, CK_ATTRIBUTE_PTR b, CK_ULONG c, CK_OBJECT_HANDLE_PTR d), \
    (h, a, b, c, d))                                                                                               \
  X(C_DestroyObject, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE a), (h, a))                                            \
  X(C_GetObjectSize, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE a, CK_ULONG_PTR b), (h, a, b))                         \
  X(C_GetAttributeValue, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE a, CK_ATTRIBUTE_PTR b, CK_ULONG c), (h, a, b, c))  \
  X(C_SetAttributeValue, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE a, CK_ATTRIBUTE_PTR b, CK_ULONG c), (h, a, b, c))  \
  X(C_FindObjectsInit, (CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR a, CK_ULONG b), (h, a, b))                           \
  X(C_FindObjects, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE_PTR a, CK_ULONG b, CK_ULONG_PTR c), (h, a, b, c))        \
  X(C_FindObjectsFinal, (CK_SESSION_HANDLE h), (h))                                                                \
  X(C_EncryptInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b), (h, a, b))                       \
  X(C_Encrypt, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d), (h, a, b, c, d))   \
  X(C_EncryptUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d), (h, a, b, c, d)) \
  X(C_EncryptFinal, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG_PTR b), (h, a, b))                               \
  X(C_DecryptInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b), (h, a, b))                       \
  X(C_Decrypt, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d), (h, a, b, c, d))   \
  X(C_DecryptUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d), (h, a, b, c, d)) \
  X(C_DecryptFinal, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG_PTR b), (h, a, b))                               \
  X(C_DigestInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a), (h, a))                                               \
  X(C_Digest, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d), (h, a, b, c, d))    \
  X(C_DigestUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b), (h, a, b))                                   \
  X(C_DigestKey, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE a), (h, a))                                                \
  X(C_DigestFinal, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG_PTR b), (h, a, b))                                \
  X(C_SignInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b), (h, a, b))                          \
  X(C_Sign, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d), (h, a, b, c, d))      \
  X(C_SignUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b), (h, a, b))                                     \
  X(C_SignFinal, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG_PTR b), (h, a, b))                                  \
  X(C_SignRecoverInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b), (h, a, b))                   \
  X(C_SignRecover, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d), (h, a, b, c, d)) \
  X(C_VerifyInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b), (h, a, b))                        \
  X(C_Verify, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG d), (h, a, b, c, d))        \
  X(C_VerifyUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b), (h, a, b))                                   \
  X(C_VerifyFinal, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b), (h, a, b))                                    \
  X(C_VerifyRecoverInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b), (h, a, b))                 \
  X(C_VerifyRecover, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d), (h, a, b, c, d)) \
  X(C_DigestEncryptUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d),        \
    (h, a, b, c, d))                                                                                               \
  X(C_DecryptDigestUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d),        \
    (h, a, b, c, d))                                                                                               \
  X(C_SignEncryptUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d),          \
    (h, a, b, c, d))                                                                                               \
  X(C_DecryptVerifyUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG_PTR d),        \
    (h, a, b, c, d))                                                                                               \
  X(C_GenerateKey, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_ATTRIBUTE_PTR b, CK_ULONG c, CK_OBJECT_HANDLE_PTR d), \
    (h, a, b, c, d))                                                                                               \
  X(C_GenerateKeyPair,                                                                                             \
    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_ATTRIBUTE_PTR b, CK_ULONG c, CK_ATTRIBUTE_PTR d, CK_ULONG e,      \
     CK_OBJECT_HANDLE_PTR f, CK_OBJECT_HANDLE_PTR g),                                                              \
    (h, a, b, c, d, e, f, g))                                                                                      \
  X(C_WrapKey,                                                                                                     \
    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b, CK_OBJECT_HANDLE c, CK_BYTE_PTR d, CK_ULONG_PTR e), \
    (h, a, b, c, d, e))                                                                                            \
  X(C_UnwrapKey,                                                                                                   \
    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b, CK_BYTE_PTR c, CK_ULONG d, CK_ATTRIBUTE_PTR e,   \
     CK_ULONG f, CK_OBJECT_HANDLE_PTR g),                                                                          \
    (h, a, b, c, d, e, f, g))                                                                                      \
  X(C_DeriveKey,                                                                                                   \
    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b, CK_ATTRIBUTE_PTR c, CK_ULONG d,                  \
     CK_OBJECT_HANDLE_PTR e),                                                                                      \
    (h, a, b, c, d, e))                                                                                            \
  X(C_SeedRandom, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b), (h, a, b))                                     \
  X(C_GenerateRandom, (CK_SESSION_HANDLE h, CK_BYTE_PTR a, CK_ULONG b), (h, a, b))                                 \
  X(C_GetFunctionStatus, (CK_SESSION_HANDLE h), (h))                                                               \
  X(C_CancelFunction, (CK_SESSION_HANDLE h), (h))

/*
 * A session call: CKR_DEVICE_REMOVED while pulled, CKR_SESSION_HANDLE_INVALID for a handle of
 * an earlier insertion, else the wrapped module's answer for its own handle.
 */
#define SESSION_WRAPPER(name, params, args)                          \
  static CK_RV rm_##name params {                                    \
    sync_state();                                                    \
    pthread_rwlock_rdlock(&module_lock);                             \
    CK_RV rv;                                                        \
    if (!present) {                                                  \
      rv = CKR_DEVICE_REMOVED;                                       \
    } else if ((h >> GEN_SHIFT) != generation) {                     \
      rv = CKR_SESSION_HANDLE_INVALID;                               \
    } else {                                                         \
      h &= HANDLE_MASK;                                              \
      rv = real->name args;                                          \
    }                                                                \
    pthread_rwlock_unlock(&module_lock);                             \
    return rv;                                                       \
  }
SESSION_FUNCTIONS(SESSION_WRAPPER)
#undef SESSION_WRAPPER

/* ---- wiring ------------------------------------------------------------------------------------ */

static void customize(CK_FUNCTION_LIST *list) {
  Dl_info info;
  if (dladdr((void *)C_GetFunctionList, &info) != 0 && info.dli_fname != NULL)
    snprintf(state_path, sizeof state_path, "%s.state", info.dli_fname);

  list->C_Initialize = rm_Initialize;
  list->C_Finalize = rm_Finalize;
  list->C_GetSlotList = rm_GetSlotList;
  list->C_GetSlotInfo = rm_GetSlotInfo;
  list->C_GetTokenInfo = rm_GetTokenInfo;
  list->C_GetMechanismList = rm_GetMechanismList;
  list->C_GetMechanismInfo = rm_GetMechanismInfo;
  list->C_InitToken = rm_InitToken;
  list->C_OpenSession = rm_OpenSession;
  list->C_CloseAllSessions = rm_CloseAllSessions;
  list->C_WaitForSlotEvent = rm_WaitForSlotEvent;
#define SESSION_ENTRY(name, params, args) list->name = rm_##name;
  SESSION_FUNCTIONS(SESSION_ENTRY)
#undef SESSION_ENTRY
}
