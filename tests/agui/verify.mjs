// Reads a JSON array of AG-UI events on stdin and runs them through the official
// @ag-ui/client checks: schema enforcement (enforceEvents) and the event-order verifier
// (verifyEvents). Exits 1 with the first violation; enforcement warnings (unknown fields,
// dropped events) count as violations too, so nothing is silently stripped.
import { enforceEvents, verifyEvents } from "@ag-ui/client";
import { from, lastValueFrom, toArray } from "rxjs";

const warnings = [];
console.warn = (...args) => warnings.push(args.map(String).join(" "));

let raw = "";
for await (const chunk of process.stdin) raw += chunk;

let events;
try {
  events = JSON.parse(raw);
} catch (err) {
  console.error(`not JSON: ${err.message}`);
  process.exit(2);
}
if (!Array.isArray(events)) {
  console.error("expected a JSON array of events");
  process.exit(2);
}

try {
  const out = await lastValueFrom(
    from(events).pipe(enforceEvents(), verifyEvents(), toArray()),
    { defaultValue: [] },
  );
  if (warnings.length) throw new Error(warnings.join("\n"));
  if (out.length !== events.length) {
    throw new Error(`${events.length - out.length} event(s) were dropped by enforcement`);
  }
  console.log(JSON.stringify({ ok: true, events: out.length }));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
