// @vitest-environment jsdom
/** Sold out on the cards: a sold-out dish is shown but cannot be added; a sold-out option is
 * disabled and says so, and is never chosen as the default. */

import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { ChatActionsContext, type ChatActions } from "./actions";
import type { MenuCardData, MenuItem } from "./types";
import { MenuCard } from "../cards/MenuCard";
import { OptionsDialog } from "../cards/OptionsDialog";
import { defaultChoices, orderPhrase } from "../cards/phrase";
import { withModalDialogs } from "../testing";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

withModalDialogs();

afterEach(cleanup);

const actions: ChatActions = {
  send: () => {},
  busy: false,
  chooseOptions: () => {},
  changeQuantity: async () => {},
  removeCartLine: async () => {},
};

function pizza(available: boolean, mushrooms: boolean, crustSoldOut = false): MenuItem {
  return {
    key: "margherita_pizza",
    label: "Margherita Pizza",
    description: "",
    image: null,
    price: "12.00",
    tags: [],
    allergens: [],
    available,
    option_groups: [
      {
        key: "crust",
        label: "Crust",
        select: "one",
        required: true,
        min: null,
        max: null,
        qualifiers: [],
        excludable: false,
        options: [
          { key: "classic", label: "Classic", price: "0.00", default: true, available: !crustSoldOut },
          { key: "thin", label: "Thin", price: "0.00", default: false, available: true },
        ],
      },
      {
        key: "toppings",
        label: "Toppings",
        select: "many",
        required: false,
        min: null,
        max: null,
        qualifiers: [],
        excludable: true,
        options: [
          { key: "mushrooms", label: "Mushrooms", price: "1.00", default: false, available: mushrooms },
          { key: "basil", label: "Basil", price: "0.00", default: true, available: true },
        ],
      },
    ],
  };
}

function card(items: MenuItem[]): MenuCardData {
  return { restaurant: "Demo", currency: "USD", title: "Pizzas", items };
}

describe("sold out on the menu card", () => {
  it("shows a sold-out dish without an Add button", () => {
    const cola = { ...pizza(true, true), key: "coke", label: "Coca-Cola", option_groups: [] };
    render(
      <ChatActionsContext.Provider value={actions}>
        <MenuCard data={card([pizza(false, true), cola])} />
      </ChatActionsContext.Provider>,
    );
    const sold = screen.getByRole("heading", { name: "Margherita Pizza" }).closest("li")!;
    expect(sold.textContent).toContain("Sold out");
    expect(sold.querySelector("button")).toBeNull();
    expect(screen.getByRole("button", { name: "Add Coca-Cola" })).toBeTruthy();
  });
});

describe("sold out in the options dialog", () => {
  it("disables a sold-out option and says so", () => {
    render(<OptionsDialog item={pizza(true, false)} currency="USD" onClose={() => {}} onAdd={() => {}} />);
    const mushrooms = screen.getByRole("checkbox", { name: /Mushrooms/ }) as HTMLInputElement;
    expect(mushrooms.disabled).toBe(true);
    expect(mushrooms.closest("label")!.textContent).toContain("sold out");
    const basil = screen.getByRole("checkbox", { name: /Basil/ }) as HTMLInputElement;
    expect(basil.disabled).toBe(false);
  });

  it("never starts on a sold-out default, and says nothing of it", () => {
    const item = pizza(true, true, true);
    const choices = defaultChoices(item);
    expect(choices.crust.one).toBe("");
    render(<OptionsDialog item={item} currency="USD" onClose={() => {}} onAdd={() => {}} />);
    const classic = screen.getByRole("radio", { name: /Classic/ }) as HTMLInputElement;
    expect(classic.disabled).toBe(true);
    expect(classic.checked).toBe(false);
    // The required crust is still to choose; thin is the one left.
    expect(orderPhrase(item, 1, { ...choices, crust: { one: "thin", qualifier: "" } })).toContain("Thin");
  });

  it("takes an option without the field as available (cards kept from before)", () => {
    const item = pizza(true, true);
    const old = {
      ...item,
      option_groups: item.option_groups.map((g) => ({
        ...g,
        options: g.options.map(({ available: _, ...rest }) => rest),
      })),
    } as unknown as MenuItem;
    render(<OptionsDialog item={old} currency="USD" onClose={() => {}} onAdd={() => {}} />);
    expect((screen.getByRole("checkbox", { name: /Mushrooms/ }) as HTMLInputElement).disabled).toBe(false);
    expect(defaultChoices(old).crust.one).toBe("classic");
  });
});
