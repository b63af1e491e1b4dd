/** What cards can do, handed down by context so a card needs no props threading. */

import { createContext, useContext } from "react";

import type { MenuItem } from "./types";

export interface ChatActions {
  send(text: string): void;
  changeQuantity(lineId: string, quantity: number): Promise<void>;
  removeCartLine(lineId: string): Promise<void>;
  chooseOptions(item: MenuItem): void;
  busy: boolean;
}

const noop = async () => {};
export const ChatActionsContext = createContext<ChatActions>({
  send: () => {},
  changeQuantity: noop,
  removeCartLine: noop,
  chooseOptions: () => {},
  busy: false,
});

export function useChatActions(): ChatActions {
  return useContext(ChatActionsContext);
}
