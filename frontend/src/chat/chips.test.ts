import { describe, expect, it } from "vitest";

import { chipsFor, initials } from "./ChatView";
import type { Entry } from "./types";

const cardEntry = (name: "MENU_CARD" | "CART_CARD" | "ORDER_DATA" | "AUTH_REQUIRED"): Entry => ({
  kind: "card",
  id: name,
  name,
  data: {},
  receivedAt: 0,
});

describe("suggestion chips", () => {
  it("test_chips_follow_what_the_assistant_awaits", () => {
    expect(chipsFor([], { awaiting: "order_type" })).toEqual(["Pickup", "Delivery", "Dine-in"]);
    expect(chipsFor([], { awaiting: "confirm" })).toEqual(["Yes", "No"]);
    expect(chipsFor([], { awaiting: "code" })).toEqual([]);
  });

  it("test_chips_show_the_quick_replies_offered", () => {
    const which = ["The large pizza with sausage", "The medium pizza with mushrooms", "Both"];
    expect(chipsFor([], { awaiting: "which_line", quickReplies: which })).toEqual(which);
    expect(chipsFor([], { awaiting: "confirm_clear", quickReplies: [] })).toEqual(["Yes", "No"]);
  });

  it("test_chips_otherwise_follow_the_last_card", () => {
    expect(chipsFor([], null)).toEqual(["Show the menu", "What's vegetarian?", "View my cart", "Checkout"]);
    expect(chipsFor([cardEntry("CART_CARD")], { awaiting: "anything_else" })[0]).toBe("Checkout");
    expect(chipsFor([cardEntry("CART_CARD"), cardEntry("AUTH_REQUIRED")], null)).toEqual([]);
    expect(chipsFor([cardEntry("ORDER_DATA")], null)).toContain("Where is my order?");
  });

  it("test_avatar_initials_come_from_the_restaurant_name", () => {
    expect(initials("Bella Forno")).toBe("BF");
    expect(initials("  the   burger barn ")).toBe("TB");
    expect(initials("")).toBe("AI");
  });
});
