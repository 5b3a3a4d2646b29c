// What the extension's bundles get for `import ... from 'undici'` (see esbuild.mjs, "undici-slim").
//
// undici's index.js loads ALL of undici eagerly (fetch, WebSocket, EventSource, the cache, the mock
// agents...), about 550 KB minified, which alone breaks the 650 KB budget of the extension's Node
// bundles. The extension's API client needs only an Agent (with the request API that index.js mixes
// into Dispatcher.prototype), a ProxyAgent (VS Code's proxy settings, src/api/network.ts), a Client
// and the error classes: these are the same modules index.js re-exports,
// so behaviour is identical to `require('undici')`.
//
// Importing a name from 'undici' that is not exported here fails the build with esbuild's
// "No matching export in scripts/undici-slim.mjs": add it below, from the file undici's index.js takes it from.
// (tsc-compiled code, the unit tests and the bench, use the real undici.)
import Agent from 'undici/lib/dispatcher/agent.js';
import Client from 'undici/lib/dispatcher/client.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';
import api from 'undici/lib/api/index.js';
import errors from 'undici/lib/core/errors.js';

// As undici's index.js does: gives every dispatcher request(), stream(), pipeline(), upgrade(), connect().
Object.assign(Dispatcher.prototype, api);

export const { request, stream, pipeline, upgrade, connect } = api;
export { Agent, Client, Dispatcher, Pool, ProxyAgent, errors };
