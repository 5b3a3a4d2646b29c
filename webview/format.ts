/** Times as people read them, in the webview's locale and time zone. */
import { relativeTime } from '../src/domain/time';

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** "24 Nov 2026, 15:04:05" (local), from epoch ms or an ISO string; the input itself if unreadable. */
export function absoluteTime(at: number | string): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(ms) ? absolute.format(ms) : String(at);
}

export { relativeTime };
