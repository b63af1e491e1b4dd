import { describe, expect, it } from "vitest";

import { CARD_NAMES } from "../chat/types";
import { CARD_VIEWS } from "./index";

describe("card views", () => {
  it("test_every_card_the_service_names_has_one_view", () => {
    expect([...CARD_VIEWS.keys()].sort()).toEqual([...CARD_NAMES].sort());
  });

  it("test_a_view_renders_its_component_with_the_card_data", () => {
    const element = CARD_VIEWS.get("AUTH_REQUIRED")?.render({ data: { step: "phone" }, live: true, receivedAt: 5 });
    expect(element?.props).toEqual({ data: { step: "phone" }, live: true, receivedAt: 5 });
  });
});
