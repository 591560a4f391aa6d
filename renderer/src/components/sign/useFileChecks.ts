/**
 * Files are checked as soon as they are added (issue 12 §6): one `files.inspect` at a time, the
 * answers kept by file id, so each row shows its problems and notices before the confirm step.
 */
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo, FileCheck, FileRef } from '../../../../electron/api';
import { getApi } from '../../lib/api';

export type CheckState = { status: 'checking' } | { status: 'done'; check: FileCheck } | { status: 'failed'; error: ErrorInfo };

export function useFileChecks(files: readonly FileRef[]): Record<string, CheckState> {
  const [checks, setChecks] = useState<Record<string, CheckState>>({});
  const started = useRef(new Set<string>());
  const queue = useRef(Promise.resolve());
  useEffect(() => {
    const api = getApi();
    for (const f of files) {
      if (started.current.has(f.id)) continue;
      started.current.add(f.id);
      setChecks((c) => ({ ...c, [f.id]: { status: 'checking' } }));
      queue.current = queue.current.then(async () => {
        const r = await api.call('files.inspect', { fileId: f.id });
        setChecks((c) => ({ ...c, [f.id]: r.ok ? { status: 'done', check: r.value } : { status: 'failed', error: r.error } }));
      });
    }
  }, [files]);
  return checks;
}

/** Problems that stop a file (its check's, or the check itself failing). */
export function problemsOf(state: CheckState | undefined): ErrorInfo[] {
  if (!state) return [];
  if (state.status === 'failed') return [state.error];
  if (state.status === 'done') return state.check.problems;
  return [];
}
