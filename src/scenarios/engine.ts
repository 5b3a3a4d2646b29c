/**
 * The scenario engine as the VS Code layer sees it: a type only. The values come from the runtime
 * bundle on first use (`ScenarioDeps.engine`), so the engine's ~35 KB is not loaded at activation.
 */
export type ScenarioEngine = typeof import('../scenarioEngine');
export type { MatrixRow, Scenario, ScenarioProblem, ScenarioResult, StepResult, TextRange, RunEnvironment, ScenarioPayment, ScenarioPort, ScenarioRefund } from '../scenarioEngine';
