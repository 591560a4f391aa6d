/** Subscriptions to the preload API's state: tokens snapshot, PIN requests, consent requests. */
import { useCallback, useEffect, useState } from 'react';
import type { ConsentRequestView, PinRequestView, TokensSnapshot, UnlockedTokenView } from '../../../electron/api';
import { getApi } from '../lib/api';

export function useTokens() {
  const api = getApi();
  const [snapshot, setSnapshot] = useState<TokensSnapshot | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    let live = true;
    const off = api.on('tokens.changed', (s) => setSnapshot(s));
    void api.call('tokens.snapshot').then((r) => {
      if (live && r.ok) setSnapshot((prev) => (prev && prev.updatedAt > r.value.updatedAt ? prev : r.value));
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);
  const refresh = useCallback(async () => {
    setLoading(true);
    const r = await api.call('tokens.refresh');
    setLoading(false);
    if (r.ok) setSnapshot(r.value);
  }, [api]);
  return { snapshot, loading, refresh };
}

/** Tokens the signing PIN cache keeps unlocked (pushed by main), and Lock now. */
export function useUnlockedTokens() {
  const api = getApi();
  const [unlocked, setUnlocked] = useState<UnlockedTokenView[]>([]);
  useEffect(() => api.on('tokens.unlocked', (u) => setUnlocked(u)), [api]);
  const lockNow = useCallback(async (tokenUri: string) => {
    await api.call('tokens.lockNow', { tokenUri });
  }, [api]);
  return { unlocked, lockNow };
}

/** A queue keyed by requestId: requests are shown one at a time, oldest first. */
function useRequestQueue<T extends { requestId: string }>(requestEvent: 'pin.request' | 'consent.request', dismissEvent: 'pin.dismiss' | 'consent.dismiss') {
  const api = getApi();
  const [queue, setQueue] = useState<T[]>([]);
  useEffect(() => {
    const offReq = api.on(requestEvent, (r) => {
      const req = r as unknown as T;
      setQueue((q) => [...q.filter((x) => x.requestId !== req.requestId), req]);
    });
    const offDismiss = api.on(dismissEvent, (d) => setQueue((q) => q.filter((x) => x.requestId !== d.requestId)));
    return () => {
      offReq();
      offDismiss();
    };
  }, [api, requestEvent, dismissEvent]);
  const remove = useCallback((requestId: string) => setQueue((q) => q.filter((x) => x.requestId !== requestId)), []);
  return { current: queue[0] ?? null, remove, count: queue.length };
}

export const usePinRequests = () => useRequestQueue<PinRequestView>('pin.request', 'pin.dismiss');
export const useConsentRequests = () => useRequestQueue<ConsentRequestView>('consent.request', 'consent.dismiss');
