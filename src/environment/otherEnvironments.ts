/** The environments other than the current one that could be used right now (a key is stored; local needs none). */
import { describeEnvironment, type EnvironmentManager } from './EnvironmentManager';
import { baseUrlProblem } from './settings';
import { ENVIRONMENT_KINDS, type EnvironmentKind } from './types';

export interface OtherEnvironment {
  kind: EnvironmentKind;
  /** "PerfectPay sandbox". */
  label: string;
}

export async function otherEnvironmentsWithKey(environments: EnvironmentManager): Promise<OtherEnvironment[]> {
  const s = environments.settings();
  const out: OtherEnvironment[] = [];
  for (const kind of ENVIRONMENT_KINDS) {
    if (kind === s.environment) continue;
    if (kind === 'custom' && (!s.baseUrl || baseUrlProblem(s.baseUrl))) continue;
    if (!(await environments.hasApiKey(kind))) continue;
    out.push({ kind, label: describeEnvironment({ ...s, environment: kind }).label });
  }
  return out;
}
