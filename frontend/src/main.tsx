import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import "./styles.css";

// The order board is the page staff/index.html. A server whose fallback answers /staff with this
// page (Vite's dev server does) is sent to the folder's own; /staff/ itself never comes here
// when the board's page exists, so this cannot loop.
if (window.location.pathname === "/staff") {
  window.location.replace(`/staff/${window.location.search}${window.location.hash}`);
} else {
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
