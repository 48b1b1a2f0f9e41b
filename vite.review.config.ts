// The review console's own build: a browser page for the centre's reviewers, kept out of the kiosk's
// renderer bundle (nothing here ships in the kiosk app). `npm start` builds it into out/review.
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve('src/review'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve('out/review'),
    emptyOutDir: true,
    minify: true,
    // supabase-js (auth, functions and the realtime client it bundles) is most of it; one page, one chunk.
    chunkSizeWarningLimit: 800,
    rollupOptions: { input: { index: resolve('src/review/index.html') } },
  },
});
