/*
 * Fault module 'hang-on-sign': SoftHSM2 in every respect, except that C_Sign never returns, as
 * a module waiting forever on a dead reader does. The token host's per-call timeout must fire
 * and the host be killed; nothing else may block on it.
 */
#include <unistd.h>

#include "wrap.h"

static CK_RV hang_Sign(CK_SESSION_HANDLE h, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                       CK_ULONG_PTR pulSignatureLen) {
  (void)h, (void)pData, (void)ulDataLen, (void)pSignature, (void)pulSignatureLen;
  /* pause() sleeps until a signal; SIGTERM / SIGKILL from the app end the process as they should. */
  for (;;) pause();
  return CKR_GENERAL_ERROR; /* not reached */
}

static void customize(CK_FUNCTION_LIST *list) { list->C_Sign = hang_Sign; }
