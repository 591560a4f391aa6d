/**
 * Peak resident set size of this process, in KiB. On Linux from /proc/self/status VmHWM, which
 * belongs to the process image: getrusage's ru_maxrss survives execve(2), so a child spawned by
 * a big parent would report the parent's size (fork copies it before exec). Elsewhere getrusage.
 */
import { readFileSync } from 'node:fs';

export function peakRssKiB(): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
