/**
 * Turning the options dialog's choices into the sentence the chat sends, in the menu's own labels
 * ("add 2 Pepperoni Pizza with Large 14", Thin Crust, extra Mushrooms and no Red Onions"), which the
 * offline parser reads as well as the model does.
 */

import type { MenuItem, MenuOption, MenuOptionGroup } from "../chat/types";

export type Qualifier = "" | "light" | "extra";

/** What the dialog holds for one group. */
export interface GroupChoice {
  /** select "one": the chosen option key ("" = none, "__none__" = excluded default). */
  one?: string;
  /** select "many": option key -> qualifier ("" regular), absent = not chosen. */
  many?: Record<string, Qualifier>;
  /** select "one" with qualifiers: the qualifier of the chosen option. */
  qualifier?: Qualifier;
}

export type Choices = Record<string, GroupChoice>;

export const NONE = "__none__";

function defaultOf(group: MenuOptionGroup): MenuOption | undefined {
  return group.options.find((o) => o.default);
}

/** Staff marked it sold out (a card from before options said is taken as available). */
export function soldOut(option: MenuOption): boolean {
  return option.available === false;
}

/** The dialog's starting point: every group at its defaults. */
export function defaultChoices(item: MenuItem): Choices {
  const choices: Choices = {};
  for (const group of item.option_groups) {
    if (group.select === "one") {
      const fallback = defaultOf(group);
      choices[group.key] = { one: fallback && !soldOut(fallback) ? fallback.key : "", qualifier: "" };
    } else {
      const many: Record<string, Qualifier> = {};
      for (const option of group.options) if (option.default && !soldOut(option)) many[option.key] = "";
      choices[group.key] = { many };
    }
  }
  return choices;
}

function joinWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

function qualified(qualifier: Qualifier | undefined, label: string): string {
  return qualifier ? `${qualifier} ${label}` : label;
}

/** The parts of the sentence after "with", size-like groups first. */
export function choiceParts(item: MenuItem, choices: Choices): string[] {
  const first: string[] = [];
  const rest: string[] = [];
  for (const group of item.option_groups) {
    const choice = choices[group.key] ?? {};
    const bucket = /size|count/i.test(group.key) ? first : rest;
    const fallback = defaultOf(group);
    if (group.select === "one") {
      if (choice.one === NONE) {
        if (fallback) bucket.push(`no ${fallback.label}`);
        continue;
      }
      const option = group.options.find((o) => o.key === choice.one);
      // The default needs saying only when it is qualified ("light House Dressing").
      if (option && (option.key !== fallback?.key || choice.qualifier)) bucket.push(qualified(choice.qualifier, option.label));
    } else {
      const many = choice.many ?? {};
      for (const option of group.options) {
        const chosen = option.key in many;
        if (chosen && (!option.default || many[option.key])) bucket.push(qualified(many[option.key], option.label));
        // A sold-out default is left off by the restaurant: nothing to say.
        if (!chosen && option.default && group.excludable && !soldOut(option)) bucket.push(`no ${option.label}`);
      }
    }
  }
  return [...first, ...rest];
}

/** The chat message that adds the item: "add 1 Coke with Large 32 oz and Can". */
export function orderPhrase(item: MenuItem, quantity: number, choices: Choices): string {
  const parts = choiceParts(item, choices);
  const base = `add ${Math.max(1, Math.floor(quantity))} ${item.label}`;
  return parts.length ? `${base} with ${joinWords(parts)}` : base;
}

/** The price of one, from the base and the chosen options' prices ("extra" counted once). */
export function unitEstimate(item: MenuItem, choices: Choices): number {
  let total = Number(item.price);
  for (const group of item.option_groups) {
    const choice = choices[group.key] ?? {};
    if (group.select === "one") {
      const option = group.options.find((o) => o.key === choice.one);
      if (option) total += Number(option.price);
    } else {
      for (const option of group.options) {
        if (option.key in (choice.many ?? {}) && !option.default) total += Number(option.price);
      }
    }
  }
  return total;
}

/** Why the choices cannot be sent yet, or null. */
export function choiceProblem(item: MenuItem, choices: Choices): string | null {
  for (const group of item.option_groups) {
    const choice = choices[group.key] ?? {};
    if (group.select === "one") {
      if (group.required && !choice.one) return `Choose a ${group.label.toLowerCase()}.`;
    } else {
      const count = Object.keys(choice.many ?? {}).length;
      if (group.min && count < group.min) return `Choose at least ${group.min} ${group.label.toLowerCase()}.`;
      if (group.max && count > group.max) return `Choose at most ${group.max} ${group.label.toLowerCase()}.`;
    }
  }
  return null;
}
