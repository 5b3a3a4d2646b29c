/**
 * The payment tools for agents: their definitions (one of each), the port they run over, and what
 * they do. Used by VS Code's language model tools (src/agents, through dist/agentRuntime.js) and by
 * `perfectpay mcp` (src/cli/mcp.ts). No `vscode`.
 */
export * from './definitions';
export * from './tools';
export type { AgentEnvironment, AgentPort } from './port';
