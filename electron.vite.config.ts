// The app build: main and preload for Node/Electron (the preload as CommonJS, so the window keeps its sandbox),
// the renderer as in the browser preview.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The storage's worker thread is an entry of its own, out/main/storage-worker.js beside main.js, where
      // electron/storage/engine-link.ts looks for it; so is the reports' XLSX writer (electron/reports/xlsx-thread.ts).
      rollupOptions: {
        input: {
          main: resolve('electron/main.ts'),
          'storage-worker': resolve('electron/storage/worker.ts'),
          'xlsx-worker': resolve('electron/reports/xlsx-worker.ts'),
        },
        output: { entryFileNames: '[name].js' },
      },
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
      // A sandboxed preload can require only Electron's own modules: bundle everything else.
      externalizeDeps: { exclude: ['zod', '@noble/hashes'] },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: { outDir: 'out/renderer', rollupOptions: { input: { index: resolve('renderer/index.html') } } },
  },
});
