// Holds a whole conversation through the official @ag-ui/client HttpAgent.
//
//   node conversation.mjs <agui url> <bearer token> <thread id> <outbox path> '<JSON messages>'
//
// Each message is sent as a user message and run with agent.runAgent(); the special message
// "{CODE}" is replaced by the newest one-time code in the outbox file. A sign-in gives the session
// a new token (a CUSTOM SESSION_TOKEN event): later runs send that one. Prints one JSON line:
// {"events": [...every event of every run...], "messages": agent.messages, "state": agent.state}.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { HttpAgent } from "@ag-ui/client";

const [url, token, threadId, outbox, script] = process.argv.slice(2);
const texts = JSON.parse(script);

const agent = new HttpAgent({ url, threadId, headers: { Authorization: `Bearer ${token}` } });
const events = [];
const failures = [];
agent.subscribe({
  onEvent: ({ event }) => {
    events.push(event);
    if (event.type === "CUSTOM" && event.name === "SESSION_TOKEN") {
      agent.headers = { ...agent.headers, Authorization: `Bearer ${event.value.token}` };
    }
  },
  onRunFailed: ({ error }) => {
    failures.push(String(error));
  },
});

function newestCode() {
  const lines = readFileSync(outbox, "utf8").trim().split("\n");
  return JSON.parse(lines[lines.length - 1]).code;
}

for (const text of texts) {
  const content = text === "{CODE}" ? newestCode() : text;
  agent.addMessage({ id: randomUUID(), role: "user", content });
  await agent.runAgent({ runId: randomUUID() });
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(JSON.stringify({ events, messages: agent.messages, state: agent.state }));
