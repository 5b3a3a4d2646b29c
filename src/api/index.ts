/** The PerfectPay API layer: client, schemas, errors. No `vscode` import anywhere below here. */
export * from './client';
export { newPaymentId, newRefundId } from '../domain/ids';
export * from './errors';
export * from './schemas';
export { API_KEY_ENV_VAR, toCurl, type CurlRequest } from './curl';
export { CODE_LANGUAGE_LABELS, CODE_LANGUAGES, isCopyFormat, toCode, type CodeLanguage, type CopyFormat } from './code';
export { describeNetwork, type NetworkSettings, type ProxySupport, type ResolvedNetwork } from './network';
