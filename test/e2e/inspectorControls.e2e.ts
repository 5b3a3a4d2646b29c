// End to end, as a person, the inspector's controls (issue 23, "a new user's first day"):
//  - their colours are the current theme's (`--vscode-*` variables read on the webview's own page): the
//    amount field, the reason drop-down, a secondary button and the field's label, in a panel opened in
//    Default Light Modern, Default Dark Modern and Default High Contrast, and again after the theme was
//    switched with the panel open; the label's text has a contrast of at least 4.5 on its background;
//  - a refusal ("more than can be captured") stays through the live poll's new model and a redraw, which
//    keep the typed amount and the focus; typing again clears it; Enter in the amount field captures;
//  - the status's next step comes first, as the one primary button; Cancel comes last, on its own row
//    below a separator, secondary (requires_customer_action waiting for 3DS, requires_capture).
// One session (local sandbox), the payments made from the palette; no fixed sleeps: every step waits for
// what it needs. Screenshots: test-results/screenshots/controls-*.png.
import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { VsCodeSession, waitFor } from './codeServer';
import { timeouts } from './timeouts';

/** Resolves after the document has painted two more frames (layout and paint are done). */
const painted = (f: Frame) => f.evaluate(() => new Promise((r) => {
  const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
  raf(() => raf(() => r(true)));
}));

/** One colour of a control, as drawn and as the theme's variable says. */
interface ColourCheck {
  what: string;
  variable: string;
  /** The computed colour (rgb/rgba). */
  actual: string;
  /** The variable's value, computed the same way; transparent for an unset background (as VS Code leaves some in high contrast). */
  expected: string;
}

interface ControlColours {
  /** The body's theme class, as VS Code set it on the webview's page. */
  themeKind: string;
  checks: ColourCheck[];
  /** Text beside the background it is read on (the first opaque one up the tree). */
  pairs: { what: string; fg: string; bg: string }[];
}

/**
 * Reads, in the inspector's page, the computed colours of its controls and the values of the theme
 * variables they are to follow. Runs in the page (no closures; this project's tests compile without the
 * DOM types).
 */
function readControlColours(): ControlColours {
  const g = globalThis as any;
  const doc = g.document;
  const style = (el: any) => g.getComputedStyle(el);
  const probe = doc.createElement('span');
  doc.body.appendChild(probe);
  /** A CSS colour as the browser computes it ("#fff" → "rgb(255, 255, 255)"); '' → transparent. */
  const computed = (value: string): string => {
    probe.style.backgroundColor = 'transparent';
    if (value) probe.style.backgroundColor = value;
    return style(probe).backgroundColor;
  };
  const variable = (name: string) => style(doc.body).getPropertyValue(name).trim();
  const opaqueBackground = (start: any): string => {
    for (let el = start; el; el = el.parentElement ?? el.getRootNode?.().host) {
      const bg = style(el).backgroundColor;
      if (!/^rgba\(.*, 0\)$/.test(bg) && bg !== 'transparent') return bg;
    }
    return computed(variable('--vscode-editor-background'));
  };
  const field = doc.querySelector('vscode-text-field[data-key="capture-amount"]');
  const fieldBox = field.shadowRoot.querySelector('.root');
  const fieldInput = field.shadowRoot.querySelector('input');
  const fieldLabel = field.shadowRoot.querySelector('.label');
  const dropdown = doc.querySelector('vscode-dropdown[data-key="cancel-reason"]');
  const secondary = doc.querySelector('vscode-button[appearance="secondary"][data-key="act-refresh"]');
  const reasonLabel = doc.querySelector('.field-label');
  const checks: ColourCheck[] = [];
  const check = (what: string, el: any, prop: 'color' | 'backgroundColor', name: string) => {
    checks.push({ what: `${what} ${prop === 'color' ? 'text' : 'background'}`, variable: name, actual: style(el)[prop], expected: computed(variable(name)) });
  };
  check('amount field', fieldBox, 'backgroundColor', '--vscode-input-background');
  check('amount field', fieldInput, 'color', '--vscode-input-foreground');
  check('"Amount" label', fieldLabel, 'color', '--vscode-foreground');
  check('reason drop-down', dropdown, 'backgroundColor', '--vscode-dropdown-background');
  check('reason drop-down', dropdown, 'color', '--vscode-dropdown-foreground');
  check('"Cancellation reason" label', reasonLabel, 'color', '--vscode-foreground');
  check('Refresh (secondary button)', secondary, 'backgroundColor', '--vscode-button-secondaryBackground');
  check('Refresh (secondary button)', secondary, 'color', '--vscode-button-secondaryForeground');
  const pairs = [
    { what: '"Amount" label', fg: style(fieldLabel).color, bg: opaqueBackground(field) },
    { what: '"Cancellation reason" label', fg: style(reasonLabel).color, bg: opaqueBackground(reasonLabel) },
    { what: 'amount field', fg: style(fieldInput).color, bg: opaqueBackground(fieldBox) },
    { what: 'reason drop-down', fg: style(dropdown).color, bg: opaqueBackground(dropdown) },
    { what: 'Refresh (secondary button)', fg: style(secondary).color, bg: opaqueBackground(secondary) },
  ];
  probe.remove();
  const themeKind = ['vscode-high-contrast-light', 'vscode-high-contrast', 'vscode-dark', 'vscode-light'].find((c) => doc.body.classList.contains(c)) ?? '';
  return { themeKind, checks, pairs };
}

/** "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" → [r, g, b, a]. */
function rgba(css: string): [number, number, number, number] {
  const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

/** WCAG 2 contrast ratio of text `fg` (alpha-blended over `bg`) on `bg`. */
function contrast(fg: string, bg: string): number {
  const [br, bgG, bb] = rgba(bg);
  const [fr, fgG, fb, fa] = rgba(fg);
  const blend = (f: number, b: number) => f * fa + b * (1 - fa);
  const lum = (r: number, g: number, b: number) => {
    const c = [r, g, b].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  };
  const l1 = lum(blend(fr, br), blend(fgG, bgG), blend(fb, bb));
  const l2 = lum(br, bgG, bb);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

describe('e2e: the inspector\'s controls (issue 23)', function () {
  this.timeout(2 * timeouts.test); // three themes, each opened and switched
  let vs: VsCodeSession | undefined;
  const shot = (name: string) => vs!.screenshot(`controls-${name}`);

  before(async () => {
    vs = await VsCodeSession.start({
      theme: 'light',
      viewport: { width: 1400, height: 1000 },
      settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 0, 'workbench.sideBar.location': 'left' },
    });
    await vs.openPerfectPayView();
  });

  after(async () => {
    await vs?.close();
  });

  /** A payment of 100.00 USD, confirmed with `method`; its id. */
  async function create(description: string, method: string, capture: 'automatic' | 'manual'): Promise<string> {
    const { id } = await vs!.createFromPalette({ amount: '100.00', currency: 'USD', capture, description, method });
    await vs!.dismissNotifications();
    return id;
  }

  /** The inspector of `id`, opened from the palette, once its controls are defined (the toolkit has run). */
  async function inspect(id: string): Promise<Frame> {
    await vs!.runCommand('PerfectPay: Inspect Payment');
    await vs!.answerQuickPick(id);
    // The frame is looked up again when the one found was replaced meanwhile (the page loaded again).
    return waitFor(async () => {
      const frame = await vs!.inspectorFrame(id);
      await frame.waitForFunction(() => {
        const controls = Array.from((globalThis as any).document.querySelectorAll('vscode-button, vscode-text-field, vscode-dropdown')) as any[];
        return controls.length > 0 && controls.every((c) => !!c.shadowRoot?.firstElementChild);
      }, undefined, { timeout: timeouts.action });
      return frame;
    }, { what: `the inspector of ${id} with its controls defined`, timeout: timeouts.slow });
  }

  /** Waits until the page shows the theme of kind `kind` with every control in its colours, and checks the contrasts. */
  async function expectThemeColours(frame: Frame, kind: string, label: string): Promise<void> {
    // No pointer over a button (its hover colour is another variable's).
    await vs!.page.mouse.move(5, 995);
    const seen = await waitFor(async () => {
      const c = await frame.evaluate(readControlColours);
      if (c.themeKind !== kind) throw new Error(`the page's theme is "${c.themeKind}"`);
      const wrong = c.checks.filter((x) => x.actual !== x.expected);
      if (wrong.length) throw new Error(wrong.map((x) => `${x.what} is ${x.actual}, ${x.variable} is ${x.expected}`).join('; '));
      return c;
    }, { what: `the controls in the colours of ${label}`, timeout: timeouts.step });
    for (const p of seen.pairs) {
      const ratio = contrast(p.fg, p.bg);
      assert.ok(ratio >= 4.5, `${label}: the ${p.what}'s text ${p.fg} on ${p.bg} has a contrast of ${ratio.toFixed(2)} (< 4.5)`);
    }
  }

  /** Picks colour theme `label` (the panel stays open). */
  async function switchTheme(label: string): Promise<void> {
    await vs!.ensureColorTheme(label);
    await vs!.closeQuickInput();
  }

  async function closeEditors(): Promise<void> {
    await vs!.runCommand('View: Close All Editors');
    await waitFor(async () => (await vs!.page.locator('.tabs-container .tab').count()) === 0, { what: 'no editor tab open' });
  }

  let captureId: string;

  it('draws the controls in the theme\'s colours: opened in light, dark and high contrast, and after a switch with the panel open', async () => {
    captureId = await create('Theme colours', 'Visa 4242', 'manual');
    const themes: [label: string, kind: string, name: string][] = [
      ['Default Light Modern', 'vscode-light', 'light'],
      ['Default Dark Modern', 'vscode-dark', 'dark'],
      ['Default High Contrast', 'vscode-high-contrast', 'high-contrast'],
    ];
    for (let i = 0; i < themes.length; i++) {
      const [label, kind, name] = themes[i]!;
      const [nextLabel, nextKind] = themes[(i + 1) % themes.length]!;
      await switchTheme(label);
      // Opened in this theme.
      let frame = await inspect(captureId);
      await frame.locator('.status', { hasText: 'Requires capture' }).first().waitFor({ timeout: timeouts.action });
      await expectThemeColours(frame, kind, `${label} (opened in it)`);
      await painted(vs!.page.mainFrame());
      await painted(frame);
      await shot(`theme-${name}`);
      // The theme changes while the panel is open.
      await switchTheme(nextLabel);
      frame = await vs!.inspectorFrame(captureId);
      await expectThemeColours(frame, nextKind, `${nextLabel} (switched to with the panel open)`);
      await closeEditors();
    }
  });

  /** The buttons of the panel's actions, in the page's order: "key:appearance". */
  const actionButtons = (frame: Frame) => frame.locator('.actions vscode-button').evaluateAll(
    (els) => els.map((e: any) => `${e.dataset.key}:${e.getAttribute('appearance')}`));

  /**
   * Where Cancel is: its row's place among the actions section's children, the separator's, how many there
   * are, and whether the row is drawn below everything before it; the first control of the section.
   */
  const cancelPlace = (frame: Frame) => frame.evaluate(() => {
    const doc = (globalThis as any).document;
    const section = doc.querySelector('.actions');
    const kids = Array.from(section.children) as any[];
    const cancelAt = kids.findIndex((k) => !!k.querySelector('vscode-button[data-key="act-cancel"]'));
    const dropdownAt = kids.findIndex((k) => !!k.querySelector('vscode-dropdown[data-key="cancel-reason"]'));
    const separatorAt = kids.findIndex((k) => k.getAttribute('role') === 'separator');
    const cancelTop = kids[cancelAt]?.getBoundingClientRect().top ?? 0;
    const below = kids.slice(0, cancelAt).every((k) => k.getBoundingClientRect().bottom <= cancelTop);
    const first = section.querySelector('vscode-button, vscode-text-field, vscode-dropdown');
    return { cancelAt, dropdownAt, separatorAt, count: kids.length, below, first: first?.dataset.key as string | undefined };
  });

  /** The primary button's background, and the theme's --vscode-button-background, as computed in the page. */
  const primaryColours = (frame: Frame) => frame.evaluate(() => {
    const g = globalThis as any;
    const probe = g.document.createElement('span');
    g.document.body.appendChild(probe);
    probe.style.backgroundColor = g.getComputedStyle(g.document.body).getPropertyValue('--vscode-button-background').trim();
    const expected = g.getComputedStyle(probe).backgroundColor as string;
    probe.remove();
    const primary = g.document.querySelector('.actions vscode-button[appearance="primary"]');
    return { actual: g.getComputedStyle(primary).backgroundColor as string, expected };
  });

  it('puts the next step first, as the one primary button, and Cancel last, set apart (requires_customer_action, requires_capture)', async () => {
    const threeDs = await create('Waiting for 3DS', 'Visa 3063 — 3DS', 'automatic');
    let frame = await inspect(threeDs);
    await frame.locator('.status', { hasText: 'Requires customer action' }).first().waitFor({ timeout: timeouts.action });
    assert.deepEqual(await actionButtons(frame),
      ['act-sim-succeed:primary', 'act-sim-fail:secondary', 'act-sim-expire:secondary', 'act-cancel:secondary']);
    let place = await cancelPlace(frame);
    assert.equal(place.first, 'act-sim-succeed', 'the first control is not the next step');
    assert.ok(place.separatorAt >= 0 && place.cancelAt === place.separatorAt + 1 && place.cancelAt === place.count - 1,
      `Cancel is not last, after a separator: ${JSON.stringify(place)}`);
    assert.equal(place.dropdownAt, place.cancelAt, 'the reason is not beside Cancel');
    assert.ok(place.below, 'the Cancel row is not drawn below the others');
    const colours = await primaryColours(frame);
    assert.equal(colours.actual, colours.expected, 'the primary button is not drawn in --vscode-button-background');
    await painted(vs!.page.mainFrame());
    await painted(frame);
    await shot('order-requires-customer-action');

    const manual = await create('Next step: capture', 'Visa 4242', 'manual');
    frame = await inspect(manual);
    await frame.locator('.status', { hasText: 'Requires capture' }).first().waitFor({ timeout: timeouts.action });
    assert.deepEqual(await actionButtons(frame), ['act-capture:primary', 'act-cancel:secondary']);
    place = await cancelPlace(frame);
    assert.equal(place.first, 'capture-amount', 'the first control is not the amount to capture');
    assert.ok(place.separatorAt >= 0 && place.cancelAt === place.separatorAt + 1 && place.cancelAt === place.count - 1,
      `Cancel is not last, after a separator: ${JSON.stringify(place)}`);
    assert.ok(place.below, 'the Cancel row is not drawn below the others');
    await painted(frame);
    await shot('order-requires-capture');
  });

  it('keeps a refusal, the typed amount and the focus through a new model and a redraw; typing clears it; Enter captures', async () => {
    const id = await create('Refusals stay', 'Visa 4242', 'manual');
    const frame = await inspect(id);
    await frame.locator('.status', { hasText: 'Requires capture' }).first().waitFor({ timeout: timeouts.action });
    const input = frame.locator('vscode-text-field[data-key="capture-amount"] input');
    const banner = frame.locator('.banner-error');
    const refusal = 'That is more than can be captured: at most 100.00 USD.';
    const fieldState = () => frame.evaluate(() => {
      const doc = (globalThis as any).document;
      const field = doc.querySelector('vscode-text-field[data-key="capture-amount"]');
      const inner = field?.shadowRoot?.querySelector('input');
      return { value: inner?.value as string | undefined, focused: doc.activeElement === field && field.shadowRoot.activeElement === inner };
    });
    const updated = () => frame.locator('.id-line time').getAttribute('datetime');

    await input.fill('150.00');
    await frame.locator('vscode-button[data-key="act-capture"]').click();
    await banner.filter({ hasText: refusal }).waitFor({ timeout: timeouts.action });
    // Back in the field, as a person who reads the refusal and is about to correct the amount.
    await input.click();
    assert.deepEqual(await fieldState(), { value: '150.00', focused: true });

    // The live poll brings a new model (the "updated" time moves): the refusal stays, the field as it was.
    const before = Date.parse((await updated()) ?? '');
    await waitFor(async () => Date.parse((await updated()) ?? '') > before, { what: 'a new model from the live poll', timeout: timeouts.slow });
    assert.deepEqual(await banner.allInnerTexts(), [refusal], 'the refusal went with the new model');
    assert.deepEqual(await fieldState(), { value: '150.00', focused: true });

    // A redraw (the page draws again at each busy message): the same.
    await frame.evaluate(() => {
      const g = globalThis as any;
      g.document.querySelector('.actions').dataset.e2eOld = '1';
      g.postMessage({ type: 'busy', busy: false, action: null }, '*');
    });
    await frame.locator('.actions:not([data-e2e-old])').waitFor({ timeout: timeouts.action });
    assert.deepEqual(await banner.allInnerTexts(), [refusal], 'the refusal went with the redraw');
    assert.deepEqual(await fieldState(), { value: '150.00', focused: true }, 'the redraw lost the typed amount or the focus');
    await painted(frame);
    await shot('refusal-kept');

    // Typing again clears it; Enter in the field captures.
    await input.fill('40.00');
    await waitFor(async () => (await banner.count()) === 0, { what: 'the refusal to go when the amount changes', timeout: timeouts.action });
    await input.press('Enter');
    await frame.locator('.tl-label', { hasText: 'Captured 40.00 USD' }).first().waitFor({ timeout: timeouts.step });
  });
});
