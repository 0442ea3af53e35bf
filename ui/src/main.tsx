import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles.css";
import { App } from "./App";
import { installProductionGuards } from "./editor/guard";
import { loadPageValidator } from "./ipc/page-validator";

if (import.meta.env.PROD) installProductionGuards();
// The page's validator loads while the journey list shows: ready when a journey opens.
void loadPageValidator();

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
