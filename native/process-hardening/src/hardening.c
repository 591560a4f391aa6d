/*
 * signet-process-hardening: keep a Signet process (token host, Electron main, CLI) out of core
 * dumps, because each may hold a PIN for a moment (pkcs11js's C_Login takes a JS string; the
 * CLI reads the PIN from a terminal or stdin; main receives it from the PIN dialog).
 *
 * Node has no setrlimit(2) or prctl(2), so these few calls are a Node-API addon (node_api.h is
 * ABI-stable: the .node built by node-gyp at `npm ci` loads in Node and in Electron alike).
 *
 * Linux
 *  - setrlimit(RLIMIT_CORE, {0, 0}): no core file for a file core_pattern (setrlimit(2)); the hard
 *    limit 0 also binds every child we start (inherited across fork and execve).
 *  - prctl(PR_SET_DUMPABLE, 0): the kernel writes no core at all, whatever core_pattern is —
 *    including a pipe to systemd-coredump or apport, which the kernel runs without looking at
 *    RLIMIT_CORE (core(5), "Piping core dumps to a program") — and another process of the same
 *    user can no longer ptrace this one or read /proc/<pid>/mem, environ, … (prctl(2),
 *    PR_SET_DUMPABLE; ptrace(2), "Ptrace access mode checking"). execve resets the flag, so every
 *    process calls this itself.
 * macOS
 *  - setrlimit(RLIMIT_CORE, {0, 0}): the kernel writes /cores/core.<pid> only when the limit
 *    allows; ReportCrash's crash reports hold stacks and registers, not the heap.
 * Windows
 *  - WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP): this process's error reports carry no heap.
 *  - WerAddExcludedApplication(<this exe>, FALSE): Windows Error Reporting ignores this
 *    executable for the current user (HKCU\Software\Microsoft\Windows\Windows Error
 *    Reporting\ExcludedApplications); the NSIS installer writes the same value for all users of a
 *    per-machine install (build/installer.nsh). WER "LocalDumps" set up by an administrator for
 *    Signet.exe are the administrator's choice and are not overridden.
 *
 * Every call is made and reported separately: one refusal (e.g. seccomp, an old kernel) does not
 * stop the others, and the caller decides how loudly to report it.
 */
#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>
#include <stdio.h>
#include <string.h>

#if defined(__linux__) || defined(__APPLE__)
#include <errno.h>
#include <sys/resource.h>
#endif
#if defined(__linux__)
#include <sys/prctl.h>
#endif
#if defined(_WIN32)
#include <windows.h>
#include <werapi.h>
#endif

/* { ok: true } or { ok: false, error: "<text>" } */
static napi_value measure(napi_env env, int ok, const char *error) {
  napi_value obj, flag, text;
  napi_create_object(env, &obj);
  napi_get_boolean(env, ok, &flag);
  napi_set_named_property(env, obj, "ok", flag);
  if (!ok && error) {
    napi_create_string_utf8(env, error, NAPI_AUTO_LENGTH, &text);
    napi_set_named_property(env, obj, "error", text);
  }
  return obj;
}

#if defined(__linux__) || defined(__APPLE__)
static napi_value errno_measure(napi_env env, const char *call, int rc, int err) {
  char buf[160];
  if (rc == 0) return measure(env, 1, NULL);
  snprintf(buf, sizeof buf, "%s: %s (errno %d)", call, strerror(err), err);
  return measure(env, 0, buf);
}

static napi_value limit_value(napi_env env, rlim_t v) {
  napi_value out;
  napi_create_double(env, v == RLIM_INFINITY ? -1.0 : (double)v, &out);
  return out;
}
#endif

#if defined(_WIN32)
static napi_value hresult_measure(napi_env env, const char *call, HRESULT hr) {
  char buf[160];
  if (SUCCEEDED(hr)) return measure(env, 1, NULL);
  snprintf(buf, sizeof buf, "%s: HRESULT 0x%08lx", call, (unsigned long)hr);
  return measure(env, 0, buf);
}
#endif

static napi_value harden(napi_env env, napi_callback_info info) {
  napi_value result;
  (void)info;
  napi_create_object(env, &result);
#if defined(__linux__) || defined(__APPLE__)
  {
    struct rlimit none = {0, 0};
    int rc = setrlimit(RLIMIT_CORE, &none);
    napi_set_named_property(env, result, "coreLimit", errno_measure(env, "setrlimit(RLIMIT_CORE, 0)", rc, errno));
  }
#endif
#if defined(__linux__)
  {
    int rc = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    napi_set_named_property(env, result, "nonDumpable", errno_measure(env, "prctl(PR_SET_DUMPABLE, 0)", rc, errno));
  }
#endif
#if defined(_WIN32)
  {
    WCHAR exe[MAX_PATH + 1];
    DWORD n;
    napi_set_named_property(env, result, "werNoHeap", hresult_measure(env, "WerSetFlags(NOHEAP)", WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP)));
    n = GetModuleFileNameW(NULL, exe, MAX_PATH + 1);
    if (n == 0 || n > MAX_PATH) {
      napi_set_named_property(env, result, "werExcluded", measure(env, 0, "GetModuleFileNameW failed"));
    } else {
      napi_set_named_property(env, result, "werExcluded", hresult_measure(env, "WerAddExcludedApplication", WerAddExcludedApplication(exe, FALSE)));
    }
  }
#endif
  return result;
}

static napi_value state(napi_env env, napi_callback_info info) {
  napi_value result;
  (void)info;
  napi_create_object(env, &result);
#if defined(__linux__) || defined(__APPLE__)
  {
    struct rlimit lim;
    if (getrlimit(RLIMIT_CORE, &lim) == 0) {
      napi_set_named_property(env, result, "coreLimitSoft", limit_value(env, lim.rlim_cur));
      napi_set_named_property(env, result, "coreLimitHard", limit_value(env, lim.rlim_max));
    }
  }
#endif
#if defined(__linux__)
  {
    napi_value d;
    napi_create_int32(env, prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), &d);
    napi_set_named_property(env, result, "dumpable", d);
  }
#endif
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "harden", NAPI_AUTO_LENGTH, harden, NULL, &fn);
  napi_set_named_property(env, exports, "harden", fn);
  napi_create_function(env, "state", NAPI_AUTO_LENGTH, state, NULL, &fn);
  napi_set_named_property(env, exports, "state", fn);
  return exports;
}

NAPI_MODULE_INIT() {
  return init(env, exports);
}
