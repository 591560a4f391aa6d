// electron-builder `beforePack` hook: refuse to package a native module (pkcs11js, and
// signet-process-hardening from native/process-hardening) for an OS or CPU it was not compiled for. `npm ci` compiles it (node-gyp) for the machine it runs on and the
// config has `npmRebuild: false`, so a cross-arch or cross-OS build would otherwise ship a binary
// that cannot load: the token host would fail on every card. docs/packaging.md, "Native module".
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook: electron-builder require()s it */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const NODE_FILE = path.join(__dirname, '..', 'node_modules', 'pkcs11js', 'build', 'Release', 'pkcs11.node');
const NODE_FILES = [NODE_FILE, path.join(__dirname, '..', 'node_modules', 'signet-process-hardening', 'build', 'Release', 'process_hardening.node')];

/** electron-builder's Arch enum (builder-util): ia32 0, x64 1, armv7l 2, arm64 3, universal 4. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

const ELF_MACHINES = { 0x03: 'ia32', 0x3e: 'x64', 0x28: 'armv7l', 0xb7: 'arm64' };
const PE_MACHINES = { 0x014c: 'ia32', 0x8664: 'x64', 0xaa64: 'arm64' };
const MACHO_CPUS = { 0x01000007: 'x64', 0x0100000c: 'arm64' };

/**
 * The OS family and CPU architectures of a native binary, from its header: ELF (System V ABI,
 * e_machine at offset 18), PE/COFF (Microsoft PE format: "PE\0\0" at e_lfanew, Machine after it),
 * Mach-O (mach-o/loader.h: cputype after the magic; a fat binary lists several).
 * @returns {{ platform: 'linux' | 'win32' | 'darwin', archs: string[] }}
 */
function describeBinary(buf) {
  if (buf.length >= 20 && buf.readUInt32BE(0) === 0x7f454c46) {
    const le = buf[5] === 1;
    const machine = le ? buf.readUInt16LE(18) : buf.readUInt16BE(18);
    return { platform: 'linux', archs: [ELF_MACHINES[machine] ?? `elf-machine-${machine}`] };
  }
  if (buf.length >= 0x40 && buf.toString('latin1', 0, 2) === 'MZ') {
    const pe = buf.readUInt32LE(0x3c);
    if (buf.length >= pe + 6 && buf.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      const machine = buf.readUInt16LE(pe + 4);
      return { platform: 'win32', archs: [PE_MACHINES[machine] ?? `pe-machine-${machine}`] };
    }
  }
  if (buf.length >= 8 && (buf.readUInt32LE(0) === 0xfeedfacf || buf.readUInt32LE(0) === 0xfeedface)) {
    const cpu = buf.readUInt32LE(4);
    return { platform: 'darwin', archs: [MACHO_CPUS[cpu] ?? `macho-cpu-${cpu}`] };
  }
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xcafebabe) {
    const n = buf.readUInt32BE(4);
    const archs = [];
    for (let i = 0; i < n && 8 + i * 20 + 4 <= buf.length; i++) {
      const cpu = buf.readUInt32BE(8 + i * 20);
      archs.push(MACHO_CPUS[cpu] ?? `macho-cpu-${cpu}`);
    }
    return { platform: 'darwin', archs };
  }
  throw new Error('not an ELF, PE or Mach-O binary');
}

/** The mismatch message, or null when the binary fits the target. */
function mismatch(binary, platform, arch, file = NODE_FILE) {
  const target = platform === 'mas' ? 'darwin' : platform;
  if (binary.platform === target && (binary.archs.includes(arch) || (arch === 'universal' && binary.archs.includes('x64') && binary.archs.includes('arm64')))) return null;
  return (
    `${path.basename(path.dirname(path.dirname(path.dirname(file))))}'s native module (${path.relative(process.cwd(), file)}) is built for ${binary.platform}-${binary.archs.join('+')}, ` +
    `but this package is for ${target}-${arch}. Build each package on its own OS and CPU (run \`npm ci\` there first): docs/packaging.md, "Native module".`
  );
}

async function beforePack(context) {
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  for (const file of NODE_FILES) {
    const problem = mismatch(describeBinary(readFileSync(file)), context.electronPlatformName, arch, file);
    if (problem) throw new Error(problem);
  }
}

module.exports = beforePack;
module.exports.default = beforePack;
module.exports.describeBinary = describeBinary;
module.exports.mismatch = mismatch;
