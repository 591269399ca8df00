// The profile panel's HTML, built from data by pure functions: every member-provided string is
// escaped, Markdown fields are sanitized, links are http(s) only, and the page carries a strict
// Content-Security-Policy with a nonce. No vscode import: tested directly with hostile values.
import * as l10n from '@vscode/l10n';
import { avatarUrl, botTypeLabel, formatDate, isDeleted, localTime, pronounFieldIds, pronounsOf, realEmail, roleKey, roleLabel, unknownUserName } from '../model/memberInfo';
import { groupDisplayName } from '../model/userGroups';
import { presenceLabel, type PresenceState } from '../model/presence';
import type { UserStatus } from '../model/userStatus';
import { statusEmojiChars } from './statusText';
import { ProfileFieldType, type CustomProfileField, type User, type UserGroup } from '../zulip/types';
import { escapeHtml, safeHttpUrl, sanitizeRenderedHtml } from '../text/htmlSanitizer';

export { escapeHtml } from '../text/htmlSanitizer';

export interface ProfileData {
  accountId: string;
  site: string;
  user: User;
  /** The organization's custom profile fields, in its order. */
  fields: readonly CustomProfileField[];
  /** Other members, for a bot's owner and "users" fields. */
  member(userId: number): User | undefined;
  presence?: PresenceState;
  /** Zulip's words for the presence ("Active 5 minutes ago"). */
  lastActive?: string;
  status?: UserStatus;
  /** The status's custom or Zulip emoji image: an http(s) URL on the organization's site (the page's CSP allows no other host). */
  statusEmojiImage?: string;
  /** The groups the member belongs to, in the order to show: named groups, then system groups. */
  groups?: readonly UserGroup[];
  now?: Date;
  locale?: string;
}

/** The commands the page's buttons send; the extension accepts nothing else. */
export const PROFILE_COMMANDS = ['copyMention', 'copyEmail', 'openInZulip', 'sendDirectMessage', 'refresh', 'openProfile'] as const;
export type ProfileCommand = (typeof PROFILE_COMMANDS)[number];

const EXTERNAL_ACCOUNT_PATTERNS: Record<string, string> = {
  github: 'https://github.com/%(username)s',
  twitter: 'https://twitter.com/%(username)s',
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function memberButton(user: User | undefined, userId: number): string {
  if (!user) return `<span class="unknown-member">${escapeHtml(l10n.t('{0} ({1})', unknownUserName(), userId))}</span>`;
  return `<button type="button" class="link member-link" data-command="openProfile" data-user-id="${user.user_id}">${escapeHtml(user.full_name)}</button>`;
}

function link(url: string | undefined, text: string): string {
  if (!url) return escapeHtml(text);
  return `<a href="${escapeHtml(url)}" title="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
}

/** One custom profile field's value as HTML, by the field's type; undefined when unset. */
export function renderFieldValue(field: CustomProfileField, value: { value: string; rendered_value?: string }, data: Pick<ProfileData, 'site' | 'member' | 'locale'>): string | undefined {
  const raw = value.value ?? '';
  if (raw.trim() === '') return undefined;
  switch (field.type) {
    case ProfileFieldType.ShortText:
      return value.rendered_value !== undefined ? `<span class="rendered">${sanitizeRenderedHtml(value.rendered_value, data.site)}</span>` : escapeHtml(raw);
    case ProfileFieldType.LongText: // Markdown
      return value.rendered_value !== undefined
        ? `<div class="rendered markdown">${sanitizeRenderedHtml(value.rendered_value, data.site)}</div>`
        : `<div class="plain-long">${escapeHtml(raw)}</div>`;
    case ProfileFieldType.Select: {
      // list of options: the value is the option's key
      const options = parseJson(field.field_data) as Record<string, { text?: unknown }> | undefined;
      const option = options && typeof options === 'object' ? options[raw] : undefined;
      return typeof option?.text === 'string' ? escapeHtml(option.text) : `<span class="unknown-option">${escapeHtml(raw)}</span>`;
    }
    case ProfileFieldType.Date:
      return `<time datetime="${escapeHtml(raw)}">${escapeHtml(formatDate(raw, data.locale))}</time>`;
    case ProfileFieldType.Link:
      return link(safeHttpUrl(raw), raw);
    case ProfileFieldType.Users: {
      // users: JSON list of ids
      const ids = parseJson(raw);
      if (!Array.isArray(ids)) return escapeHtml(raw);
      const valid = ids.filter((id): id is number => Number.isSafeInteger(id) && id > 0);
      if (valid.length === 0) return undefined;
      return `<span class="member-list">${valid.map((id) => memberButton(data.member(id), id)).join(', ')}</span>`;
    }
    case ProfileFieldType.ExternalAccount: {
      // external account: a user name, linked through the subtype's pattern
      const meta = parseJson(field.field_data) as { subtype?: unknown; url_pattern?: unknown } | undefined;
      const subtype = typeof meta?.subtype === 'string' ? meta.subtype : '';
      const pattern = subtype === 'custom' ? (typeof meta?.url_pattern === 'string' ? meta.url_pattern : '') : EXTERNAL_ACCOUNT_PATTERNS[subtype];
      const url = pattern ? safeHttpUrl(pattern.split('%(username)s').join(encodeURIComponent(raw.trim()))) : undefined;
      return link(url, raw);
    }
    case ProfileFieldType.Pronouns:
      return escapeHtml(raw);
    default:
      return escapeHtml(raw);
  }
}

function fact(label: string, html: string, className = ''): string {
  return `<div class="fact${className ? ' ' + className : ''}"><dt>${escapeHtml(label)}</dt><dd>${html}</dd></div>`;
}

function presenceBadge(presence: PresenceState | undefined): string {
  if (!presence) return '';
  return `<span class="badge presence presence-${presence}"><span class="dot" aria-hidden="true"></span>${escapeHtml(presenceLabel(presence) ?? '')}</span>`;
}

/** The member's status as text: emoji characters (or :name: for an image emoji) and the escaped words. */
function statusHtml(status: UserStatus | undefined, image: string | undefined, site: string): string | undefined {
  if (!status || (!status.text && !status.emoji)) return undefined;
  const chars = statusEmojiChars(status);
  const name = status.emoji ? `:${status.emoji.name}:` : '';
  const src = chars === undefined && image ? sameOriginImage(image, site) : undefined;
  const emoji = src
    ? `<img class="status-emoji" src="${escapeHtml(src)}" alt="${escapeHtml(name)}" title="${escapeHtml(name)}" width="${STATUS_EMOJI_PX}" height="${STATUS_EMOJI_PX}">`
    : escapeHtml(chars ?? name);
  return `<span class="user-status">${[emoji, escapeHtml(status.text)].filter(Boolean).join(' ')}</span>`;
}

/** Pixel size of a status's custom emoji on the page. */
const STATUS_EMOJI_PX = 20;

/** The image URL when it is http(s) on the site's own origin (the one host the page's CSP allows). */
function sameOriginImage(url: string, site: string): string | undefined {
  const safe = safeHttpUrl(url);
  return safe && siteOrigin(safe) && siteOrigin(safe) === siteOrigin(site) ? safe : undefined;
}

/** The member's groups as Zulip names them, each escaped. */
function groupsHtml(groups: readonly UserGroup[] | undefined): string | undefined {
  if (!groups?.length) return undefined;
  const items = groups.map((group) => `<li class="${group.is_system_group ? 'group system-group' : 'group'}">${escapeHtml(groupDisplayName(group))}</li>`);
  return `<ul class="member-groups">${items.join('')}</ul>`;
}

/** The page body for one member: header, actions, facts, then the custom fields in order. */
/** The avatar image the profile shows (an http(s) URL), if any. */
export function profileAvatar(user: User, site: string): string | undefined {
  return safeHttpUrl(avatarUrl(user, site, 'medium'));
}

export function buildProfileBody(data: ProfileData): string {
  const { user, site } = data;
  const pronouns = pronounsOf(user, pronounFieldIds(data.fields));
  const email = realEmail(user);
  const avatar = profileAvatar(user, site);
  const role = roleLabel(user);

  const deleted = isDeleted(user);
  const badges = [
    `<span class="badge role role-${escapeHtml(roleKey(user))}">${escapeHtml(role)}</span>`,
    user.is_bot ? `<span class="badge bot">${escapeHtml(botTypeLabel(user) ?? l10n.t('Bot'))}</span>` : '',
    deleted
      ? `<span class="badge deactivated deleted">${escapeHtml(l10n.t('Deleted user'))}</span>`
      : user.is_active
        ? ''
        : `<span class="badge deactivated">${escapeHtml(l10n.t('Deactivated'))}</span>`,
    user.is_active && !user.is_bot ? presenceBadge(data.presence) : '',
  ].filter(Boolean);

  // A deleted account offers no actions, as in Zulip: only reading the page again.
  const actions = (
    deleted
      ? [['refresh', l10n.t('Refresh')]]
      : [
          ['copyMention', l10n.t('Copy Mention')],
          ...(email ? [['copyEmail', l10n.t('Copy Email')]] : []),
          ['openInZulip', l10n.t('Open in Zulip')],
          ['sendDirectMessage', l10n.t('Send Direct Message')],
          ['refresh', l10n.t('Refresh')],
        ]
  )
    .map(([command, label]) => `<button type="button" data-command="${command}">${escapeHtml(label)}</button>`)
    .join('');

  const facts: string[] = [];
  facts.push(fact(l10n.t('Email'), email ? `<span class="email">${escapeHtml(email)}</span>` : `<span class="muted">${escapeHtml(l10n.t('Hidden'))}</span>`));
  facts.push(fact(l10n.t('User ID'), String(user.user_id)));
  const status = statusHtml(data.status, data.statusEmojiImage, site);
  if (status) facts.push(fact(l10n.t('Status'), status));
  const groups = groupsHtml(data.groups);
  if (groups) facts.push(fact(l10n.t('Groups'), groups, 'groups'));
  if (data.lastActive && user.is_active && !user.is_bot) facts.push(fact(l10n.t('Last active'), escapeHtml(data.lastActive)));
  if (!user.is_bot) {
    const time = localTime(user.timezone ?? '', data.now, data.locale);
    facts.push(
      fact(
        l10n.t('Local time'),
        time.ok
          ? `<span class="local-time" data-timezone="${escapeHtml(time.zone)}">${escapeHtml(time.text)}</span> <span class="muted">(${escapeHtml(time.zone)})</span>`
          : `<span class="muted">${escapeHtml(time.reason)}</span>`,
      ),
    );
  }
  if (user.date_joined) {
    const stub = user.is_imported_stub ? ` <span class="muted">${escapeHtml(l10n.t('(imported; has not signed in yet)'))}</span>` : '';
    facts.push(fact(l10n.t('Joined'), `<time datetime="${escapeHtml(user.date_joined)}">${escapeHtml(formatDate(user.date_joined, data.locale))}</time>${stub}`));
  } else if (user.is_imported_stub) {
    facts.push(fact(l10n.t('Joined'), `<span class="muted">${escapeHtml(l10n.t('Imported; has not signed in yet'))}</span>`));
  }
  if (user.is_bot) {
    facts.push(fact(l10n.t('Bot type'), escapeHtml(botTypeLabel(user) ?? l10n.t('Bot'))));
    if (user.bot_owner_id !== null) facts.push(fact(l10n.t('Owner'), memberButton(data.member(user.bot_owner_id), user.bot_owner_id)));
  }
  if (deleted) facts.push(fact(l10n.t('Account'), escapeHtml(l10n.t('Deleted: there is nothing to open or mention.'))));
  else if (!user.is_active) facts.push(fact(l10n.t('Status'), escapeHtml(l10n.t('Deactivated'))));

  const fieldRows: string[] = [];
  for (const field of data.fields) {
    const value = user.profile_data?.[String(field.id)];
    if (!value) continue;
    const html = renderFieldValue(field, value, data);
    if (html === undefined) continue;
    fieldRows.push(fact(field.name, html, `field field-type-${Number(field.type) || 0}`));
  }

  return [
    `<main class="profile" data-account-id="${escapeHtml(data.accountId)}" data-user-id="${user.user_id}">`,
    '<header class="head">',
    avatar ? `<img class="avatar" src="${escapeHtml(avatar)}" alt="" width="96" height="96">` : '<div class="avatar placeholder" aria-hidden="true"></div>',
    '<div class="who">',
    `<h1 class="name">${escapeHtml(user.full_name)}</h1>`,
    pronouns ? `<p class="pronouns">${escapeHtml(pronouns)}</p>` : '',
    `<p class="badges">${badges.join(' ')}</p>`,
    '</div>',
    '</header>',
    `<nav class="actions" aria-label="${escapeHtml(l10n.t('Actions'))}">${actions}</nav>`,
    `<section class="facts" aria-label="${escapeHtml(l10n.t('Details'))}"><dl>${facts.join('')}</dl></section>`,
    fieldRows.length ? `<section class="fields"><h2>${escapeHtml(l10n.t('Profile'))}</h2><dl>${fieldRows.join('')}</dl></section>` : '',
    '</main>',
  ].join('\n');
}

/**
 * Why a member id has no profile: for a guest, whom the organization may keep from seeing some
 * members, Zulip's "Unknown user"; for anyone else, no such member.
 */
export function missingMemberMessage(orgName: string, userId: number, selfIsGuest: boolean): string {
  return selfIsGuest
    ? l10n.t('{0} (user id {1}): {2} may keep some members from guests, and Zulip shows them as "{0}".', unknownUserName(), userId, orgName)
    : l10n.t('{0} has no member with id {1}.', orgName, userId);
}

/** A body saying why there is no profile to show (signed out, unknown member, still loading). */
export function buildMessageBody(accountId: string, userId: number, message: string, withRetry = false): string {
  return [
    `<main class="profile message" data-account-id="${escapeHtml(accountId)}" data-user-id="${Number.isSafeInteger(userId) ? userId : 0}">`,
    `<p>${escapeHtml(message)}</p>`,
    withRetry ? `<nav class="actions"><button type="button" data-command="refresh">${escapeHtml(l10n.t('Refresh'))}</button></nav>` : '',
    '</main>',
  ].join('\n');
}

export interface PageOptions {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** The organization's site; its origin may serve images (uploaded avatars). */
  site?: string;
  /** The avatar the page shows, if any: Gravatar may serve images only when it serves that. */
  avatar?: string;
  title: string;
  /** The page's language (VS Code's display language): screen readers and the local-time clock follow it. */
  lang?: string;
}

/** Gravatar, where Zulip's avatars come from when nobody uploaded one. */
export const GRAVATAR_ORIGIN = 'https://secure.gravatar.com';

/**
 * Where the profile page may load images from: the webview's own resources, the organization's
 * site, and Gravatar only when the avatar comes from it. No other host learns who looked at whom.
 */
export function imageSources(cspSource: string, site: string | undefined, avatar: string | undefined): string[] {
  const sources = [cspSource, siteOrigin(site)];
  if (avatar && siteOrigin(avatar) === GRAVATAR_ORIGIN) sources.push(GRAVATAR_ORIGIN);
  return sources.filter((s, i) => s && sources.indexOf(s) === i);
}

/** A CSP source for the site's origin, or '' when the site is not a plain http(s) origin. */
export function siteOrigin(site: string | undefined): string {
  if (!site) return '';
  const url = safeHttpUrl(site);
  if (!url) return '';
  const origin = new URL(url).origin;
  return /^https?:\/\/[A-Za-z0-9.\-:[\]]+$/.test(origin) ? origin : '';
}

export function buildProfilePage(body: string, options: PageOptions): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(options.nonce)) throw new Error('A nonce must be at least 16 base64 characters.');
  const csp = [
    "default-src 'none'",
    `img-src ${imageSources(options.cspSource, options.site, options.avatar).join(' ')}`,
    `style-src ${options.cspSource}`,
    `script-src 'nonce-${options.nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(options.lang ?? 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">`,
    `<title>${escapeHtml(options.title)}</title>`,
    '</head>',
    '<body>',
    `<div id="profile">${body}</div>`,
    `<script nonce="${options.nonce}" src="${escapeHtml(options.scriptUri)}"></script>`,
    '</body>',
    '</html>',
  ].join('\n');
}
