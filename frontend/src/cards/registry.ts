/** How a card's component is found by the card's name: each card module registers itself. */

import { createElement, type ComponentType, type ReactElement } from "react";

import type { CardName, Cards } from "../chat/types";

/** What a card's component is given. */
export interface CardProps<N extends CardName> {
  data: Cards[N];
  /** Whether the card still takes input: the latest cart (until an order follows), the last sign-in step. */
  live: boolean;
  /** When the card arrived (ms), for countdowns. */
  receivedAt: number;
}

/** A card's name and how to show it. */
export interface CardView {
  name: CardName;
  /** The card for data as it came on the wire (the service's shape; nothing checks it here). */
  render(props: { data: unknown; live: boolean; receivedAt: number }): ReactElement;
}

/** The view of the card `name`: a card module exports it as `view`, and `cards/index.ts` finds it. */
export function cardView<N extends CardName>(name: N, Component: ComponentType<CardProps<N>>): CardView {
  return {
    name,
    render: ({ data, live, receivedAt }) => createElement(Component, { data: data as Cards[N], live, receivedAt }),
  };
}
