/** Signet's version, from package.json (esbuild inlines just this field). */
import { version } from '../../package.json';

export const SIGNET_VERSION: string = version;
