// The renderer on its own, for the browser preview (electron-vite builds it for the app into out/renderer).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Loaded from disk or localhost, never over a network: one bundle is fine.
    chunkSizeWarningLimit: 2000,
  },
});
