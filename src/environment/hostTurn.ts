/**
 * Letting the view draw first. The extension host writes its messages to VS Code on a 0 ms timer after
 * they are made (its protocol writer batches them), so an answer made now leaves on the next timer turn;
 * then VS Code's UI thread, and a core of the machine, draw it. Work that would compete (loading the
 * runtime, starting the local sandbox, registering providers VS Code must process) waits for both.
 */

/** How long the view is given to draw the rows it was sent before such work starts. */
export const DRAW_HEAD_START_MS = 150;

/** Resolves once what the host has answered so far has been sent. */
export function afterHostReplies(): Promise<void> {
  return new Promise((resolve) => setTimeout(() => setTimeout(resolve, 0), 0));
}

/** Resolves once what the host has answered so far has been sent and given its head start to be drawn. */
export async function afterViewDraws(): Promise<void> {
  await afterHostReplies();
  await new Promise((resolve) => setTimeout(resolve, DRAW_HEAD_START_MS));
}
