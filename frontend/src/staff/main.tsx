/** The staff's page (`/staff`): a second entry of the same Vite app, sharing its styles and API code. */

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { StaffApp } from "./StaffApp";
import "../styles.css";
import "./staff.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <StaffApp />
  </StrictMode>,
);
