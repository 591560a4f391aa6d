/**
 * The browser side of the harness: a classic script (served at /harness/bridge.js, loaded before
 * the renderer's module) that puts the same `window.signet` object the Electron preload exposes,
 * speaking JSON over a WebSocket to the harness, which runs the very same IPC handlers.
 * Dropped files have no path in a browser: their bytes are sent and the harness writes them to
 * its data dir before registering them (the Electron preload sends paths instead).
 *
 * Kept as a string so it ships inside dist/harness.js with nothing to bundle for the browser.
 */
export const BRIDGE_SCRIPT = String.raw`(() => {
  'use strict';
  const pending = new Map();
  const listeners = new Map();
  const queue = [];
  let nextId = 1;
  let ws = null;
  let open = false;

  const lost = { ok: false, error: { code: 'INTERNAL', message: 'The connection to Signet was lost. Reload the page.', retriable: true } };

  function connect() {
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/harness/ws');
    ws.onopen = () => {
      open = true;
      for (const m of queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type === 'result') {
        const resolve = pending.get(msg.id);
        pending.delete(msg.id);
        if (resolve) resolve(msg.result);
      } else if (msg.type === 'event') {
        for (const l of listeners.get(msg.event) || []) {
          try { l(msg.payload); } catch (err) { console.error(err); }
        }
      }
    };
    ws.onclose = () => {
      open = false;
      for (const resolve of pending.values()) resolve(lost);
      pending.clear();
    };
  }
  connect();

  function send(msg) {
    return new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      const text = JSON.stringify(Object.assign({ id }, msg));
      if (open) ws.send(text); else queue.push(text);
    });
  }

  function toBase64(buf) {
    const bytes = new Uint8Array(buf);
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }

  // Byte arguments (the PIN of 'pin.submit') cross the JSON socket as { $bytes: base64 }; the
  // harness turns them back into a Uint8Array, as Electron's structured clone keeps them.
  function encodeArg(arg) {
    if (!arg || typeof arg !== 'object' || Array.isArray(arg)) return arg;
    const out = {};
    for (const k of Object.keys(arg)) out[k] = arg[k] instanceof Uint8Array ? { $bytes: toBase64(arg[k]) } : arg[k];
    return out;
  }

  const api = {
    call(method, arg) {
      return send({ type: 'call', method, arg: encodeArg(arg) });
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return () => listeners.get(event).delete(listener);
    },
    async filesFromDrop(files) {
      const list = [];
      for (const f of Array.from(files)) list.push({ name: f.name, data: toBase64(await f.arrayBuffer()) });
      return send({ type: 'drop', files: list });
    },
  };
  Object.defineProperty(window, 'signet', { value: Object.freeze(api), writable: false, configurable: false });
})();
`;
