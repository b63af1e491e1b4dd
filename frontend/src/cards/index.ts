/**
 * Every card's view by the card's name. A module in this folder that exports a `view` (made with
 * `cardView`) renders the card it names, so a new card needs its component's file and nothing here.
 */

import type { CardName } from "../chat/types";
import type { CardView } from "./registry";

const modules = import.meta.glob<{ view?: CardView }>("./*.tsx", { eager: true });

export const CARD_VIEWS: ReadonlyMap<CardName, CardView> = new Map(
  Object.values(modules).flatMap(({ view }) => (view ? [[view.name, view] as const] : [])),
);
