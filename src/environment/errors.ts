/**
 * Errors of the VS Code layer, beside the client's (src/api/errors.ts). The client's classes live
 * in the lazily loaded runtime bundle, so code here never uses `instanceof` on them: it reads
 * their `kind` (every PerfectPay error has one) through `errorInfo`.
 */
import * as vscode from 'vscode';
import type { EnvironmentKind } from './types';

/** `vscode.l10n` (see src/environment/l10n.ts); this file has no other use for `vscode`. */
const l10n = vscode.l10n;

export type ServiceErrorKind = 'missing_key' | 'config' | 'refused';

export class ServiceError extends Error {
  constructor(readonly kind: ServiceErrorKind, message: string, readonly environment?: EnvironmentKind) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** The environment needs a secret key and none is stored. */
export function missingKey(kind: EnvironmentKind, label: string): ServiceError {
  return new ServiceError('missing_key', l10n.t('No API key is set for {0}. Set one with "PerfectPay: Set API Key".', label), kind);
}

/** What the UI needs to know of any error, whatever bundle its class came from. */
export interface ErrorInfo {
  kind: string;
  message: string;
  /** API error code ("IR_01") and HTTP status, for an API error. */
  code?: string;
  status?: number;
  /** The request it belongs to, when known. */
  request?: string;
  /** For a lost answer: the kind of the error that lost it ('network', 'timeout', 'api'...). */
  originalKind?: string;
  /** For a lost answer: the re-read proved the action did not run (so it may be done again). */
  didNotRun?: boolean;
}

/** A proxy or certificate error (the client's ProxyError, CertificateError): fixed in VS Code's `http.*` settings. */
export function isNetworkSettingsError(info: ErrorInfo): boolean {
  return info.kind === 'proxy' || info.kind === 'certificate';
}

export function errorInfo(e: unknown): ErrorInfo {
  if (e && typeof e === 'object') {
    const o = e as { kind?: unknown; message?: unknown; code?: unknown; status?: unknown; request?: unknown; original?: { kind?: unknown }; didNotRun?: unknown };
    const message = typeof o.message === 'string' && o.message ? o.message : l10n.t('Something went wrong.');
    if (typeof o.kind === 'string') {
      return {
        kind: o.kind,
        message,
        code: typeof o.code === 'string' ? o.code : undefined,
        status: typeof o.status === 'number' ? o.status : undefined,
        request: typeof o.request === 'string' ? o.request : undefined,
        originalKind: typeof o.original?.kind === 'string' ? o.original.kind : undefined,
        didNotRun: o.didNotRun === true ? true : undefined,
      };
    }
    return { kind: 'unexpected', message };
  }
  return { kind: 'unexpected', message: String(e) };
}
