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
export function text(value: string, cls?: string): HTMLElement {
  return h('span', { class: cls }, value);
}
