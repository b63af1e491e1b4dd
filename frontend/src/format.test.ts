import { describe, expect, it } from "vitest";

import { clock } from "./format";

describe("clock", () => {
  it("test_clock_reads_as_the_locale_time", () => {
    const iso = "2026-12-05T19:45:00Z";
    expect(clock(iso)).toBe(new Date(iso).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" }));
    expect(clock("2026-12-05T08:05:00Z")).toBe(new Date("2026-12-05T08:05:00Z").toLocaleTimeString([], { hour: "numeric", minute: "2-digit" }));
  });

  it("test_clock_of_the_same_minute_reads_the_same_and_the_next_minute_not", () => {
    const local = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    for (const iso of ["2026-12-05T19:45:01.123456+00:00", "2026-12-05T19:45:59Z", "2026-12-05T19:46:00Z", "2026-12-05T21:45:30+02:00"]) {
      expect(clock(iso)).toBe(local(iso));
    }
  });

  it("test_clock_keeps_what_is_not_a_time", () => {
    expect(clock(null)).toBe("");
    expect(clock("soon")).toBe("soon");
  });
});
