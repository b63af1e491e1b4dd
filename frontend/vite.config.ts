/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development the API runs separately (`make run`, port 8000); Vite proxies to it,
// WebSocket upgrades included, so the browser sees one origin as in production.
declare const process: { env: Record<string, string | undefined> };
const backend = process.env.BACKEND_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": { target: backend, changeOrigin: true, ws: true },
      "/static": { target: backend, changeOrigin: true },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Pages of one app: the chat at / and the staff's order board at /staff/ (staff/index.html,
    // served as dist/staff/index.html by the app's static files and by Caddy), and the managers'
    // analytics at /staff/analytics (staff/analytics/index.html: the staff's app again).
    rollupOptions: {
      input: { main: "index.html", staff: "staff/index.html", analytics: "staff/analytics/index.html" },
    },
    chunkSizeWarningLimit: 1500,
  },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    environment: "node",
  },
});
