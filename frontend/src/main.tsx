import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import "./styles.css";

// The order board is the page staff/index.html, the analytics staff/analytics/index.html. A server
// whose fallback answers /staff or /staff/analytics with this page (Vite's dev server does) is sent
// to the folder's own; /staff/ and /staff/analytics/ never come here when those pages exist, so
// this cannot loop.
if (window.location.pathname === "/staff" || window.location.pathname === "/staff/analytics") {
  window.location.replace(`${window.location.pathname}/${window.location.search}${window.location.hash}`);
} else {
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
