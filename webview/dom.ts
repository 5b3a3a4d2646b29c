/**
 * The only way the webview makes DOM: elements with attributes and text nodes. There is no
 * innerHTML / insertAdjacentHTML / document.write anywhere in webview/: a server string always
 * ends up as a text node or an attribute value, so `<img src=x onerror=alert(1)>` shows as those
 * characters and runs nothing. Event handler attributes (`on…`) are refused outright.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string | (string | false | null | undefined)[];
  /** Attributes, set with setAttribute (values are never parsed as HTML). */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  title?: string;
  /** Event listeners (addEventListener), never attributes. */
  on?: { [K in keyof HTMLElementEventMap]?: (e: HTMLElementEventMap[K]) => void } & Record<string, (e: Event) => void>;
  /** A key that identifies the element across re-renders (focus is restored to it). */
  key?: string;
}

export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (props.class) {
    const cls = Array.isArray(props.class) ? props.class.filter(Boolean).join(' ') : props.class;
    if (cls) el.className = cls;
  }
  if (props.title) el.title = props.title;
  if (props.key) el.dataset.key = props.key;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (/^on/i.test(name)) throw new Error(`refusing an event handler attribute: ${name}`);
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, fn] of Object.entries(props.on ?? {})) el.addEventListener(type, fn as EventListener);
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Plain text in a span (optionally classed): the common case. */
/** One row of a key/value table: its header, its value, and optionally a copy button in a third cell. */
export interface KvRow {
  label: string;
  value: Child;
  rowClass?: string;
  valueClass?: string;
  copy?: Child;
}

/**
 * A key/value table (class `kv`, main.css). Plain table elements: a toolkit data grid costs the first
 * paint tens of ms for nothing two columns need.
 */
export function kvTable(rows: KvRow[], props: { class?: string; label?: string } = {}): HTMLElement {
  const table = h('table', { class: ['kv', props.class], attrs: { 'aria-label': props.label } });
  for (const r of rows) {
    table.appendChild(h('tr', { class: r.rowClass },
      h('th', { class: 'kv-label', attrs: { scope: 'row' } }, r.label),
      h('td', { class: ['kv-value', r.valueClass] }, r.value),
      r.copy === undefined ? null : h('td', { class: 'kv-copy' }, r.copy)));
  }
  return table;
}

export function text(value: string, cls?: string): HTMLElement {
  return h('span', { class: cls }, value);
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Small line icons drawn in the current text colour (the codicon font is not bundled). */
const ICONS: Record<string, string[]> = {
  copy: ['M5.5 4.5V2.75c0-.69.56-1.25 1.25-1.25h6.5c.69 0 1.25.56 1.25 1.25v6.5c0 .69-.56 1.25-1.25 1.25H11.5', 'M2.75 5.5h6.5c.69 0 1.25.56 1.25 1.25v6.5c0 .69-.56 1.25-1.25 1.25h-6.5c-.69 0-1.25-.56-1.25-1.25v-6.5c0-.69.56-1.25 1.25-1.25z'],
  close: ['M4 4l8 8', 'M12 4l-8 8'],
};

export function icon(name: keyof typeof ICONS & string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `icon icon-${name}`);
  for (const d of ICONS[name] ?? []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}
