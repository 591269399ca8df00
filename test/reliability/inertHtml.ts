// Reads HTML the way a browser does (parse5) and checks that nothing in it can run or navigate
// outside http(s): no script-like elements, no on* or style attributes, URLs only http(s), buttons
// only the profile page's own commands. Shared by the unit property tests and the integration
// suite (bundled into it).
import * as assert from 'node:assert/strict';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { PROFILE_COMMANDS } from '../../src/views/profileHtml';

export type HtmlNode = DefaultTreeAdapterMap['node'];
export type HtmlElement = DefaultTreeAdapterMap['element'];

const ALLOWED_COMMANDS = new Set<string>(PROFILE_COMMANDS);
const NEVER = new Set(['script', 'style', 'iframe', 'object', 'embed', 'svg', 'math', 'form', 'input', 'textarea', 'select', 'base', 'meta', 'link', 'template', 'noscript', 'frame', 'frameset']);

export function parseHtml(html: string): HtmlNode {
  return parseFragment(html);
}

export function elements(node: HtmlNode, out: HtmlElement[] = []): HtmlElement[] {
  if ('tagName' in node) out.push(node);
  if ('childNodes' in node) for (const child of node.childNodes) elements(child, out);
  if ('content' in node && node.content) elements(node.content, out);
  return out;
}

export function textOf(node: HtmlNode): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

/** The element whose class list holds `name`. */
export function byClass(all: HtmlElement[], name: string): HtmlElement | undefined {
  return all.find((el) => el.attrs.some((a) => a.name === 'class' && a.value.split(' ').includes(name)));
}

export function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

/** Throws when the HTML holds anything a browser would execute or navigate to outside http(s). */
export function assertInertHtml(html: string): void {
  for (const el of elements(parseHtml(html))) {
    assert.ok(!NEVER.has(el.tagName), `a <${el.tagName}> element in ${html.slice(0, 500)}`);
    for (const attr of el.attrs) {
      assert.ok(!/^on/i.test(attr.name), `an ${attr.name} attribute in ${html.slice(0, 500)}`);
      assert.notEqual(attr.name, 'style', `a style attribute in ${html.slice(0, 500)}`);
      if (attr.name === 'href' || attr.name === 'src' || attr.name === 'action' || attr.name === 'formaction') {
        assert.ok(isHttpUrl(attr.value), `${attr.name}="${attr.value}" is not http(s)`);
      }
    }
    if (el.tagName === 'button') {
      const command = el.attrs.find((a) => a.name === 'data-command')?.value ?? '';
      assert.ok(ALLOWED_COMMANDS.has(command), `a button with command "${command}"`);
    }
  }
}

/** What a browser's parser makes of text put into HTML: CR LF and CR become LF, NUL is dropped. */
export function asParsed(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\0/g, '');
}
