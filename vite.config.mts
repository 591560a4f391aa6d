import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const PDFJS = path.resolve(import.meta.dirname, 'node_modules/pdfjs-dist');

/**
 * pdf.js's data files, served from the app's own origin under pdfjs/ (the CSP allows nothing
 * else): the Adobe CMaps and standard fonts it fetches for PDFs that do not embed their fonts,
 * the JavaScript JPEG 2000 decoder (no WebAssembly: the CSP has no 'wasm-unsafe-eval'), and the
 * CMYK profile. The worker itself is imported with `?url` (renderer/src/lib/pdf/pdfjs.ts).
 */
function pdfjsData(): Plugin {
  const pick: Record<string, (name: string) => boolean> = {
    cmaps: () => true,
    standard_fonts: () => true,
    iccs: () => true,
    wasm: (n) => n.endsWith('.js') || n.startsWith('LICENSE'),
  };
  return {
    name: 'signet-pdfjs-data',
    apply: 'build',
    generateBundle() {
      for (const [dir, keep] of Object.entries(pick)) {
        for (const name of readdirSync(path.join(PDFJS, dir))) {
          if (!keep(name)) continue;
          this.emitFile({ type: 'asset', fileName: `pdfjs/${dir}/${name}`, source: readFileSync(path.join(PDFJS, dir, name)) });
        }
      }
    },
  };
}

// The renderer is served only from the app's own origin (app:// in Electron, the harness's
// http://127.0.0.1 in tests). Relative base so the same build works under both. No inline scripts:
// the CSP (index.html + the protocol handler's header) is script-src 'self'.
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [react(), pdfjsData()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    // pdf.js is one large module, loaded only when a preview is shown.
    chunkSizeWarningLimit: 1500,
  },
});
