// Member-written HTML (a custom profile field's rendered_value) made safe to show, with js-xss:
// an allow-list of formatting tags, no scripts, styles, event handlers or forms, links only to
// http(s) URLs, and images only from the organization's own site (relative ones resolved against
// it): an image from another host would tell that host who looked at the profile, and when (Zulip's
// web app proxies those through its camo, at the site's origin). Such an <img> is dropped, its alt
// text shown in its place. The webview's Content-Security-Policy is a second wall; this is the
// first. No vscode import.
import { FilterXSS, friendlyAttrValue, type IWhiteList } from 'xss';

const ALLOWED_TAGS: IWhiteList = {
  a: ['href', 'title'],
  abbr: ['title'],
  b: [],
  blockquote: [],
  br: [],
  code: [],
  del: [],
  div: ['class'],
  em: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  hr: [],
  i: [],
  img: ['src', 'alt', 'title'],
  li: [],
  ol: ['start'],
  p: [],
  pre: [],
  s: [],
  span: ['class', 'title'],
  strong: [],
  sub: [],
  sup: [],
  table: [],
  tbody: [],
  td: [],
  th: [],
  thead: [],
  tr: [],
  u: [],
  ul: [],
};

/** Tags dropped with everything inside them (their content is not text to show). */
const DROPPED_WITH_CONTENT = ['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'textarea', 'select', 'title', 'head'];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The URL as an absolute http(s) URL, or undefined for anything else (javascript:, data:,
 * vbscript:, file:, command:, a malformed URL…). Relative URLs resolve against `base`.
 */
export function safeHttpUrl(value: string, base?: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base.endsWith('/') ? base : base + '/') : new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url.href;
}

/** Attribute values as the browser would read them: entities decoded, control characters gone. */
function attributeText(raw: string): string {
  return friendlyAttrValue(raw).replace(/&amp;/gi, '&');
}

/** Whether an (absolute) URL is on the site's own origin. */
function onSite(url: string, site: string): boolean {
  try {
    return new URL(url).origin === new URL(site).origin;
  } catch {
    return false;
  }
}

/** An <img> left without a src (not http(s), or another host's): its alt text, already escaped. */
const IMAGE_WITHOUT_SOURCE = /<img(?![^>]*\ssrc=)(?:[^>]*\salt="([^"]*)")?[^>]*>/g;

export function sanitizeRenderedHtml(html: string, site: string): string {
  const filter = new FilterXSS({
    whiteList: ALLOWED_TAGS,
    stripIgnoreTag: true,
    stripIgnoreTagBody: DROPPED_WITH_CONTENT,
    allowCommentTag: false,
    css: false,
    onTagAttr(tag, name, value, isAllowed) {
      if (!isAllowed) return '';
      const text = attributeText(value);
      if (name === 'href' || name === 'src') {
        const url = safeHttpUrl(text, site);
        if (name === 'src' && url && !onSite(url, site)) return '';
        return url ? `${name}="${escapeHtml(url)}"` : '';
      }
      if (name === 'class') {
        const classes = text.split(/\s+/).filter((c) => /^[A-Za-z0-9_-]+$/.test(c));
        return classes.length ? `class="${classes.join(' ')}"` : '';
      }
      if (name === 'start') return /^\d{1,6}$/.test(text) ? `start="${text}"` : '';
      return `${name}="${escapeHtml(text)}"`;
    },
  });
  // js-xss marks a dropped element whose end tag never came with "[removed]"; show nothing.
  return filter
    .process(html)
    .replace(/\[\/?removed\]/g, '')
    .replace(IMAGE_WITHOUT_SOURCE, (_, alt: string | undefined) => alt ?? '');
}
