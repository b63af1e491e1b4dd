import { lazy, Suspense, useEffect, useState } from "react";

import { getMenu } from "./api";
import { ChatView } from "./chat/ChatView";
import { useChat, type TransportKind } from "./chat/useChat";

// The graph page pulls in mermaid: load it only when visited.
const GraphView = lazy(() => import("./graph/GraphView").then((m) => ({ default: m.GraphView })));

type Page = "chat" | "graph";

function pageFromHash(): Page {
  return window.location.hash.replace(/^#\/?/, "") === "graph" ? "graph" : "chat";
}

const CONNECTION_LABEL = { connecting: "Connecting", open: "Online", reconnecting: "Reconnecting", closed: "Offline" };

export function App() {
  const chat = useChat();
  const [page, setPage] = useState<Page>(pageFromHash);
  const [restaurant, setRestaurant] = useState("Bella Forno");
  const [currency, setCurrency] = useState("USD");

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    getMenu()
      .then((menu) => {
        if (menu.restaurant?.name) setRestaurant(menu.restaurant.name);
        if (menu.restaurant?.currency) setCurrency(menu.restaurant.currency);
      })
      .catch(() => {
        /* the chat works without the name */
      });
  }, []);

  useEffect(() => {
    document.title = `${restaurant} · ${page === "graph" ? "Agent graph" : "Order assistant"}`;
  }, [restaurant, page]);

  return (
    <div className="app">
      {/* A skip link's target must be on the page: the message box is the chat's only. */}
      {page === "graph" ? (
        <a className="skip-link" href="#main">
          Skip to content
        </a>
      ) : (
        <a className="skip-link" href="#message">
          Skip to message box
        </a>
      )}
      <header className="topbar">
        <div className="brand">
          <svg className="logo" viewBox="0 0 64 64" aria-hidden="true">
            <rect width="64" height="64" rx="16" fill="#b5361f" />
            <path d="M32 12 L52 50 Q32 58 12 50 Z" fill="#f6c453" />
            <path d="M12 50 Q32 58 52 50" fill="none" stroke="#d98b2b" strokeWidth="5" strokeLinecap="round" />
            <circle cx="30" cy="32" r="4" fill="#b5361f" />
            <circle cx="38" cy="42" r="3.5" fill="#b5361f" />
            <circle cx="24" cy="44" r="3" fill="#b5361f" />
          </svg>
          <div>
            <h1>{restaurant}</h1>
            <p className="tagline">Order by chat · pickup or delivery</p>
          </div>
        </div>
        <nav className="tabs" aria-label="Pages">
          <a href="#/" className="tab" aria-current={page === "chat" ? "page" : undefined}>
            Chat
          </a>
          <a href="#/graph" className="tab" aria-current={page === "graph" ? "page" : undefined}>
            Graph
          </a>
        </nav>
        <div className="settings">
          <span className={`conn conn-${chat.connection}`} title={`Connection: ${CONNECTION_LABEL[chat.connection]}`}>
            <span className="conn-dot" aria-hidden="true" />
            <span className="conn-label">{CONNECTION_LABEL[chat.connection]}</span>
          </span>
          <label className="transport">
            <span className="sr-only">Transport</span>
            <select
              className="input input-small"
              value={chat.transport}
              onChange={(e) => chat.setTransport(e.target.value as TransportKind)}
              title="How the chat talks to the server"
            >
              <option value="ws">WebSocket</option>
              <option value="sse">SSE</option>
            </select>
          </label>
          <button type="button" className="button button-ghost button-small new-chat" onClick={chat.newConversation} aria-label="New chat">
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
              <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
            </svg>
            <span className="new-chat-label">New chat</span>
          </button>
        </div>
      </header>
      <main className="main" id="main" tabIndex={-1}>
        {page === "graph" ? (
          <Suspense fallback={<p className="muted">Loading the graph…</p>}>
            <GraphView chat={chat} />
          </Suspense>
        ) : (
          <ChatView chat={chat} restaurant={restaurant} currency={currency} />
        )}
      </main>
    </div>
  );
}
