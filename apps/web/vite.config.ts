import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
// Every *.html here is an app entry (screen.html → /screen, m.html → /m, console.html → /console, …).
const pages = Object.fromEntries(
  readdirSync(here)
    .filter((file) => file.endsWith('.html'))
    .map((file) => [file.slice(0, -5), `${here}${file}`]),
);

// One build, several apps: the big screen, the phone site and the staff console share code and chunks.
// Everything is bundled and served by minqing itself — no CDN, no web font, nothing from outside.
export default defineConfig({
  plugins: [react()],
  base: '/',
  // antd-mobile's helpers pull React 18 into the root node_modules; one React (19, this app's) for all.
  resolve: { dedupe: ['react', 'react-dom'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: pages,
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/.well-known': 'http://localhost:8080' },
  },
});
