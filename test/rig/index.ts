// The test rig: SoftHSM2 tokens provisioned by a throw-away test CA, fault-injecting PKCS#11
// modules, and local TSA / OCSP / CRL services. Independent of the app's code on purpose: it is
// what the app is tested against. API: /work/team.md, "The test rig API"; notes in README.md.
export { provisionRig } from './provision';
export { startOcsp, startTsa, type OcspOptions, type TsaOptions, type TsaService } from './services';
export { buildFaultModule, type FaultKind, type FaultModule, type FaultOptions } from './faults';
export { STD, STANDARD_TOKEN_A, STANDARD_TOKEN_B, standardTokens } from './standard';
export { objectUri, tokenUri } from './uri';
export { RigCommandError } from './exec';
export type * from './types';
