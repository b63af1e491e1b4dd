/** The analytics page's data handling: its range, what an answer means, and the words it shows. */

import { describe, expect, it } from "vitest";

import {
  analyticsPath,
  barsSummary,
  dayLabel,
  daysSummary,
  defaultRange,
  median,
  money,
  newestFirst,
  optionLabel,
  outcomeOf,
  percent,
  rangeProblem,
} from "./analytics";
import { staffPage } from "./StaffApp";

function answer(status: number, body: unknown) {
  return {
    ok: status < 400,
    status,
    statusText: "",
    json: async () => {
      if (body === undefined) throw new SyntaxError("not JSON");
      return body;
    },
  };
}

describe("the range", () => {
  it("defaults to the last 7 days, today included, across a month's end", () => {
    expect(defaultRange(new Date(2026, 11, 5, 23, 30))).toEqual({ from: "2026-11-29", to: "2026-12-05" });
    expect(defaultRange(new Date(2026, 2, 2), 3)).toEqual({ from: "2026-02-28", to: "2026-03-02" });
  });

  it("refuses a missing day, a reversed range and one past the API's limit", () => {
    expect(rangeProblem({ from: "2026-12-01", to: "2026-12-07" })).toBeNull();
    expect(rangeProblem({ from: "2026-12-05", to: "2026-12-05" })).toBeNull();
    expect(rangeProblem({ from: "", to: "2026-12-07" })).toMatch(/both/);
    expect(rangeProblem({ from: "2026-12-08", to: "2026-12-07" })).toMatch(/before/);
    expect(rangeProblem({ from: "2025-01-01", to: "2026-01-01" })).toBeNull(); // 366 days
    expect(rangeProblem({ from: "2025-01-01", to: "2026-01-02" })).toMatch(/at most 366.*367/);
  });

  it("asks with from and to", () => {
    expect(analyticsPath({ from: "2026-12-01", to: "2026-12-07" })).toBe("/staff/analytics?from=2026-12-01&to=2026-12-07");
  });
});

describe("an answer", () => {
  it("is the figures, managers only (403), sign in (404) or a problem", async () => {
    const report = { first_day: "2026-12-01" };
    expect(await outcomeOf(answer(200, report))).toEqual({ kind: "figures", report });
    expect(await outcomeOf(answer(403, { detail: "managers" }))).toEqual({ kind: "managers-only" });
    expect(await outcomeOf(answer(404, { detail: "Not Found" }))).toEqual({ kind: "sign-in" });
    expect(await outcomeOf(answer(400, { detail: "the range ends before it starts" }))).toEqual({
      kind: "problem",
      message: "the range ends before it starts",
    });
    expect(await outcomeOf(answer(503, undefined))).toEqual({ kind: "problem", message: "HTTP 503" });
  });
});

describe("the words", () => {
  it("shows money, shares and medians", () => {
    expect(money("21.83")).toBe("$21.83");
    expect(money(1234.5)).toBe("$1,234.50");
    expect(money(null)).toBe("—");
    expect(percent(0.3)).toBe("30.0%");
    expect(percent(2 / 14)).toBe("14.3%");
    expect(median(7, "turns")).toBe("7 turns");
    expect(median(3.4667, "min")).toBe("3.5 min");
    expect(median(null, "min")).toBe("—");
  });

  it("reads a day as a calendar day and an option as a manager would", () => {
    expect(dayLabel("2026-12-01")).toBe("Dec 1");
    expect(optionLabel({ group: "Size", option: "Large", excluded: false, quantity: 3, lines: 2 })).toBe("Size: Large");
    expect(optionLabel({ group: "Toppings", option: "Onions", excluded: true, quantity: 2, lines: 1 })).toBe("Toppings: NO Onions");
  });

  it("sums the chart up for a screen reader", () => {
    const days = [
      { day: "2026-12-01", conversations: 2, orders: 2 },
      { day: "2026-12-02", conversations: 3, orders: 1 },
    ];
    expect(daysSummary(days)).toBe("5 conversations and 3 orders from Dec 1 to Dec 2; most orders on Dec 1 (2).");
    expect(daysSummary([{ day: "2026-12-01", conversations: 1, orders: 0 }])).toBe("1 conversation and 0 orders from Dec 1 to Dec 1.");
    const bars = ["a", "b", "c", "d", "e"].map((label, n) => ({ label, value: 5 - n }));
    expect(barsSummary("Top items", bars, "units")).toBe("Top items, by units: a 5, b 4, c 3, and 2 more.");
    expect(barsSummary("Top items", [], "units")).toBe("Top items: none in the range.");
  });

  it("lists what was not understood newest first", () => {
    const texts = [
      { text: "old", at: "2026-12-01T10:00:00Z", session_id: "a" },
      { text: "new", at: "2026-12-02T10:00:00Z", session_id: "b" },
    ];
    expect(newestFirst(texts).map((t) => t.text)).toEqual(["new", "old"]);
  });
});

describe("the page", () => {
  it("is the analytics at /staff/analytics, the board anywhere else", () => {
    expect(staffPage("/staff/analytics")).toBe("analytics");
    expect(staffPage("/staff/analytics/")).toBe("analytics");
    expect(staffPage("/staff/")).toBe("board");
    expect(staffPage("/staff")).toBe("board");
  });
});
