/**
 * The shape of the lazily loaded runtime (dist/runtime.js): the API client and the local sandbox.
 * Only types here: the extension reaches the values through the loader that src/extension.ts
 * passes in (`require('./runtime.js')`, see the top of esbuild.mjs), never through an import.
 */
import type { PerfectPayClient, ClientOptions } from '../api/client';
import type { RunningSandbox, SandboxOptions } from '../sandbox/types';

export interface RuntimeModule {
  PerfectPayClient: new (options: ClientOptions) => PerfectPayClient;
  startSandbox(options: SandboxOptions): Promise<RunningSandbox>;
}

export type RuntimeLoader = () => RuntimeModule;
