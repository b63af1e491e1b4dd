import { useId, useState, type FormEvent } from "react";

import { sendCode, verifyCode } from "./api";

/** The staff's sign-in: the customers' phone and one-time code, over REST. */
export function SignIn({ onSignedIn }: { onSignedIn(): void }) {
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const phoneId = useId();
  const codeId = useId();
  const hintId = useId();

  const run = async (action: () => Promise<void>) => {
    setWorking(true);
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setWorking(false);
    }
  };

  const askCode = (event: FormEvent) => {
    event.preventDefault();
    if (!phone.trim() || working) return;
    void run(async () => {
      const sent = await sendCode(phone.trim());
      setSentTo(sent.phone);
    });
  };

  const verify = (event: FormEvent) => {
    event.preventDefault();
    if (code.length !== 6 || working) return;
    void run(async () => {
      await verifyCode(phone.trim(), code);
      onSignedIn();
    });
  };

  return (
    <section className="card staff-signin" aria-labelledby="signin-title">
      <h2 id="signin-title" className="card-title">
        {sentTo ? "Enter your code" : "Staff sign-in"}
      </h2>
      <p id={hintId} className="muted">
        {sentTo ? `We texted a 6-digit code to ${sentTo}.` : "Sign in with your phone: we'll text you a one-time code."}
      </p>
      {sentTo ? (
        <form className="auth-form" onSubmit={verify}>
          <label htmlFor={codeId}>6-digit code</label>
          <div className="auth-row">
            <input
              id={codeId}
              name="code"
              className="input code-input"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              aria-describedby={hintId}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ""))}
              autoFocus
            />
            <button type="submit" className="button button-primary" aria-disabled={working || code.length !== 6}>
              Verify
            </button>
          </div>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setSentTo(null);
              setCode("");
            }}
          >
            Use another phone
          </button>
        </form>
      ) : (
        <form className="auth-form" onSubmit={askCode}>
          <label htmlFor={phoneId}>Mobile number</label>
          <div className="auth-row">
            <input
              id={phoneId}
              name="phone"
              className="input"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              aria-describedby={hintId}
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              autoFocus
            />
            <button type="submit" className="button button-primary" aria-disabled={working || !phone.trim()}>
              Send code
            </button>
          </div>
        </form>
      )}
      {problem ? (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
