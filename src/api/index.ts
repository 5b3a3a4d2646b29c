/** The PerfectPay API layer: client, schemas, errors. No `vscode` import anywhere below here. */
export * from './client';
export { newPaymentId } from '../domain/ids';
export * from './errors';
export * from './schemas';
export { toCurl, type CurlRequest } from './curl';
