import { lazy, Suspense, useCallback, useEffect, useState } from "react";

import { getMenu } from "../api";
import { sessionState, signOut, staffMe } from "./api";
import { AvailabilityPanel } from "./Availability";
import { Board } from "./Board";
import { SignIn } from "./SignIn";
import type { StaffMember } from "./types";

// The analytics and their charting library load only on that page: the board never needs them.
const Analytics = lazy(() => import("./Analytics").then((module) => ({ default: module.Analytics })));

/** Which staff page this is: the board at /staff/, the analytics at /staff/analytics (its own
 * index.html, staff/analytics/index.html, loads this same app). */
export function staffPage(pathname: string): "board" | "analytics" {
  return /^\/staff\/analytics\/?$/.test(pathname) ? "analytics" : "board";
}

type Gate = { kind: "checking" } | { kind: "sign-in" } | { kind: "not-staff" } | { kind: "staff"; member: StaffMember } | { kind: "error"; message: string };

/** `/staff`: sign in with a phone code, then the board for staff (a clear "not staff" otherwise);
 * `/staff/analytics`: the same sign-in, then the managers' figures. */
export function StaffApp({ page = staffPage(window.location.pathname) }: { page?: "board" | "analytics" }) {
  const [gate, setGate] = useState<Gate>({ kind: "checking" });
  const [restaurant, setRestaurant] = useState("Bella Forno");

  const check = useCallback(async () => {
    try {
      const member = await staffMe();
      if (member) return setGate({ kind: "staff", member });
      // 404: not staff. Signed in with another phone, or not signed in at all?
      setGate({ kind: (await sessionState()) === "signed_in" ? "not-staff" : "sign-in" });
    } catch (error) {
      setGate({ kind: "error", message: (error as Error).message });
    }
  }, []);

  useEffect(() => {
    void check();
    getMenu()
      .then((menu) => menu.restaurant?.name && setRestaurant(menu.restaurant.name))
      .catch(() => {
        /* the board works without the name */
      });
  }, [check]);

  const recheck = useCallback(() => void check(), [check]);

  const leave = async () => {
    try {
      await signOut();
    } finally {
      setGate({ kind: "sign-in" });
    }
  };

  return (
    <div className="app staff-app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <div>
            <h1>
              {restaurant} · {page === "analytics" ? "Analytics" : "Orders"}
            </h1>
            <p className="tagline">{page === "analytics" ? "What the assistant sold and missed" : "The kitchen's board"}</p>
          </div>
        </div>
        <nav className="tabs" aria-label="Pages">
          <a href="/" className="tab">
            Chat
          </a>
          <a href="/staff" className="tab" aria-current={page === "board" ? "page" : undefined}>
            Board
          </a>
          <a href="/staff/analytics" className="tab" aria-current={page === "analytics" ? "page" : undefined}>
            Analytics
          </a>
        </nav>
        {gate.kind === "staff" || gate.kind === "not-staff" ? (
          <div className="settings">
            {gate.kind === "staff" ? (
              <span className="staff-who">
                {gate.member.name} · {gate.member.role === "manager" ? "Manager" : "Kitchen"}
              </span>
            ) : null}
            <button type="button" className="button button-ghost button-small" onClick={() => void leave()}>
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      <main className="main staff-main" id="main" tabIndex={-1}>
        {gate.kind === "checking" ? <p className="muted staff-note">Checking who you are…</p> : null}
        {gate.kind === "sign-in" ? <SignIn onSignedIn={() => void check()} /> : null}
        {gate.kind === "not-staff" ? (
          <section className="card staff-signin" aria-labelledby="not-staff-title">
            <h2 id="not-staff-title" className="card-title">
              This phone is not on the staff
            </h2>
            <p>
              You are signed in, but not as a member of the restaurant's staff, so the order board is not available. Ask a manager
              to add your phone (<code>restaurant staff add</code>), or sign out and sign in with a staff phone.
            </p>
            <button type="button" className="button button-primary" onClick={() => void leave()}>
              Sign out
            </button>
          </section>
        ) : null}
        {gate.kind === "error" ? (
          <div className="error-banner" role="alert">
            The board could not be opened: {gate.message}{" "}
            <button type="button" className="link-button" onClick={() => void check()}>
              Try again
            </button>
          </div>
        ) : null}
        {gate.kind === "staff" && page === "board" ? (
          <>
            <Board onGone={recheck} />
            <AvailabilityPanel role={gate.member.role} onGone={recheck} />
          </>
        ) : null}
        {gate.kind === "staff" && page === "analytics" ? (
          <Suspense fallback={<p className="muted staff-note">Opening the analytics…</p>}>
            <Analytics onGone={recheck} />
          </Suspense>
        ) : null}
      </main>
    </div>
  );
}
