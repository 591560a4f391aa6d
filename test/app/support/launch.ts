/**
 * Runs Signet's built main process (dist/app/main.js of a layout) under Node with the fake
 * `electron` module (../fake-electron), and talks to it: control requests over a Unix socket,
 * the fake's journal from a file, the exit code from the process itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { build } from 'esbuild';
import type { ControlReply, ControlRequest, JournalEntry } from '../fake-electron/wire';

export const ROOT = path.resolve(__dirname, '../../..');

/** Where the app's files are: the repository after `npm run build`, or an unpacked package. */
export interface AppLayout {
  name: string;
  /** dist/app/main.js of this layout. */
  mainJs: string;
  /** The folder holding the app's package.json (Electron's app path). */
  appDir: string;
  packaged: boolean;
  /** argv[0] as Electron's main sees it: the Electron binary from source, the app's executable when packaged. */
  executable: string;
}

export function repositoryLayout(): AppLayout {
  return {
    name: 'repository',
    mainJs: path.join(ROOT, 'dist/app/main.js'),
    appDir: ROOT,
    packaged: false,
    executable: path.join(ROOT, 'node_modules/electron/dist/electron'),
  };
}

/** Bundles the fake (loader + utility child shim) into `dir`; returns the loader's path. */
export async function bundleFake(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: { index: 'test/app/fake-electron/index.ts', 'parent-port': 'test/app/fake-electron/parent-port.ts' },
    outdir: dir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return path.join(dir, 'index.js');
}

export interface LaunchOptions {
  /** The process environment (HOME, XDG_* …): nothing else is inherited but PATH. */
  env: Record<string, string>;
  /** Command-line arguments after the app (files to open, switches). */
  args?: string[];
  cwd?: string;
  /** Emit 'ready' only on a { op: 'ready' } request. */
  holdReady?: boolean;
  /** Unique per launch within `workDir`. */
  tag: string;
  /** A command that execs Node in place (same pid), e.g. prlimit/setpriv (test/rig/core-dumps.ts). */
  prefix?: string[];
  workDir: string;
}

export interface AppInstance {
  readonly proc: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  request<T = unknown>(request: ControlRequest): Promise<T>;
  journal(): JournalEntry[];
  /** Polls the journal until an entry matches (fails after `timeoutMs`). */
  waitFor<E extends JournalEntry>(what: string, match: (e: JournalEntry) => e is E, timeoutMs?: number): Promise<E>;
  output(): string;
  kill(): void;
}

const electronVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

export async function launchApp(layout: AppLayout, fakeLoader: string, o: LaunchOptions): Promise<AppInstance> {
  const socketPath = path.join(o.workDir, `${o.tag}.sock`);
  const journalFile = path.join(o.workDir, `${o.tag}.journal`);
  const pending = new Map<number, (r: ControlReply) => void>();
  let nextId = 1;
  let connected: (s: net.Socket) => void;
  const connection = new Promise<net.Socket>((r) => (connected = r));
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
        const len = buffer.readUInt32BE(0);
        const { id, ...reply } = deserialize(buffer.subarray(4, 4 + len)) as { id: number } & ControlReply;
        buffer = buffer.subarray(4 + len);
        pending.get(id)?.(reply);
        pending.delete(id);
      }
    });
    socket.on('error', () => undefined);
    connected(socket);
  });
  await new Promise<void>((r) => server.listen(socketPath, r));

  const argv = layout.packaged ? [layout.executable, ...(o.args ?? [])] : [layout.executable, '.', ...(o.args ?? [])];
  const command = [...(o.prefix ?? []), process.execPath, '--require', fakeLoader, layout.mainJs];
  const proc = spawn(command[0]!, command.slice(1), {
    cwd: o.cwd ?? (layout.packaged ? path.dirname(layout.executable) : layout.appDir),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...o.env,
      FAKE_ELECTRON_APP_DIR: layout.appDir,
      FAKE_ELECTRON_PACKAGED: layout.packaged ? '1' : '0',
      FAKE_ELECTRON_ARGV: JSON.stringify(argv),
      FAKE_ELECTRON_JOURNAL: journalFile,
      FAKE_ELECTRON_CONTROL: socketPath,
      FAKE_ELECTRON_VERSION: electronVersion,
      ...(o.holdReady ? { FAKE_ELECTRON_HOLD_READY: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer): void => {
    out = (out + b.toString('utf8')).slice(-64_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      server.close();
      for (const [, settle] of pending) settle({ ok: false, error: `the app exited (code ${code}, signal ${signal})` });
      pending.clear();
      resolve({ code, signal });
    }),
  );

  const journal = (): JournalEntry[] =>
    existsSync(journalFile)
      ? readFileSync(journalFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as JournalEntry)
      : [];

  return {
    proc,
    exited,
    journal,
    output: () => out,
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
    async request<T>(request: ControlRequest): Promise<T> {
      const socket = await Promise.race([connection, exited.then(() => null)]);
      if (!socket) throw new Error(`the app exited before the control channel opened:\n${out}`);
      const id = nextId++;
      const reply = new Promise<ControlReply>((resolve) => pending.set(id, resolve));
      const body = serialize({ id, request });
      const head = Buffer.alloc(4);
      head.writeUInt32BE(body.length);
      socket.write(Buffer.concat([head, body]));
      const r = await reply;
      if (!r.ok) throw new Error(`${request.op}: ${r.error}`);
      return r.value as T;
    },
    async waitFor<E extends JournalEntry>(what: string, match: (e: JournalEntry) => e is E, timeoutMs = 20_000): Promise<E> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = journal().find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; journal:\n${journal().map((e) => JSON.stringify(e)).join('\n')}\noutput:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Waits for the process to end (fails after `timeoutMs`, killing it). */
export async function exitOf(app: AppInstance, timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      app.kill();
      reject(new Error(`the app did not exit within ${timeoutMs} ms (it lingers); output:\n${app.output()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([app.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
