import { useEffect, useId, useState, type FormEvent } from "react";

import { useChatActions } from "../chat/actions";
import type { AuthCardData } from "../chat/types";
import { cardView } from "./registry";

/** Seconds left before a resend is allowed, ticking once a second. */
function useCountdown(seconds: number, since: number): number {
  const left = () => Math.max(0, Math.ceil(seconds - (Date.now() - since) / 1000));
  const [value, setValue] = useState(left);
  useEffect(() => {
    setValue(left());
    if (left() <= 0) return;
    const timer = setInterval(() => {
      const next = left();
      setValue(next);
      if (next <= 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [seconds, since]);
  return value;
}

export function AuthCard({ data, live, receivedAt }: { data: AuthCardData; live: boolean; receivedAt: number }) {
  const { send, busy } = useChatActions();
  const [value, setValue] = useState("");
  const inputId = useId();
  const hintId = useId();
  const left = useCountdown(data.resend_after ?? 0, receivedAt);
  const isCode = data.step === "code";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = value.trim();
    if (!text) return;
    send(text);
    setValue("");
  };

  if (!live) {
    return (
      <article className="card auth-card card-past" aria-label="Sign in">
        <p className="muted">{isCode ? `Code sent to ${data.phone ?? "your phone"}` : "Phone number requested"}</p>
      </article>
    );
  }

  return (
    <article className="card auth-card" aria-label="Sign in">
      <h2 className="card-title">{isCode ? "Enter your code" : "Sign in to order"}</h2>
      <p id={hintId} className="muted">
        {isCode
          ? `We texted a 6-digit code to ${data.phone ?? "your phone"}.`
          : "We'll text you a one-time code. Your cart stays as it is."}
      </p>
      <form className="auth-form" onSubmit={submit}>
        <label htmlFor={inputId}>{isCode ? "6-digit code" : "Mobile number"}</label>
        <div className="auth-row">
          {isCode ? (
            <input
              id={inputId}
              name="code"
              className="input code-input"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              placeholder="123456"
              aria-describedby={hintId}
              value={value}
              onChange={(e) => setValue(e.target.value.replace(/\D/g, ""))}
              autoFocus
            />
          ) : (
            <input
              id={inputId}
              name="phone"
              className="input"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder="(555) 123-4567"
              aria-describedby={hintId}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              autoFocus
            />
          )}
          <button type="submit" className="button button-primary" disabled={busy || !value.trim()}>
            {isCode ? "Verify" : "Send code"}
          </button>
        </div>
      </form>
      {isCode ? (
        <button type="button" className="link-button" disabled={busy || left > 0} onClick={() => send("resend the code")}>
          {left > 0 ? `Resend code in ${left}s` : "Resend code"}
        </button>
      ) : null}
    </article>
  );
}

export const view = cardView("AUTH_REQUIRED", AuthCard);
