import { useEffect, useRef, useState, type FormEvent } from "react";

import { getGraph, type GraphDocument } from "../api";
import { activityLabel, statusText } from "../chat/reducer";
import type { Chat } from "../chat/useChat";

/** Elements of the rendered picture that stand for graph node `name`. */
export function nodeElements(root: ParentNode, name: string): Element[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const byId = new RegExp(`(^|-)flowchart-${escaped}-\\d+$`);
  return Array.from(root.querySelectorAll("g.node")).filter(
    (el) => el.getAttribute("data-id") === name || byId.test(el.id),
  );
}

let renderCount = 0;

interface Paint {
  fill: string;
  stroke: string;
  text: string;
  width: string;
}
const ACTIVE: Paint = { fill: "#b5361f", stroke: "#8c2f1b", text: "#ffffff", width: "3px" };
const VISITED: Paint = { fill: "#fde9c4", stroke: "#e7a93b", text: "#3b2a20", width: "2px" };

/** Colour a node's shape and label, or restore mermaid's look with null. */
function paint(node: Element, colours: Paint | null): void {
  node.querySelectorAll<SVGElement>("rect, polygon, circle, ellipse, path").forEach((shape) => {
    if (colours) {
      shape.style.setProperty("fill", colours.fill, "important");
      shape.style.setProperty("stroke", colours.stroke, "important");
      shape.style.setProperty("stroke-width", colours.width, "important");
    } else {
      shape.style.removeProperty("fill");
      shape.style.removeProperty("stroke");
      shape.style.removeProperty("stroke-width");
    }
  });
  node.querySelectorAll<SVGElement>("text, tspan").forEach((label) => {
    if (colours) label.style.setProperty("fill", colours.text, "important");
    else label.style.removeProperty("fill");
  });
}

/** The agent's graph, drawn by mermaid (bundled, loaded on first visit), lit up as a turn runs. */
export function GraphView({ chat }: { chat: Chat }) {
  const [graph, setGraph] = useState<GraphDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rendered, setRendered] = useState(false);
  const [draft, setDraft] = useState("");
  const holder = useRef<HTMLDivElement>(null);
  const { state } = chat;

  useEffect(() => {
    getGraph()
      .then(setGraph)
      .catch((e: Error) => setError(`The graph could not be loaded: ${e.message}`));
  }, []);

  useEffect(() => {
    if (!graph?.mermaid || !holder.current) return;
    let cancelled = false;
    (async () => {
      const mermaid = (await import("mermaid")).default;
      mermaid.initialize({
        startOnLoad: false,
        securityLevel: "strict",
        theme: "base",
        themeVariables: {
          primaryColor: "#fff8ee",
          primaryBorderColor: "#b9a48a",
          primaryTextColor: "#3b2a20",
          lineColor: "#8b7765",
          fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        },
        flowchart: { curve: "basis", htmlLabels: false },
      });
      renderCount += 1;
      // LangGraph labels its ends "<p>__start__</p>": show them as plain words.
      const source = graph.mermaid.replace(/\(\[<p>__(start|end)__<\/p>\]\)/g, "([$1])");
      const { svg } = await mermaid.render(`agent-graph-${renderCount}`, source);
      if (cancelled || !holder.current) return;
      holder.current.innerHTML = svg;
      const picture = holder.current.querySelector("svg");
      picture?.setAttribute("role", "img");
      picture?.setAttribute("aria-label", `The assistant's graph: ${graph.nodes.join(", ")}`);
      setRendered(true);
    })().catch((e: Error) => setError(`The graph could not be drawn: ${e.message}`));
    return () => {
      cancelled = true;
    };
  }, [graph]);

  // Light the running node, and the ones this turn has already passed through. Inline styles:
  // mermaid's own per-diagram rules are id-scoped and !important, so classes alone lose to them.
  useEffect(() => {
    const root = holder.current;
    if (!root || !rendered) return;
    root.querySelectorAll("g.node").forEach((el) => {
      el.classList.remove("node-active", "node-visited");
      paint(el, null);
    });
    for (const name of state.trail) nodeElements(root, name).forEach((el) => {
      el.classList.add("node-visited");
      paint(el, VISITED);
    });
    if (state.step) nodeElements(root, state.step).forEach((el) => {
      el.classList.add("node-active");
      paint(el, ACTIVE);
    });
  }, [state.step, state.trail, rendered]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    chat.send(draft);
    setDraft("");
  };

  const status = statusText(state);
  return (
    <section className="graph-page" aria-labelledby="graph-title">
      <div className="graph-head">
        <div>
          <h2 id="graph-title">How the assistant thinks</h2>
          <p className="muted">
            Each box is a step of the agent. Send a message and watch the running step light up.
          </p>
        </div>
        <form className="composer graph-composer" onSubmit={submit}>
          <label htmlFor="graph-message" className="sr-only">
            Message
          </label>
          <input
            id="graph-message"
            className="input"
            placeholder="e.g. add a margherita pizza"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={!draft.trim()}>
            Send
          </button>
        </form>
      </div>
      <p className="graph-status" role="status" aria-live="polite">
        {state.step ? (
          <>
            Running <strong>{state.step}</strong> — {activityLabel(state.step)}
          </>
        ) : status ? (
          status
        ) : state.trail.length ? (
          <>Last turn: {state.trail.join(" → ")}</>
        ) : (
          "Idle"
        )}
      </p>
      {error ? (
        <p className="error-banner" role="alert">
          {error}
        </p>
      ) : null}
      <div className="graph-picture" aria-busy={!rendered}>
        {!rendered && !error ? <p className="muted">Drawing the graph…</p> : null}
        {/* Filled by mermaid, outside React's reconciliation. */}
        <div ref={holder} />
      </div>
      {graph ? (
        <ul className="legend" aria-label="Legend">
          <li>
            <span className="swatch swatch-active" /> running now
          </li>
          <li>
            <span className="swatch swatch-visited" /> passed this turn
          </li>
        </ul>
      ) : null}
    </section>
  );
}
