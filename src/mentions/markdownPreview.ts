// A markdown-it plugin for VS Code's Markdown preview: mentions render as Zulip shows them in a
// message. A mention Zulip would render is a chip with the member's (or group's) current name,
// styled silent, group or wildcard; one Zulip shows as text (unknown name, wrong |id) is left to
// Markdown, which makes it bold or italic as Zulip does. Inside a blockquote a mention is silent.
// Chips link to the member's profile on their organization's site: the preview disables
// command: links (microsoft/vscode#215939), so zulip.openProfile cannot be the target. Nothing
// loads from anywhere (no images, no scripts); every name is escaped. A ```quote fence (or a bare
// fence, where the organization's default code block language is "quote") is a quote in Zulip,
// whose content is Markdown: it renders so here too, with its mentions silent; a ```spoiler
// fence's content is Markdown as well.
// No vscode import: the extension hands the resolver in.
import * as l10n from '@vscode/l10n';
import type MarkdownIt from 'markdown-it';
import type { DiagnosticsContext } from '../model/mentionDiagnostics';
import type { DocumentOptions } from '../model/mentionDocument';
import { fenceInfoKind } from '../model/mentionDocument';
import type { Mention } from '../model/mentionParser';
import { parseInlineMentions } from '../model/mentionParser';
import { resolveMention, ruleOrganization, type MentionOrganization } from '../model/mentionResolver';
import { mentionOutcome } from '../model/mentionRules';

export interface PreviewChip {
  kind: 'user' | 'group' | 'wildcard';
  /** The name the chip shows (without @). */
  name: string;
  silent: boolean;
  /** Deactivated member or group (Zulip shows them silent). */
  deactivated?: boolean;
  /** The profile on the organization's own site. */
  href?: string;
  /** A one-line tooltip. */
  title?: string;
}

/** Turns a mention into a chip, or undefined when Zulip would show the text as typed. */
export type PreviewResolver = (mention: Mention, quoted: boolean) => PreviewChip | undefined;

/** Python's `\s` (str.isspace) and ' " ( { [ / < : what may stand before a mention's @. */
function allowedBefore(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if ((code >= 0x1c && code <= 0x1f) || code === 0x85) return true;
  return (/\s/.test(ch) && code !== 0xfeff) || `'"({[/<`.includes(ch);
}
const USER_AT = /^@_?\*\*[^*]+\*\*/u;
const GROUP_AT = /^@_?\*[^*]+\*/u;
const QUOTED_ENV = 'zulipQuoted';

interface Env {
  [QUOTED_ENV]?: boolean;
}

type Token = ReturnType<MarkdownIt['parse']>[number];

/**
 * Adds mention chips to `md`; `resolver()` and `options()` (the default organization's way of
 * reading documents) are asked at each render, so they follow the members and the organization.
 */
export function zulipMentionsPlugin(md: MarkdownIt, resolver: () => PreviewResolver | undefined, options: () => DocumentOptions = () => ({})): MarkdownIt {
  // Quote and spoiler fences hold Markdown in Zulip: a quote fence becomes a blockquote of its
  // parsed content (fences inside included), a spoiler a <details> block under its header.
  md.core.ruler.after('block', 'zulip_fences', (state) => {
    const documentOptions = options();
    const expand = (tokens: Token[]): Token[] =>
      tokens.flatMap((token) => {
        const kind = token.type === 'fence' ? fenceInfoKind(token.info, documentOptions) : undefined;
        if (kind !== 'quote' && kind !== 'spoiler') return [token];
        const [openType, closeType, tag] = kind === 'quote' ? ['blockquote_open', 'blockquote_close', 'blockquote'] : ['zulip_spoiler_open', 'zulip_spoiler_close', 'details'];
        const open = new state.Token(openType, tag, 1);
        const close = new state.Token(closeType, tag, -1);
        open.map = token.map;
        open.markup = close.markup = token.markup;
        // Zulip's spoiler header: what follows "spoiler" on the fence line.
        if (kind === 'spoiler') open.meta = token.info.trim().replace(/^\S+\s*/, '');
        const inner: Token[] = [];
        state.md.block.parse(token.content, state.md, state.env, inner);
        return [open, ...expand(inner), close];
      });
    state.tokens = expand(state.tokens);
  });
  md.renderer.rules.zulip_spoiler_open = (tokens, idx) =>
    `<details class="zulip-spoiler"><summary>${md.utils.escapeHtml((tokens[idx].meta as string) || l10n.t('Spoiler'))}</summary>\n`;
  md.renderer.rules.zulip_spoiler_close = () => '</details>\n';

  // The core "inline" rule, with each inline block told whether it is in a blockquote.
  md.core.ruler.at('inline', (state) => {
    let depth = 0;
    const env = state.env as Env;
    for (const token of state.tokens) {
      if (token.type === 'blockquote_open') depth++;
      else if (token.type === 'blockquote_close') depth--;
      else if (token.type === 'inline') {
        env[QUOTED_ENV] = depth > 0;
        state.md.inline.parse(token.content, state.md, state.env, token.children ?? (token.children = []));
      }
    }
    env[QUOTED_ENV] = false;
  });

  md.inline.ruler.before('emphasis', 'zulip_mention', (state, silent) => {
    const { src, pos } = state;
    if (src.charCodeAt(pos) !== 0x40 /* @ */) return false;
    if (pos > 0 && !allowedBefore(src[pos - 1])) return false;
    const rest = src.slice(pos);
    const match = USER_AT.exec(rest) ?? GROUP_AT.exec(rest);
    if (!match) return false;
    const [mention] = parseInlineMentions(match[0]);
    const resolve = resolver();
    if (!mention || mention.end !== match[0].length || !resolve) return false;
    const chip = resolve(mention, (state.env as Env)[QUOTED_ENV] === true);
    if (!chip) return false;
    if (!silent) {
      const token = state.push('zulip_mention', 'span', 0);
      token.meta = chip;
    }
    state.pos += match[0].length;
    return true;
  });

  md.renderer.rules.zulip_mention = (tokens, idx) => renderChip(tokens[idx].meta as PreviewChip, md.utils.escapeHtml);
  return md;
}

/** The chip's HTML: classes from a fixed set, text and attributes escaped. */
export function renderChip(chip: PreviewChip, escape: (s: string) => string): string {
  const classes = ['zulip-mention', `zulip-mention-${chip.kind}`];
  if (chip.silent) classes.push('zulip-mention-silent');
  if (chip.deactivated) classes.push('zulip-mention-deactivated');
  const text = escape(chip.silent ? chip.name : `@${chip.name}`);
  const title = chip.title ? ` title="${escape(chip.title)}"` : '';
  const href = chip.href && /^https?:\/\//i.test(chip.href) ? chip.href : undefined;
  return href ? `<a class="${classes.join(' ')}" href="${escape(href)}"${title}>${text}</a>` : `<span class="${classes.join(' ')}"${title}>${text}</span>`;
}

type ChipNote = 'quoted' | 'deactivated' | 'silent' | 'none';

/** A chip's title with what Zulip does with it: "Iago (silent in a quote)". */
function withNote(title: string, note: ChipNote): string {
  switch (note) {
    case 'quoted':
      return l10n.t('{0} (silent in a quote)', title);
    case 'deactivated':
      return l10n.t('{0} (deactivated: nobody is notified)', title);
    case 'silent':
      return l10n.t('{0} (silent)', title);
    case 'none':
      return title;
  }
}

/**
 * The chip Zulip would show for `mention` among the organizations of `context` (default first);
 * `profileUrlOf` gives a member's profile on their organization's site.
 */
export function chipFor<O extends MentionOrganization>(mention: Mention, quoted: boolean, context: DiagnosticsContext<O>, profileUrlOf: (org: O, userId: number) => string): PreviewChip | undefined {
  const { orgs, groupsOf = () => undefined } = context;
  if (orgs.length === 0) return undefined;
  const resolution = resolveMention(mention, orgs, groupsOf, { crossRealmBotsOf: context.crossRealmBotsOf });
  const org = ruleOrganization(resolution, orgs);
  const outcome = mentionOutcome(resolution, { quoted }, { org, groups: groupsOf(org), selfUserId: context.selfUserIdOf?.(org) });
  if (outcome.display === 'text' || outcome.shownName === undefined) return undefined;
  const silent = outcome.display === 'silent';
  const why: ChipNote =
    outcome.because === 'quoted' ? 'quoted' : outcome.because === 'deactivatedMember' || outcome.because === 'deactivatedGroup' ? 'deactivated' : silent ? 'silent' : 'none';
  if (resolution.kind === 'wildcard') {
    const who = resolution.mention.scope === 'topic' ? l10n.t('Everyone in the topic') : l10n.t('Everyone in the channel');
    return { kind: 'wildcard', name: outcome.shownName, silent, title: withNote(who, why) };
  }
  if (resolution.kind === 'group') return { kind: 'group', name: outcome.shownName, silent, deactivated: outcome.because === 'deactivatedGroup', title: withNote(l10n.t('Group'), why) };
  if (resolution.kind === 'member') {
    const { user } = resolution.match;
    return { kind: 'user', name: user.full_name, silent, deactivated: !user.is_active, href: profileUrlOf(resolution.match.org, user.user_id), title: withNote(user.full_name, why) };
  }
  if (resolution.kind === 'ambiguous') {
    return { kind: 'user', name: outcome.shownName, silent, title: withNote(l10n.t('{0} members have this name; Zulip picks one', resolution.matches.length), why) };
  }
  return undefined;
}
