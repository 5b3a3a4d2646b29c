/**
 * `perfectpay mcp --sandbox` as a real child process, driven over stdio by the MCP SDK's own client:
 * tools/list shows every tool with its schema and annotations, and the agents' flow (test/agentFlow.ts)
 * passes through tools/call, with no secret in any answer.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { TOOL_DEFINITIONS } from '../../../src/agentTools';
import { agentFlow, type ToolCallResult } from '../../agentFlow';

const KEY = 'snd_mcp_test_key_0123456789abcdef';

describe('perfectpay mcp: the agent tools over the Model Context Protocol (stdio)', function () {
  this.timeout(60_000);
  let client: Client;
  let transport: StdioClientTransport;
  const stderr: string[] = [];

  before(async () => {
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(__dirname, 'mcpProcess.js'), '--sandbox'],
      env: { PATH: process.env.PATH ?? '', PERFECTPAY_API_KEY: KEY },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (b: Buffer) => stderr.push(b.toString()));
    client = new Client({ name: 'perfectpay-test', version: '1.0.0' });
    await client.connect(transport);
  });
  after(async () => {
    await client?.close();
  });

  it('lists every tool with its schema and annotations: reads read-only, actions destructive', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), TOOL_DEFINITIONS.map((t) => t.name));
    for (const def of TOOL_DEFINITIONS) {
      const t = tools.find((x) => x.name === def.name)!;
      assert.deepEqual(t.inputSchema, def.inputSchema, def.name);
      assert.equal(t.description, def.modelDescription);
      assert.equal(t.title, def.title);
      assert.equal(t.annotations?.readOnlyHint, def.readOnly, def.name);
      assert.equal(t.annotations?.destructiveHint, !def.readOnly, def.name);
    }
    assert.ok(tools.some((t) => t.annotations?.readOnlyHint) && tools.some((t) => t.annotations?.destructiveHint));
  });

  it('runs the flow: a manual_multiple payment captured in part and explained, a capture refused on a failed payment, no secret', async () => {
    const call = async (name: string, input: Record<string, unknown>): Promise<ToolCallResult> => {
      const r = await client.callTool({ name, arguments: input });
      const content = r.content as Array<{ type: string; text?: string }>;
      assert.equal(content.length, 1);
      assert.equal(content[0]!.type, 'text');
      return { text: content[0]!.text!, isError: r.isError === true };
    };
    // The sandbox's own page of the payment.
    const answers = await agentFlow(call, [KEY], /^Inspector: http:\/\/127\.0\.0\.1:\d+\/sandbox\/payments\/pay_\w+$/);
    assert.ok(answers.length > 15);
    assert.ok(!stderr.join('').includes(KEY), 'the key in the server log');
  });

  it('refuses an unknown tool with a clear answer', async () => {
    const r = await client.callTool({ name: 'perfectpay_nope', arguments: {} });
    assert.equal(r.isError, true);
    assert.match((r.content as Array<{ text: string }>)[0]!.text, /^Refused: there is no tool named perfectpay_nope\./);
  });
});
