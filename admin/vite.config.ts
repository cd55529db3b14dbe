import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/** Built into dist/ and served by the BFF at /admin (same origin as the API: no CORS, no proxy). */
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  // shared-types from its TypeScript sources (package.json `exports`), not from its compiled dist/.
  resolve: { conditions: ['heyi-source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
