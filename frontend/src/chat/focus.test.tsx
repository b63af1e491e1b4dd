// @vitest-environment jsdom
/** Where the keyboard's focus goes after the cart card's buttons and the options dialog. */

import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";

import { CartCard } from "../cards/CartCard";
import { ChatActionsContext, type ChatActions } from "./actions";
import { ChatView } from "./ChatView";
import { initialState } from "./reducer";
import type { CartCardData, CartLine, ChatState, MenuItem } from "./types";
import type { Chat } from "./useChat";
import { withModalDialogs } from "../testing";

// React's act() warnings need this flag in a non-Jest runner.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

withModalDialogs();

afterEach(cleanup);

function line(id: string, label: string, quantity: number): CartLine {
  return { id, item: id, label, quantity, choices: [], unit_price: "5.00", line_total: (5 * quantity).toFixed(2) };
}

function cartOf(lines: CartLine[]): CartCardData {
  return { lines, subtotal: "0.00", total: "0.00", currency: "USD" };
}

/** A live cart card whose actions wait for `release()`, as a slow network would. */
function renderCart(lines: CartLine[]) {
  let release: () => void = () => {};
  function Harness() {
    const [data, setData] = useState(cartOf(lines));
    const later = (change: () => void) =>
      new Promise<void>((resolve) => {
        release = () => {
          act(change);
          resolve();
        };
      });
    const actions: ChatActions = {
      send: () => {},
      busy: false,
      chooseOptions: () => {},
      changeQuantity: (id, quantity) =>
        later(() => setData((d) => cartOf(d.lines.map((l) => (l.id === id ? { ...l, quantity } : l))))),
      removeCartLine: (id) => later(() => setData((d) => cartOf(d.lines.filter((l) => l.id !== id)))),
    };
    return (
      <ChatActionsContext.Provider value={actions}>
        <CartCard data={data} live={true} />
      </ChatActionsContext.Provider>
    );
  }
  render(<Harness />);
  return { release: async () => act(async () => release()) };
}

function pressWithKeyboard(button: HTMLElement) {
  button.focus();
  fireEvent.click(button); // Enter or Space on a focused button is a click
}

describe("the cart card keeps the keyboard's place", () => {
  it("test_focus_stays_on_plus_while_the_change_is_on_its_way_and_after", async () => {
    const cart = renderCart([line("l1", "Cola", 1)]);
    const more = screen.getByRole("button", { name: "One more Cola" });
    pressWithKeyboard(more);
    // Busy, but not `disabled`: a disabled button would drop the focus to the page's body.
    expect(more).toHaveProperty("disabled", false);
    expect(more.getAttribute("aria-disabled")).toBe("true");
    expect(document.activeElement).toBe(more);
    await cart.release();
    expect(screen.getByRole("button", { name: "One more Cola" })).toBe(more);
    expect(document.activeElement).toBe(more);
    expect(more.getAttribute("aria-disabled")).toBe("false");
  });

  it("test_minus_down_to_one_stays_focusable", async () => {
    const cart = renderCart([line("l1", "Cola", 2)]);
    const fewer = screen.getByRole("button", { name: "One fewer Cola" });
    pressWithKeyboard(fewer);
    await cart.release();
    expect(document.activeElement).toBe(fewer);
    expect(fewer).toHaveProperty("disabled", false);
    expect(fewer.getAttribute("aria-disabled")).toBe("true"); // nothing below one
    fireEvent.click(fewer); // and pressing it again does nothing
    expect(screen.getByText("1")).toBeTruthy();
  });

  it("test_remove_moves_focus_to_the_next_line_remove_button", async () => {
    const cart = renderCart([line("l1", "Cola", 1), line("l2", "Lemonade", 1), line("l3", "Water", 1)]);
    pressWithKeyboard(screen.getByRole("button", { name: "Remove Lemonade" }));
    await cart.release();
    expect(screen.queryByRole("button", { name: "Remove Lemonade" })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Remove Water" }));
  });

  it("test_remove_of_the_last_line_moves_focus_to_the_one_before", async () => {
    const cart = renderCart([line("l1", "Cola", 1), line("l2", "Lemonade", 1)]);
    pressWithKeyboard(screen.getByRole("button", { name: "Remove Lemonade" }));
    await cart.release();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Remove Cola" }));
  });

  it("test_remove_of_the_only_line_moves_focus_to_the_card_title", async () => {
    const cart = renderCart([line("l1", "Cola", 1)]);
    pressWithKeyboard(screen.getByRole("button", { name: "Remove Cola" }));
    await cart.release();
    expect(screen.getByText("Your cart is empty.")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole("heading", { name: /Your cart/ }));
  });
});

const PIZZA: MenuItem = {
  key: "margherita",
  label: "Margherita",
  description: "",
  image: null,
  price: "12.00",
  tags: [],
  allergens: [],
  available: true,
  option_groups: [
    {
      key: "size",
      label: "Size",
      select: "one",
      required: true,
      min: 1,
      max: 1,
      qualifiers: [],
      excludable: false,
      options: [{ key: "small", label: "Small", price: "0.00", default: true, available: true }],
    } as MenuItem["option_groups"][number],
  ],
};

function fakeChat(sent: string[]): Chat {
  const state: ChatState = {
    ...initialState,
    entries: [{ kind: "card", id: "c1", name: "MENU_CARD", data: { items: [PIZZA], currency: "USD", title: "Menu" }, receivedAt: 0 }],
  };
  return {
    state,
    sessionId: "s1",
    connection: "open",
    transport: "ws",
    setTransport: () => {},
    send: (text) => sent.push(text),
    changeQuantity: async () => {},
    removeCartLine: async () => {},
    newConversation: () => {},
  };
}

describe("the options dialog gives the focus back", () => {
  it("test_escape_returns_focus_to_the_add_button", () => {
    render(<ChatView chat={fakeChat([])} restaurant="Bella Forno" currency="USD" />);
    const add = screen.getByRole("button", { name: "Add Margherita, choose options" });
    pressWithKeyboard(add);
    const dialog = document.querySelector("dialog")!;
    expect(dialog).not.toBeNull();
    // Escape on a modal dialog fires `cancel`.
    act(() => {
      dialog.dispatchEvent(new Event("cancel", { cancelable: true }));
    });
    expect(document.querySelector("dialog")).toBeNull();
    expect(document.activeElement).toBe(add);
  });

  it("test_adding_returns_focus_to_the_add_button", () => {
    const sent: string[] = [];
    render(<ChatView chat={fakeChat(sent)} restaurant="Bella Forno" currency="USD" />);
    const add = screen.getByRole("button", { name: "Add Margherita, choose options" });
    pressWithKeyboard(add);
    fireEvent.click(screen.getByRole("button", { name: /^Add to order/ }));
    expect(sent).toHaveLength(1);
    expect(document.querySelector("dialog")).toBeNull();
    expect(document.activeElement).toBe(add);
  });
});

describe("the options dialog's quantity", () => {
  it("test_dialog_minus_down_to_one_stays_focusable", () => {
    render(<ChatView chat={fakeChat([])} restaurant="Bella Forno" currency="USD" />);
    pressWithKeyboard(screen.getByRole("button", { name: "Add Margherita, choose options" }));
    const more = screen.getByRole("button", { name: "One more" });
    const fewer = screen.getByRole("button", { name: "One fewer" });
    expect(fewer.getAttribute("aria-disabled")).toBe("true");
    fireEvent.click(more);
    pressWithKeyboard(fewer);
    expect(document.activeElement).toBe(fewer);
    expect(fewer).toHaveProperty("disabled", false);
    expect(fewer.getAttribute("aria-disabled")).toBe("true");
    fireEvent.click(fewer); // at one already: nothing changes
    expect(screen.getByRole("button", { name: /^Add to order, \$12\.00$/ })).toBeTruthy();
  });
});
