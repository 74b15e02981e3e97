import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { type Inputs, listInputs, writeBuildStamp } from './scripts/ensure-web-build.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Stamps dist/web with what it was built from, so `npm start` and the tests rebuild only when needed. */
function buildStamp(): Plugin {
  let started = 0;
  let inputs: Inputs = { files: [], newestMs: 0 };
  return {
    name: 'civitas-build-stamp',
    apply: 'build',
    buildStart() {
      started = Date.now();
      inputs = listInputs(here);
    },
    closeBundle() {
      writeBuildStamp(here, started, inputs);
    },
  };
}

// The web app lives in src/web; the server serves the build from dist/web (SPA fallback there).
export default defineConfig({
  root: path.join(here, 'src/web'),
  publicDir: path.join(here, 'src/web/public'),
  plugins: [react(), buildStamp()],
  build: {
    outDir: path.join(here, 'dist/web'),
    emptyOutDir: true,
    // antd alone is ~1 MB minified; split the big, rarely-changing vendors so app changes
    // do not invalidate them in browsers' caches.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              priority: 30,
            },
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|dayjs)[\\/]/,
              priority: 20,
            },
            // ECharts (with zrender) is fetched only by the lazily loaded quick chart; in "vendor"
            // every page would download it.
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 25 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    // `npm run dev` runs the API on PORT (8080); the Vite dev server forwards /api to it. The Host
    // header stays the browser's, so the API's same-origin check on writes passes.
    proxy: { '/api': { target: `http://127.0.0.1:${process.env.PORT ?? 8080}`, changeOrigin: false } },
  },
});
