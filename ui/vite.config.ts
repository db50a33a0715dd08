// Vite: builds the Svelte app into dist/ (loaded by the Tauri webview) and configures Vitest.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Vitest 5 wants Node 22 (its reporter calls Map.groupBy); this machine has Node 20. The shim keeps
// `npm test` working there and does nothing on Node 22+.
const MapWithGroupBy = Map as unknown as { groupBy?: unknown };
if (typeof MapWithGroupBy.groupBy !== 'function') {
  MapWithGroupBy.groupBy = <T, K>(items: Iterable<T>, key: (item: T, index: number) => K) => {
    const out = new Map<K, T[]>();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
    return out;
  };
}

export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs: the webview loads dist/ from its own origin.
  base: './',
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK (Linux) and WKWebView (macOS) are Safari-class engines.
    target: ['safari15', 'chrome105'],
    sourcemap: false,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
