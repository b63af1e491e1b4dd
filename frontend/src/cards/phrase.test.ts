import { describe, expect, it } from "vitest";

import type { MenuItem } from "../chat/types";
import { choiceProblem, defaultChoices, NONE, orderPhrase, unitEstimate } from "./phrase";

const pizza: MenuItem = {
  key: "pepperoni_pizza",
  label: "Pepperoni Pizza",
  price: "12.00",
  description: "",
  image: null,
  tags: [],
  allergens: [],
  available: true,
  option_groups: [
    {
      key: "pizza_size",
      label: "Size",
      select: "one",
      required: false,
      min: null,
      max: null,
      qualifiers: [],
      excludable: false,
      options: [
        { key: "small", label: 'Small 10"', price: "0.00", default: false, available: true },
        { key: "medium", label: 'Medium 12"', price: "3.00", default: true, available: true },
        { key: "large", label: 'Large 14"', price: "6.00", default: false, available: true },
      ],
    },
    {
      key: "crust",
      label: "Crust",
      select: "one",
      required: false,
      min: null,
      max: null,
      qualifiers: [],
      excludable: false,
      options: [
        { key: "classic", label: "Classic Hand-Tossed", price: "0.00", default: true, available: true },
        { key: "thin", label: "Thin Crust", price: "0.00", default: false, available: true },
      ],
    },
    {
      key: "toppings",
      label: "Toppings",
      select: "many",
      required: false,
      min: null,
      max: null,
      qualifiers: ["light", "extra"],
      excludable: true,
      options: [
        { key: "pepperoni", label: "Pepperoni", price: "1.50", default: true, available: true },
        { key: "mushrooms", label: "Mushrooms", price: "1.00", default: false, available: true },
        { key: "onions", label: "Red Onions", price: "1.00", default: true, available: true },
      ],
    },
  ],
};

const salad: MenuItem = {
  key: "caesar_salad",
  label: "Caesar Salad",
  price: "9.00",
  description: "",
  image: null,
  tags: [],
  allergens: [],
  available: true,
  option_groups: [
    {
      key: "dressing",
      label: "Dressing",
      select: "one",
      required: false,
      min: null,
      max: null,
      qualifiers: ["light", "extra"],
      excludable: true,
      options: [
        { key: "house", label: "House Dressing", price: "0.00", default: true, available: true },
        { key: "ranch", label: "Ranch", price: "0.00", default: false, available: true },
      ],
    },
  ],
};

describe("orderPhrase", () => {
  it("test_phrase_defaults_alone_say_just_the_item", () => {
    expect(orderPhrase(pizza, 1, defaultChoices(pizza))).toBe("add 1 Pepperoni Pizza");
  });

  it("test_phrase_names_size_first_then_choices_qualifiers_and_exclusions", () => {
    const choices = defaultChoices(pizza);
    choices.pizza_size.one = "large";
    choices.crust.one = "thin";
    choices.toppings.many = { pepperoni: "", mushrooms: "extra" }; // onions unticked
    expect(orderPhrase(pizza, 2, choices)).toBe(
      'add 2 Pepperoni Pizza with Large 14", Thin Crust, extra Mushrooms and no Red Onions',
    );
  });

  it("test_phrase_qualified_default_is_said", () => {
    const choices = defaultChoices(pizza);
    choices.toppings.many = { pepperoni: "light", onions: "" };
    expect(orderPhrase(pizza, 1, choices)).toBe("add 1 Pepperoni Pizza with light Pepperoni");
  });

  it("test_phrase_single_choice_groups_can_exclude_their_default_or_qualify_it", () => {
    const none = defaultChoices(salad);
    none.dressing.one = NONE;
    expect(orderPhrase(salad, 1, none)).toBe("add 1 Caesar Salad with no House Dressing");
    const light = defaultChoices(salad);
    light.dressing.qualifier = "light";
    expect(orderPhrase(salad, 1, light)).toBe("add 1 Caesar Salad with light House Dressing");
  });

  it("test_phrase_quantity_is_a_whole_positive_number", () => {
    expect(orderPhrase(salad, 0, defaultChoices(salad))).toBe("add 1 Caesar Salad");
    expect(orderPhrase(salad, 3.7, defaultChoices(salad))).toBe("add 3 Caesar Salad");
  });
});

describe("choices", () => {
  it("test_estimate_adds_chosen_option_prices", () => {
    const choices = defaultChoices(pizza);
    expect(unitEstimate(pizza, choices)).toBe(15); // 12 + medium 3, default toppings included
    choices.pizza_size.one = "large";
    choices.toppings.many = { ...choices.toppings.many, mushrooms: "" };
    expect(unitEstimate(pizza, choices)).toBe(19);
  });

  it("test_required_group_without_choice_is_a_problem", () => {
    const item: MenuItem = { ...salad, option_groups: [{ ...salad.option_groups[0], required: true, options: [{ key: "a", label: "A", price: "0", default: false, available: true }] }] };
    expect(choiceProblem(item, defaultChoices(item))).toMatch(/Choose a dressing/);
    expect(choiceProblem(pizza, defaultChoices(pizza))).toBeNull();
  });

  it("test_max_of_a_many_group_is_enforced", () => {
    const item: MenuItem = { ...pizza, option_groups: [{ ...pizza.option_groups[2], max: 1 }] };
    expect(choiceProblem(item, defaultChoices(item))).toMatch(/at most 1/);
  });
});
