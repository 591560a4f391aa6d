/**
 * The document-signing workflow (issue 3), for the CLI, the app (IPC) and the web API:
 *
 *   prepareFiles(paths, {onProgress, signal})       → name, size, SHA-256, PDF?, default format
 *   inspectInputs(paths)                             → the same without hashing (no confirmation step)
 *   outputNameFor / freeOutputPath                   → the output name the confirmation shows
 *   signFiles(items, {signer, purposes, …})          → per-file results (one login per batch)
 *   signDocumentBytes({content, format, signer, …})  → bytes in, bytes out (web sign-document)
 *
 * `signer` is a DocumentSigner (document-signer.ts); in the product it is made from the key URI
 * with KeySigner (key-document-signer.ts), which logs in through the PinPrompt.
 */
export * from './types';
export { prepareFiles, inspectInputs, looksLikePdf } from './prepare';
export { outputNameFor, freeOutputPath, numberedName } from './output-path';
export { signFiles } from './sign-files';
export { signDocumentBytes, type SignBytesInput, type SignBytesOutput } from './sign-bytes';
export { writeOutput } from './write-output';
