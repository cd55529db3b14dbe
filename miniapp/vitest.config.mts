import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const mock = (file: string) => fileURLToPath(new URL(`./test/mocks/${file}`, import.meta.url));

// "Variant A" from specs/toolchain.md §6: Taro's components become plain DOM elements and the
// Taro API becomes spies, so page logic is tested in jsdom without a Taro runtime.
export default defineConfig({
  define: { API_BASE: JSON.stringify('') },
  resolve: {
    // shared-types from its TypeScript sources (package.json `exports`), not from dist/.
    conditions: ['heyi-source'],
    alias: [
      { find: /^@tarojs\/components$/, replacement: mock('tarojs-components.tsx') },
      { find: /^@tarojs\/taro$/, replacement: mock('tarojs-taro.ts') },
    ],
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
  },
});
