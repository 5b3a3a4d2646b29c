/** The environments payments come from, as the rest of the VS Code layer sees them. */

export type EnvironmentKind = 'local' | 'sandbox' | 'custom';

export const ENVIRONMENT_KINDS: readonly EnvironmentKind[] = ['local', 'sandbox', 'custom'];

export interface EnvironmentInfo {
  kind: EnvironmentKind;
  /** "Local sandbox", "PerfectPay sandbox", "Custom (https://…)". */
  label: string;
  /** Known once the environment is started (the local sandbox's port is chosen on first use). */
  baseUrl?: string;
  /** Whether raw card data may be sent (local, sandbox, or a custom URL marked PCI-controlled). */
  allowsRawCardData: boolean;
  /** The local sandbox's simulate helper is there. */
  supportsSimulate: boolean;
  /** Plain http to another machine: the key would travel in clear (shown as not secure). */
  insecure: boolean;
}
