/**
 * The browser harness: the real renderer build served over HTTP on 127.0.0.1, with `window.signet`
 * implemented over a WebSocket against the very same IPC handler functions (../../../electron/app/
 * ipc/dispatch.ts) and the same services the app builds (electron/app/services/create.ts): the
 * real core, a TokenClient whose token hosts are Node child processes, SoftHSM2 (or any module),
 * and the loopback web API. Only the OS pieces are stand-ins: the open dialog returns the files
 * the test chose (or a folder's files), "show in folder" is recorded, saved reports go to the data
 * dir. Test and development tool only: never shipped (build/electron-builder.yml excludes it).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Result } from '../../../native/errors';
import { NodeHostLauncher } from '../../../native/node-launcher';
import type { ModuleSpec } from '../../../native/types';
import type { SignetEvent, SignetEvents } from '../../../electron/api';
import { contentTypeOf, RENDERER_HEADERS } from '../../../electron/app/csp';
import { emitOpenedFiles, routeOpenedFiles } from '../../../electron/app/files/open-with';
import { FileRegistry } from '../../../electron/app/files/registry';
import type { Dialogs, HandlerContext } from '../../../electron/app/ipc/context';
import { dispatch } from '../../../electron/app/ipc/dispatch';
import { PlanStore } from '../../../electron/app/ipc/plans';
import { createFileLogger, type Logger } from '../../../electron/app/logs/logger';
import { PinBroker } from '../../../electron/app/pin/pin-broker';
import { createAppServices } from '../../../electron/app/services/create';
import { SettingsStore } from '../../../electron/app/settings/store';
import { loadConfig } from '../../../electron/core/config';
import { resolveStatic } from '../../../electron/app/static-files';
import { BRIDGE_SCRIPT } from './bridge-script';

export interface HarnessOptions {
  /** HTTP port for the UI (0 = any free port). */
  port?: number;
  /** Port of the loopback web API (0 = any free port); null = do not start it. */
  apiPort?: number | null;
  /** PKCS#11 modules (with their env, e.g. SOFTHSM2_CONF). Default: the app's discovery. */
  modules?: ModuleSpec[];
  /** Where settings, logs, dropped files and saved reports go (a temp dir in tests). */
  dataDir: string;
  /** `files.pick` returns this folder's files unless the test queued a pick (setNextPick). */
  filesDir?: string;
  /** Built renderer (default dist/renderer next to this bundle). */
  rendererDir?: string;
  /** Trust anchor files (PEM/DER), e.g. the rig's test CA. */
  trustAnchorFiles?: string[];
  /** Token host timeouts (small in tests). */
  callTimeoutMs?: number;
  slotPollIntervalMs?: number;
  /** Settings to start with (e.g. a TSA URL, allowHttpLocalhost for the web E2E). */
  settings?: Parameters<SettingsStore['update']>[0];
  /** Consent timeout of the web API. */
  consentTimeoutMs?: number;
  appVersion?: string;
  echoLogs?: boolean;
}

export interface HarnessHandle {
  url: string;
  apiUrl: string | null;
  /** Secret for the HTTP control endpoints (/harness/control/*), printed by `npm run harness`. */
  controlToken: string;
  dataDir: string;
  /** The next `files.pick` returns these paths (once). */
  setNextPick(paths: string[]): void;
  /** Paths passed to "show in folder", in order. */
  shownInFolder: string[];
  /** Paths passed to "open" (the default application), in order. */
  openedPaths: string[];
  /** Reports written by the save dialog stand-in. */
  savedFiles: string[];
  /** Every event pushed to the page, in order (payloads hold no secrets: PINs never go this way). */
  events: { event: SignetEvent; payload: unknown }[];
  /** Simulate "open with" / a second instance handing files to the app. */
  openFiles(paths: string[]): Promise<void>;
  ctx: HandlerContext;
  close(): Promise<void>;
}

function defaultRendererDir(): string {
  const candidates = [path.join(__dirname, 'renderer'), path.resolve(__dirname, '..', '..', '..', 'dist', 'renderer')];
  return candidates.find((p) => existsSync(path.join(p, 'index.html'))) ?? candidates[0]!;
}

export async function startHarness(options: HarnessOptions): Promise<HarnessHandle> {
  const dataDir = options.dataDir;
  const configDir = path.join(dataDir, 'config');
  const logDir = path.join(dataDir, 'logs');
  const outDir = path.join(dataDir, 'saved');
  const dropDir = path.join(dataDir, 'dropped');
  for (const d of [configDir, logDir, outDir, dropDir]) mkdirSync(d, { recursive: true });
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  if (!existsSync(path.join(rendererDir, 'index.html'))) throw new Error(`renderer build not found in ${rendererDir}: run npm run build`);

  const logger: Logger = createFileLogger({ dir: logDir, level: 'debug', echo: options.echoLogs ?? false });
  // Config isolated in the data dir (never the user's real config or policy).
  const config = loadConfig({ SIGNET_CONFIG_DIR: configDir, SIGNET_DATA_DIR: dataDir, SIGNET_LOG_DIR: logDir, SIGNET_POLICY_FILE: path.join(configDir, 'policy.json') });
  const settings = new SettingsStore(config.paths.userConfigFile, () => config.policy.webApi?.allowedOrigins ?? []);
  if (options.settings) settings.update(options.settings);

  const clients = new Set<WebSocket>();
  const events: { event: SignetEvent; payload: unknown }[] = [];
  const emit = <E extends SignetEvent>(event: E, payload: SignetEvents[E]): void => {
    events.push({ event, payload });
    if (events.length > 5000) events.splice(0, 1000);
    const text = JSON.stringify({ type: 'event', event, payload });
    for (const c of clients) if (c.readyState === c.OPEN) c.send(text);
  };

  const pins = new PinBroker({ request: (view) => emit('pin.request', view), dismiss: (requestId) => emit('pin.dismiss', { requestId }) });
  const files = new FileRegistry();
  const services = await createAppServices({
    launcher: new NodeHostLauncher(),
    pinPrompt: pins,
    logger,
    settings,
    appVersion: options.appVersion ?? '0.0.0-harness',
    configDir,
    config,
    ...(options.modules ? { modules: options.modules } : {}),
    ...(options.trustAnchorFiles ? { trustAnchorFiles: options.trustAnchorFiles } : {}),
    apiPort: options.apiPort === undefined ? null : options.apiPort,
    ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
    ...(options.slotPollIntervalMs ? { slotPollIntervalMs: options.slotPollIntervalMs } : {}),
    ...(options.consentTimeoutMs ? { consentTimeoutMs: options.consentTimeoutMs } : {}),
  });

  let nextPick: string[] | null = null;
  const shownInFolder: string[] = [];
  const openedPaths: string[] = [];
  const savedFiles: string[] = [];
  const dialogs: Dialogs = {
    async openFiles({ multiple }) {
      let picked: string[];
      if (nextPick) {
        picked = nextPick;
        nextPick = null;
      } else if (options.filesDir) {
        picked = readdirSync(options.filesDir)
          .sort()
          .map((n) => path.join(options.filesDir!, n))
          .filter((p) => statSync(p).isFile());
      } else picked = [];
      return multiple ? picked : picked.slice(0, 1);
    },
    async chooseOutputDir() {
      return outDir;
    },
    async saveText(defaultName, text) {
      const file = path.join(outDir, defaultName);
      await writeFile(`${file}.tmp`, text, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      savedFiles.push(file);
      return file;
    },
  };

  const ctx: HandlerContext = {
    services,
    files,
    plans: new PlanStore(),
    pins,
    settings,
    dialogs,
    shell: {
      showItemInFolder: (p) => void shownInFolder.push(p),
      openPath: async (p) => {
        openedPaths.push(p);
        return '';
      },
    },
    logger,
    appInfo: () => ({
      name: 'Signet (browser harness)',
      version: options.appVersion ?? '0.0.0-harness',
      platform: `${process.platform} ${process.arch}`,
      versions: { node: process.versions.node },
      locale: Intl.DateTimeFormat().resolvedOptions().locale,
      logDir,
      configDir,
    }),
    emit,
    focusWindow: () => undefined,
  };

  const offTokens = services.tokens.onChange((s) => emit('tokens.changed', s));
  const offUnlocked = services.pinCache?.onUnlockedChange((u) => emit('tokens.unlocked', u));
  const offSettings = settings.onChange((s) => emit('settings.changed', s));
  const offHistory = services.history.onChange((entries) => emit('history.changed', [...entries]));
  const offConsent = services.consent?.onRequest((r) => emit('consent.request', r));
  const offDismiss = services.consent?.onDismiss((d) => emit('consent.dismiss', d));

  const controlToken = randomBytes(16).toString('hex');
  let origin = '';

  const indexHtml = async (): Promise<string> => {
    const html = await readFile(path.join(rendererDir, 'index.html'), 'utf8');
    const tag = '<script src="./harness/bridge.js"></script>';
    const at = html.indexOf('<script');
    return at >= 0 ? `${html.slice(0, at)}${tag}\n    ${html.slice(at)}` : html.replace('</head>', `${tag}</head>`);
  };

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1_000_000) throw new Error('body too large');
      chunks.push(c as Buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/harness/control/')) {
        if (req.headers['x-harness-token'] !== controlToken || req.method !== 'POST') return json(res, 403, { error: 'forbidden' });
        const body = (await readBody(req)) as { paths?: unknown };
        const paths = Array.isArray(body?.paths) ? body.paths.filter((p): p is string => typeof p === 'string') : [];
        if (url.pathname === '/harness/control/next-pick') {
          nextPick = paths;
          return json(res, 200, { ok: true });
        }
        if (url.pathname === '/harness/control/open-files') {
          await handle.openFiles(paths);
          return json(res, 200, { ok: true });
        }
        return json(res, 404, { error: 'not found' });
      }
      if (req.method !== 'GET') return json(res, 405, { error: 'method not allowed' });
      if (url.pathname === '/harness/bridge.js') {
        res.writeHead(200, { ...RENDERER_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
        return res.end(BRIDGE_SCRIPT);
      }
      if (url.pathname === '/' || url.pathname === '/index.html') {
        res.writeHead(200, { ...RENDERER_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return res.end(await indexHtml());
      }
      const file = resolveStatic(rendererDir, url.pathname);
      if (!file || !existsSync(file) || !statSync(file).isFile()) return json(res, 404, { error: 'not found' });
      res.writeHead(200, { ...RENDERER_HEADERS, 'Content-Type': contentTypeOf(file) });
      res.end(await readFile(file));
    })().catch((e: unknown) => {
      logger.error('harness http', { message: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) json(res, 500, { error: 'internal' });
      else res.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    // Only the harness's own page may drive the app (another page in the browser must not).
    const pageOrigins = [origin, origin.replace('127.0.0.1', 'localhost')];
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/harness/ws' || !pageOrigins.includes(req.headers.origin ?? '')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', (data) => {
        void onMessage(ws, String(data));
      });
      // A page (re)loaded while a request waits sees it.
      for (const view of pins.open()) ws.send(JSON.stringify({ type: 'event', event: 'pin.request', payload: view }));
      for (const view of services.consent?.pending() ?? []) ws.send(JSON.stringify({ type: 'event', event: 'consent.request', payload: view }));
    });
  });

  async function onMessage(ws: WebSocket, text: string): Promise<void> {
    let msg: { id?: unknown; type?: unknown; method?: unknown; arg?: unknown; files?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    let result: Result<unknown>;
    if (msg.type === 'call' && typeof msg.method === 'string') {
      // Page script can reach only the public methods, as through the preload.
      result = await dispatch(ctx, msg.method, reviveBytes(msg.arg), false);
    } else if (msg.type === 'drop' && Array.isArray(msg.files)) {
      const paths: string[] = [];
      for (const f of msg.files as { name?: unknown; data?: unknown }[]) {
        if (typeof f?.name !== 'string' || typeof f.data !== 'string') continue;
        const dir = path.join(dropDir, randomUUID());
        mkdirSync(dir, { recursive: true });
        const p = path.join(dir, path.basename(f.name) || 'file');
        await writeFile(p, Buffer.from(f.data, 'base64'));
        paths.push(p);
      }
      result = paths.length > 0 ? await dispatch(ctx, 'files.dropped', { paths }, true) : { ok: false, error: { code: 'FILE_UNREADABLE', message: 'Nothing was dropped.', retriable: true } };
    } else {
      result = { ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown message.', retriable: false } };
    }
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: msg.id, result }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  const handle: HarnessHandle = {
    url: `${origin}/`,
    apiUrl: services.webApiUrl ?? null,
    controlToken,
    dataDir,
    setNextPick: (paths) => {
      nextPick = paths;
    },
    shownInFolder,
    openedPaths,
    savedFiles,
    events,
    async openFiles(paths) {
      emitOpenedFiles(await routeOpenedFiles(files, paths), emit);
    },
    ctx,
    async close() {
      offTokens();
      offUnlocked?.();
      offSettings();
      offHistory();
      offConsent?.();
      offDismiss?.();
      pins.cancelAll();
      for (const c of clients) c.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await services.close();
    },
  };
  logger.info('harness started', { url: handle.url, api: handle.apiUrl });
  return handle;
}

/** The bridge's { $bytes: base64 } argument fields back into Uint8Arrays (bridge-script.ts). */
function reviveBytes(arg: unknown): unknown {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) return arg;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(arg as Record<string, unknown>)) {
    const b = typeof v === 'object' && v !== null && Object.keys(v).length === 1 ? (v as { $bytes?: unknown }).$bytes : undefined;
    out[k] = typeof b === 'string' ? new Uint8Array(Buffer.from(b, 'base64')) : v;
  }
  return out;
}
