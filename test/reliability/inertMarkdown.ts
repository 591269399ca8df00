// Renders Markdown as VS Code might at its most permissive (raw HTML allowed, linkify on) and
// lists what came out: links, images, text, and any tag markdown-it did not make itself (which
// only unescaped input can produce). Shared by unit and integration tests.
import MarkdownIt from 'markdown-it';
import { elements, parseHtml, textOf } from './inertHtml';

const md = new MarkdownIt({ html: true, linkify: true });

/** Tags markdown-it makes from Markdown syntax; anything else came from raw HTML in the input. */
const MARKDOWN_TAGS = new Set(['p', 'strong', 'em', 'br', 'a', 'img', 'ul', 'ol', 'li', 'hr', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'del', 's', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);

export interface RenderedMarkdown {
  html: string;
  links: string[];
  /** Image sources, without VS Code's `|width=…` size suffix. */
  images: string[];
  text: string;
  /** Tags from raw HTML. */
  rawTags: string[];
}

export function renderMarkdown(markdown: string): RenderedMarkdown {
  const html = md.render(markdown);
  const all = elements(parseHtml(html));
  const attr = (name: string) => all.flatMap((el) => el.attrs.filter((a) => a.name === name && (el.tagName === 'a' || el.tagName === 'img')).map((a) => a.value));
  return {
    html,
    links: attr('href'),
    images: attr('src').map((src) => src.split('%7C')[0].split('|')[0]),
    text: textOf(parseHtml(html)),
    rawTags: [...new Set(all.map((el) => el.tagName).filter((tag) => !MARKDOWN_TAGS.has(tag)))],
  };
}
