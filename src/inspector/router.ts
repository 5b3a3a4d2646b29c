/**
 * Message routing: every message from the webview is validated against the protocol
 * (src/shared/protocol.ts) and handed to the handler of its type; one that does not match is dropped
 * and reported (its type only, never its contents).
 *
 * Pure: no `vscode`.
 */
import { describeDropped, parseFromWebview, type FromWebview } from '../shared/protocol';

export type MessageHandlers = {
  [K in FromWebview['type']]: (message: Extract<FromWebview, { type: K }>) => void | Promise<void>;
};

/** A function that routes one raw message; `onDropped` hears of an invalid one. */
export function createRouter(handlers: MessageHandlers, onDropped: (description: string, error: string) => void): (data: unknown) => Promise<void> {
  return async (data: unknown) => {
    const parsed = parseFromWebview(data);
    if (!parsed.ok) {
      onDropped(describeDropped(data), parsed.error);
      return;
    }
    const m = parsed.value;
    await (handlers[m.type] as (message: FromWebview) => void | Promise<void>)(m);
  };
}
