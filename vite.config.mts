import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

// The renderer is served only from the app's own origin (app:// in Electron, the harness's
// http://127.0.0.1 in tests). Relative base so the same build works under both. No inline scripts:
// the CSP (index.html + the protocol handler's header) is script-src 'self'.
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
});
