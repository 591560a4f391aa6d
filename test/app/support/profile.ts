/**
 * A fresh user for the app under test: its own HOME and XDG folders in a temp dir, the demo token
 * made by the real `signet demo init`, module discovery off (only the demo token's SoftHSM2 module
 * is loaded, whatever else the machine has), and a free port for the web API.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './launch';

export interface UserProfile {
  dir: string;
  env: Record<string, string>;
  configDir: string;
  logDir: string;
  dataDir: string;
  policyFile: string;
  /** The web API's port (user config). */
  apiPort: number;
  demo: { token: string; module: string; softhsmConf: string };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export function profileEnv(dir: string): Record<string, string> {
  return {
    HOME: path.join(dir, 'home'),
    XDG_CONFIG_HOME: path.join(dir, 'home/.config'),
    XDG_DATA_HOME: path.join(dir, 'home/.local/share'),
    XDG_STATE_HOME: path.join(dir, 'home/.local/state'),
    // The admin policy lives in /etc on a real system; here a file of the profile (absent unless a test writes it).
    SIGNET_POLICY_FILE: path.join(dir, 'policy.json'),
    LANG: 'C.UTF-8',
  };
}

export async function makeUserProfile(dir: string): Promise<UserProfile> {
  const env = profileEnv(dir);
  mkdirSync(env.HOME!, { recursive: true });
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'demo', 'init', '--json'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    timeout: 60_000,
  });
  const demo = JSON.parse(stdout) as { token: string; module: string; softhsmConf: string };
  const configDir = path.join(env.XDG_CONFIG_HOME!, 'signet');
  const configFile = path.join(configDir, 'config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  const apiPort = await freePort();
  writeFileSync(configFile, JSON.stringify({ ...config, discovery: { p11kit: false, wellKnown: false }, webApi: { port: apiPort } }, null, 2));
  return {
    dir,
    env,
    configDir,
    logDir: path.join(env.XDG_STATE_HOME!, 'signet/logs'),
    dataDir: path.join(env.XDG_DATA_HOME!, 'signet'),
    policyFile: env.SIGNET_POLICY_FILE!,
    apiPort,
    demo,
  };
}
