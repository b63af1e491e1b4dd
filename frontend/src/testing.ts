// What the component tests share: jsdom's <dialog> given the modal methods it lacks.
import { beforeAll } from "vitest";

export function withModalDialogs(): void {
  beforeAll(() => {
    const proto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal?: () => void };
    if (!proto.showModal || !/\[native code\]/.test(String(proto.showModal))) {
      proto.showModal = function (this: HTMLDialogElement) {
        this.setAttribute("open", "");
      };
      proto.close = function (this: HTMLDialogElement) {
        this.removeAttribute("open");
      };
    }
  });
}
