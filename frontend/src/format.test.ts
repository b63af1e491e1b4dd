import { describe, expect, it } from "vitest";

import { clock } from "./format";

describe("clock", () => {
  it("test_clock_reads_as_the_locale_time", () => {
    const iso = "2026-12-05T19:45:00Z";
    expect(clock(iso)).toBe(new Date(iso).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" }));
    expect(clock("2026-12-05T08:05:00Z")).toBe(new Date("2026-12-05T08:05:00Z").toLocaleTimeString([], { hour: "numeric", minute: "2-digit" }));
  });

  it("test_clock_keeps_what_is_not_a_time", () => {
    expect(clock(null)).toBe("");
    expect(clock("soon")).toBe("soon");
  });
});
