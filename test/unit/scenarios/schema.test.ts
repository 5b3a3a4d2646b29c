/**
 * The JSON Schema that VS Code uses for `*.perfectpay.json` (completion, hovers, errors while
 * typing) says what the parser accepts; the manifest contributes it and the package ships it; the
 * scenario modules keep to the layers (the model imports only the domain and the model).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CAPTURE_METHODS } from '../../../src/domain/payment';
import { SIMULATE_OUTCOMES } from '../../../src/domain/status';
import { EXPECT_WEBHOOK_FIELDS, SCENARIO_ENVIRONMENTS, STEP_KINDS, WEBHOOK_WAIT_DEFAULT_S, WEBHOOK_WAIT_MAX_S } from '../../../src/scenarioEngine/scenario';
import { MATRIX_ROWS } from '../../../src/scenarioEngine/matrix';

const ROOT = path.resolve(__dirname, '../../../..');
const read = (p: string): string => fs.readFileSync(path.join(ROOT, p), 'utf8');

type Json = Record<string, any>;

describe('scenario JSON Schema and manifest', () => {
  const schema = JSON.parse(read('schemas/scenario.schema.json')) as Json;
  const steps = schema.properties.steps.items.anyOf as Json[];
  const step = (kind: string): Json => steps.find((s) => s.required?.[0] === kind)!.properties[kind];
  const resolve = (node: Json): Json => (node.$ref ? schema.definitions[node.$ref.replace('#/definitions/', '')] : node);

  it('knows the same steps, environments, outcomes and capture methods as the parser', () => {
    assert.deepEqual(steps.map((s) => s.required[0]), [...STEP_KINDS]);
    assert.deepEqual(schema.properties.environment.enum, [...SCENARIO_ENVIRONMENTS]);
    assert.deepEqual(step('simulate').anyOf[0].enum, [...SIMULATE_OUTCOMES]);
    assert.deepEqual(step('create').properties.capture_method.enum, [...CAPTURE_METHODS]);
    assert.deepEqual(step('create').required, ['amount', 'currency']);
    assert.deepEqual(Object.keys(step('capture').properties), ['amount_to_capture', 'payment']);
    assert.deepEqual(Object.keys(step('expect_webhook').properties), [...EXPECT_WEBHOOK_FIELDS]);
    assert.deepEqual([step('expect_webhook').properties.within_s.default, step('expect_webhook').properties.within_s.maximum], [WEBHOOK_WAIT_DEFAULT_S, WEBHOOK_WAIT_MAX_S]);
    assert.equal(schema.additionalProperties, false, 'a misspelt top-level field (e.g. "enviroment") is flagged while typing');
  });

  it("offers every card of the contract's table, each with its outcome", () => {
    const card = resolve(step('confirm').properties.card);
    const offered = card.anyOf[0].enum as string[];
    for (const row of MATRIX_ROWS) if (row.card) assert.ok(offered.includes(row.card), `${row.card} is offered`);
    assert.equal(card.anyOf[0].markdownEnumDescriptions.length, offered.length);
  });

  it('is contributed for *.perfectpay.json and shipped in the package', () => {
    const pkg = JSON.parse(read('package.json')) as Json;
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: ['*.perfectpay.json'], url: './schemas/scenario.schema.json' }]);
    assert.match(read('.vscodeignore'), /^!schemas\/scenario\.schema\.json$/m);
    const ids = (pkg.contributes.commands as Json[]).map((c) => c.command);
    for (const id of ['perfectpay.runScenario', 'perfectpay.runTestCardMatrix', 'perfectpay.exportTestCardMatrix', 'perfectpay.newScenarioFromPayment']) assert.ok(ids.includes(id), id);
  });

  it('keeps to the layers: the scenario model imports only the domain and the model; the VS Code part no tree or inspector', () => {
    const imports = (file: string): string[] => [...read(file).matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
    for (const f of fs.readdirSync(path.join(ROOT, 'src/model')).filter((f) => f.startsWith('scenario'))) {
      for (const i of imports(`src/model/${f}`)) assert.match(i, /^(\.\.\/domain\/|\.\/)/, `src/model/${f} imports ${i}`);
    }
    for (const f of fs.readdirSync(path.join(ROOT, 'src/scenarios'))) {
      for (const i of imports(`src/scenarios/${f}`)) assert.doesNotMatch(i, /\/(tree|inspector|sandbox)\/|^\.\.\/extension/, `src/scenarios/${f} imports ${i}`);
    }
  });
});
