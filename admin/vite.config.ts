import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Built into dist/ and served by the BFF at /admin (same origin as the API: no CORS, no proxy). */
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
