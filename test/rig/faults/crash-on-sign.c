/*
 * Fault module 'crash-on-sign': SoftHSM2 in every respect, except that C_Sign dies with a real
 * segmentation fault, as a buggy vendor module does in the field. The token host must survive
 * it (the process dies, the app reports MODULE_CRASHED and restarts the host).
 *
 * A genuine invalid write rather than raise(SIGSEGV): V8 installs a SIGSEGV handler (WebAssembly
 * trap handling) that, for faults it does not own, restores the default action and returns so
 * the faulting instruction runs again. A raise() would simply return into C_Sign; a real fault
 * faults again and kills the process, which is what a vendor module's crash does.
 */
#include "wrap.h"

/* volatile: the compiler may neither know nor drop the write through it. */
static int *volatile nowhere = 0;

static CK_RV crash_Sign(CK_SESSION_HANDLE h, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                        CK_ULONG_PTR pulSignatureLen) {
  (void)h, (void)pData, (void)ulDataLen, (void)pSignature, (void)pulSignatureLen;
  *nowhere = 0x5e6;
  return CKR_GENERAL_ERROR; /* not reached */
}

static void customize(CK_FUNCTION_LIST *list) { list->C_Sign = crash_Sign; }
