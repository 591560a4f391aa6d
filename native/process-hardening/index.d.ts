/** One measure's outcome: `ok`, or the OS error (errno / HRESULT text) that refused it. */
export interface MeasureResult {
  ok: boolean;
  error?: string;
}

/** What `harden()` did, per measure the platform has (absent = not applicable on this OS). */
export interface HardenResult {
  /** setrlimit(RLIMIT_CORE, {0, 0}) — Linux, macOS. */
  coreLimit?: MeasureResult;
  /** prctl(PR_SET_DUMPABLE, 0) — Linux. */
  nonDumpable?: MeasureResult;
  /** WerAddExcludedApplication(this executable, per user) — Windows. */
  werExcluded?: MeasureResult;
  /** WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP) — Windows. */
  werNoHeap?: MeasureResult;
}

/** The process's state as the OS reports it now (for diagnostics and tests). */
export interface HardeningState {
  /** RLIMIT_CORE soft / hard limit (bytes; -1 = unlimited). Linux, macOS. */
  coreLimitSoft?: number;
  coreLimitHard?: number;
  /** prctl(PR_GET_DUMPABLE). Linux. */
  dumpable?: number;
}

export function harden(): HardenResult;
export function state(): HardeningState;
