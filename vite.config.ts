import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// `base: './'` makes the built site work from any folder of any static file server.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  // Pre-bundled at server start: otherwise the first Train press makes the dev server discover
  // them, re-optimise and reload the page mid-run.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
      'comlink',
      'elkjs/lib/elk.bundled.js',
      'recharts',
      'papaparse',
      'fflate',
    ],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['tests/global-setup.ts'],
    // Browser tests poll the page. With test files running side by side on 2 cores, a drag or a
    // redraw can take longer than the default 1 s.
    expect: { poll: { timeout: 5_000 } },
  },
});
