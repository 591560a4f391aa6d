/**
 * Where Signet keeps things, per OS, each overridable by environment (tests, portable installs):
 *
 * |          | config (config.json)                   | data (demo token, CA)            | logs                          | admin policy                                     |
 * |----------|----------------------------------------|----------------------------------|-------------------------------|--------------------------------------------------|
 * | Linux    | $XDG_CONFIG_HOME/signet (~/.config)    | $XDG_DATA_HOME/signet            | $XDG_STATE_HOME/signet/logs   | /etc/signet/policy.json                          |
 * | macOS    | ~/Library/Application Support/Signet   | (same)                           | ~/Library/Logs/Signet         | /Library/Application Support/Signet/policy.json  |
 * | Windows  | %APPDATA%\Signet                       | %LOCALAPPDATA%\Signet            | %LOCALAPPDATA%\Signet\logs    | %ProgramData%\Signet\policy.json                 |
 *
 * Overrides: SIGNET_CONFIG_DIR, SIGNET_DATA_DIR, SIGNET_LOG_DIR, SIGNET_POLICY_FILE.
 */
import os from 'node:os';
import path from 'node:path';

export interface SignetPaths {
  configDir: string;
  dataDir: string;
  logDir: string;
  /** configDir/config.json: the user's settings (modules, demo token, UI, web API, signing). */
  userConfigFile: string;
  /** System-wide admin policy (read-only for Signet). */
  policyFile: string;
}

type Env = Record<string, string | undefined>;

export function signetPaths(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): SignetPaths {
  const p = platform === 'win32' ? path.win32 : path.posix;
  let configDir: string;
  let dataDir: string;
  let logDir: string;
  let policyFile: string;
  if (platform === 'win32') {
    const appData = env.APPDATA || p.join(home, 'AppData', 'Roaming');
    const localAppData = env.LOCALAPPDATA || p.join(home, 'AppData', 'Local');
    const programData = env.ProgramData || env.PROGRAMDATA || 'C:\\ProgramData';
    configDir = p.join(appData, 'Signet');
    dataDir = p.join(localAppData, 'Signet');
    logDir = p.join(localAppData, 'Signet', 'logs');
    policyFile = p.join(programData, 'Signet', 'policy.json');
  } else if (platform === 'darwin') {
    configDir = p.join(home, 'Library', 'Application Support', 'Signet');
    dataDir = configDir;
    logDir = p.join(home, 'Library', 'Logs', 'Signet');
    policyFile = '/Library/Application Support/Signet/policy.json';
  } else {
    // XDG Base Directory Specification: relative values are invalid and must be ignored.
    const xdg = (name: string, fallback: string): string => {
      const v = env[name];
      return v && p.isAbsolute(v) ? v : p.join(home, fallback);
    };
    configDir = p.join(xdg('XDG_CONFIG_HOME', '.config'), 'signet');
    dataDir = p.join(xdg('XDG_DATA_HOME', '.local/share'), 'signet');
    logDir = p.join(xdg('XDG_STATE_HOME', '.local/state'), 'signet', 'logs');
    policyFile = '/etc/signet/policy.json';
  }
  configDir = env.SIGNET_CONFIG_DIR || configDir;
  dataDir = env.SIGNET_DATA_DIR || dataDir;
  logDir = env.SIGNET_LOG_DIR || logDir;
  policyFile = env.SIGNET_POLICY_FILE || policyFile;
  return { configDir, dataDir, logDir, userConfigFile: p.join(configDir, 'config.json'), policyFile };
}
