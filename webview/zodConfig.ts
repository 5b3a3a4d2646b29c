/**
 * zod in the webview: jitless. The webview's Content-Security-Policy forbids eval, so zod cannot
 * compile its parsers anyway; left to find that out itself, it probes with `new Function('')`, and
 * that blocked probe (a CSP violation the browser reports) cost 300-700 ms of the webview's start
 * here. Imported by main.ts before anything that builds a schema (src/shared/protocol.ts).
 */
import { config } from 'zod/mini';

config({ jitless: true });
