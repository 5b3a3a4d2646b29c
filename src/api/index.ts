/** The PerfectPay API layer: client, schemas, errors. No `vscode` import anywhere below here. */
export * from './client';
export { newPaymentId } from './ids';
export * from './errors';
export * from './schemas';
export { toCurl, type CurlRequest } from './curl';
export { redactJson, redactText, maskCard } from './redact';
