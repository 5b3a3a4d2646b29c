/** Times and durations as people read them. Pure: imports nothing (the webview uses it too). */

/** "just now", "42 s ago", "3 min ago", "2 h ago", "5 d ago", "in 14 min": a time relative to now. */
export function relativeTime(atMs: number, nowMs: number): string {
  if (!Number.isFinite(atMs)) return '';
  const diff = nowMs - atMs;
  const future = diff < 0;
  const s = Math.round(Math.abs(diff) / 1000);
  let text: string;
  if (s < 10) return future ? 'in a few seconds' : 'just now';
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86400) text = `${Math.floor(s / 3600)} h`;
  else text = `${Math.floor(s / 86400)} d`;
  return future ? `in ${text}` : `${text} ago`;
}

/** Progress of a wait screen at `now`: 0..1, and the ms left (null when there is no end). */
export function waitProgress(from: number, to: number | null, now: number): { fraction: number; leftMs: number | null } {
  if (to === null || !(to > from)) return { fraction: now >= from ? 1 : 0, leftMs: null };
  const fraction = Math.min(1, Math.max(0, (now - from) / (to - from)));
  return { fraction, leftMs: Math.max(0, to - now) };
}

/** "14:05", "1:02:03", "0:00": a countdown as a person reads it. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
