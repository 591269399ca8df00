// A corpus of hostile members, for proving that what the server sends stays text: script and
// event-handler HTML in names and rendered fields, javascript: and data: links (typed in link
// fields, or made by an external account's url_pattern), Markdown and command links, a 10,000
// character name, control characters, a right-to-left override, emoji, theme-icon syntax, names
// with * and |. Every script payload, if it ever ran, would leave three marks a test can look
// for: window.__zulipPwned set, the document's title changed, and an alert dialog.
// Every hostile member's name contains "Mallory", so one search finds them all.
import type { NewUser, Org } from './org';
import type { CustomProfileField, UserGroupRecord } from './types';

/** The global an executed payload sets. */
export const PWNED_GLOBAL = '__zulipPwned';
/** What an executed payload puts at the start of document.title and in its alert. */
export const PWNED_TITLE = 'PWNED';

/** JavaScript that marks the page it runs in; no double quotes, so it fits in an attribute. */
export function payload(id: string): string {
  return `window.${PWNED_GLOBAL}='${id}';document.title='${PWNED_TITLE} ${id}';alert('${PWNED_TITLE} ${id}')`;
}

/** One hostile string and what it tries; the tests count them per surface. */
export interface HostileInput {
  id: string;
  what: string;
  text: string;
}

export const HOSTILE_FIELD_IDS = { jsPattern: 101, dataPattern: 102, hostileName: 103, hostileOptions: 104 } as const;

/** Fields whose definitions are hostile: an external account pattern that makes script URLs, a field name, option texts. */
export function hostileProfileFields(firstOrder: number): CustomProfileField[] {
  const base = { hint: '', required: false, editable_by_user: true };
  return [
    {
      ...base,
      id: HOSTILE_FIELD_IDS.jsPattern,
      name: 'Script account',
      type: 7,
      field_data: JSON.stringify({ subtype: 'custom', url_pattern: `javascript:${payload('url-pattern-js')}//%(username)s` }),
      order: firstOrder,
    },
    {
      ...base,
      id: HOSTILE_FIELD_IDS.dataPattern,
      name: 'Data account',
      type: 7,
      field_data: JSON.stringify({ subtype: 'custom', url_pattern: `data:text/html,<script>${payload('url-pattern-data')}</script>%(username)s` }),
      order: firstOrder + 1,
    },
    { ...base, id: HOSTILE_FIELD_IDS.hostileName, name: `<img src=x onerror="${payload('field-name')}">Field`, type: 1, field_data: '', order: firstOrder + 2 },
    {
      ...base,
      id: HOSTILE_FIELD_IDS.hostileOptions,
      name: 'Team',
      type: 3,
      field_data: JSON.stringify({ '0': { text: `<script>${payload('option-text')}</script>Red team`, order: '1' } }),
      order: firstOrder + 3,
    },
  ];
}

const LONG_NAME = 'Mallory Long ' + 'x'.repeat(10_000 - 'Mallory Long '.length);

/** The hostile members' names, with what each tries. */
export const HOSTILE_NAMES: readonly HostileInput[] = [
  { id: 'name-script', what: 'a script element in a name', text: `Mallory <script>${payload('name-script')}</script>` },
  { id: 'name-img-onerror', what: 'an event handler in a name', text: `Mallory <img src=x onerror="${payload('name-img')}">` },
  { id: 'name-command-link', what: 'a Markdown command link (sign out) in a name', text: 'Mallory [Sign out](command:zulip.signOut)' },
  { id: 'name-js-link', what: 'a Markdown javascript: link in a name', text: `Mallory [click](javascript:${payload('name-js-link').replace(/[()]/g, '')})` },
  { id: 'name-impersonation', what: 'a name ending in |id, posing as member 10', text: 'Mallory|10' },
  { id: 'name-star-pipe', what: 'a name with * and |', text: 'Mallory ** star | pipe *' },
  { id: 'name-10000', what: 'a 10,000 character name', text: LONG_NAME },
  { id: 'name-control', what: 'control characters (NUL, bell, escape, backspace, line breaks, DEL) in a name', text: 'Mallory\u0000Nul\u0007Bell\u001b[31mRed\u0008\r\nLine\u007fDel' },
  { id: 'name-rtl', what: 'a right-to-left override in a name', text: 'Mallory \u202Efdp.exe\u202C Override' },
  { id: 'name-emoji', what: 'emoji (skin tone, ZWJ sequence, flags) in a name', text: 'Mallory 👩🏽‍💻🏳️‍🌈🇩🇪 Emoji' },
  { id: 'name-theme-icon', what: 'theme-icon syntax in a name', text: 'Mallory $(sign-out) $(loading~spin) Icon' },
  { id: 'name-entities', what: 'HTML entities in a name', text: 'Mallory &lt;script&gt; &amp;amp; &#106;' },
  { id: 'name-markdown-image', what: 'a Markdown image, autolink and HTML comment in a name', text: 'Mallory ![x](https://evil.example/x.png) <https://evil.example> <!-- c -->' },
];

/** Hostile values of profile fields (and an email and a time zone), for the member with the "all fields" name. */
export const HOSTILE_VALUES: readonly HostileInput[] = [
  { id: 'email-html', what: 'HTML in an email address', text: `mallory+<img src=x onerror="${payload('email')}">@evil.example` },
  { id: 'timezone-script', what: 'a script element as a time zone', text: `<script>${payload('timezone')}</script>` },
  { id: 'rendered-script', what: 'script and event handlers in a rendered short text', text: `<p>hi<script>${payload('rendered-script')}</script><img src=x onerror="${payload('rendered-img')}"></p>` },
  {
    id: 'rendered-links',
    what: 'javascript:, data:, command: links, svg, iframe, form and mXSS in a rendered long text',
    text:
      `<p><a href="javascript:${payload('rendered-js')}">js</a> <a href="&#106;avascript:${payload('rendered-entity')}">entity</a> ` +
      `<a href="data:text/html,<script>${payload('rendered-data')}</script>">data</a> <a href="command:zulip.signOut">command</a></p>` +
      `<svg onload="${payload('rendered-svg')}"></svg><iframe srcdoc="<script>${payload('rendered-iframe')}</script>"></iframe>` +
      `<form action="javascript:${payload('rendered-form')}"><button>go</button></form>` +
      `<math><mtext><table><mglyph><style><img src=x onerror="${payload('rendered-mxss')}"></style></mglyph></table></mtext></math>` +
      `<p style="background:url(javascript:${payload('rendered-style')})" onclick="${payload('rendered-onclick')}">styled</p>`,
  },
  { id: 'link-javascript', what: 'a javascript: URL in a link field', text: `javascript:${payload('link-js')}` },
  { id: 'link-data', what: 'a data: URL in a link field', text: `data:text/html,<script>${payload('link-data')}</script>` },
  { id: 'github-break-out', what: 'an external account name that closes the attribute', text: `"><script>${payload('github')}</script>` },
  { id: 'custom-account-quote', what: 'an external account name with a quote and handler', text: `x" onmouseover="${payload('mastodon')}` },
  { id: 'url-pattern-js', what: "a url_pattern making javascript: links", text: 'mallory' },
  { id: 'url-pattern-data', what: 'a url_pattern making data: links', text: 'mallory' },
  { id: 'pronouns-html', what: 'an event handler in pronouns', text: `<b onmouseover="${payload('pronouns')}">she</b>` },
  { id: 'short-text-command', what: 'a Markdown command link in a short text', text: '[Sign out](command:zulip.signOut)' },
  { id: 'field-name', what: 'an event handler in a field name', text: `<img src=x onerror="${payload('field-name')}">Field` },
  { id: 'option-text', what: 'a script element in a list option', text: `<script>${payload('option-text')}</script>Red team` },
  { id: 'users-field', what: 'a users field that is not a list of ids', text: `[10, "<script>${payload('users-field')}</script>"]` },
  { id: 'group-name', what: 'an event handler in a user group name and a command link in its description', text: `Mallory <img src=x onerror="${payload('group')}">` },
  { id: 'realm-name', what: 'a command link in the organization name (shown in notifications)', text: 'Mallory Org [Sign out](command:zulip.signOut)' },
];

/**
 * Hostile people data beyond names and fields: statuses, emoji codes that do not exist, a second
 * group, odd presence. Part of hostileInputs(): the integration suite shows each on the Members
 * tree, the hover card and the profile (the second group on a group mention's card).
 */
export const HOSTILE_PEOPLE_VALUES: readonly HostileInput[] = [
  { id: 'status-html', what: 'script and an event handler in a status text', text: `<img src=x onerror="${payload('status-html')}"><script>${payload('status-script')}</script>` },
  { id: 'status-markdown', what: 'Markdown links, a command link and emphasis in a status text', text: '**Out** [Sign out](command:zulip.signOut) [x](javascript:alert(1))' },
  { id: 'status-icon', what: 'theme-icon syntax in a status text', text: '$(sync~spin) $(zap) busy $(alert)' },
  { id: 'status-bidi', what: 'bidi controls (override, isolate, mark) in a status text', text: 'Away \u202Eyadnom litnu\u202C \u2067x\u2069 \u200F' },
  { id: 'status-emoji-missing', what: 'a Unicode emoji code that does not exist', text: 'fffff-zzzz' },
  { id: 'status-custom-emoji-missing', what: 'a custom emoji id that does not exist', text: '99999' },
  { id: 'group2-name', what: 'theme-icon syntax and bidi controls in a group name', text: 'Mallory $(sync~spin) \u202Espuorg\u202C' },
  { id: 'group2-description', what: 'Markdown, HTML and a command link in a group description', text: `# Heading [Sign out](command:zulip.signOut) <b onmouseover="${payload('group2')}">x</b> *em*` },
  { id: 'presence-future', what: 'presence timestamps a year in the future', text: 'future' },
  { id: 'presence-missing', what: 'presence without an active timestamp (never active)', text: 'missing' },
];

function peopleValue(id: string): string {
  const input = HOSTILE_PEOPLE_VALUES.find((v) => v.id === id);
  if (!input) throw new Error(`No hostile people value ${id}`);
  return input.text;
}

const YEAR_SECONDS = 365 * 86_400;

function value(id: string): string {
  const input = HOSTILE_VALUES.find((v) => v.id === id);
  if (!input) throw new Error(`No hostile value ${id}`);
  return input.text;
}

/** The members to add; the first carries every hostile field value. */
export function hostileMembers(): NewUser[] {
  return HOSTILE_NAMES.map((name, index) => {
    const member: NewUser = {
      full_name: name.text,
      delivery_email: index === 0 ? value('email-html') : `mallory-${name.id}@evil.example`,
      // The command-link name's address is hidden: "Copy Email" then names the member in a notification.
      email_address_visibility: name.id === 'name-command-link' ? 4 : 1,
      role: 400,
      date_joined: '2024-01-01T00:00:00.000000+00:00',
    };
    if (index === 0) {
      member.timezone = value('timezone-script');
      member.profile_data = {
        '1': { value: 'hi', rendered_value: value('rendered-script') },
        '2': { value: 'links', rendered_value: value('rendered-links') },
        '3': { value: value('short-text-command') },
        '6': { value: value('link-javascript') },
        '7': { value: value('users-field') },
        '8': { value: value('github-break-out') },
        '9': { value: value('pronouns-html') },
        '10': { value: value('custom-account-quote') },
        [String(HOSTILE_FIELD_IDS.jsPattern)]: { value: value('url-pattern-js') },
        [String(HOSTILE_FIELD_IDS.dataPattern)]: { value: value('url-pattern-data') },
        [String(HOSTILE_FIELD_IDS.hostileName)]: { value: 'named field' },
        [String(HOSTILE_FIELD_IDS.hostileOptions)]: { value: '0' },
      };
    } else if (index === 1) {
      member.profile_data = { '6': { value: value('link-data') } };
    }
    return member;
  });
}

/** Every hostile string the corpus holds. */
export function hostileInputs(): HostileInput[] {
  return [...HOSTILE_NAMES, ...HOSTILE_VALUES, ...HOSTILE_PEOPLE_VALUES];
}

export interface AddedHostileMembers {
  /** The members added, with the name input each carries. */
  members: Array<{ userId: number; input: HostileInput }>;
  groupId: number;
  /** A second group: theme-icon syntax and bidi controls in its name, Markdown in its description. */
  secondGroupId: number;
  /** The organization's fields and name before, restored on removal. */
  fieldsBefore: CustomProfileField[];
  realmNameBefore: string;
}

const added = new WeakMap<Org, AddedHostileMembers>();

/** Adds the hostile fields, members and user group to an organization (events go out as usual), and names it with a command link. */
export function addHostileMembers(org: Org): AddedHostileMembers {
  const already = added.get(org);
  if (already) return already;
  const fields = org.profileFieldsForApi();
  const lastOrder = fields.reduce((max, f) => Math.max(max, f.order), 0);
  org.setProfileFields([...fields, ...hostileProfileFields(lastOrder + 1)]);
  const members = hostileMembers().map((member, index) => ({ userId: org.addUser(member).user_id, input: HOSTILE_NAMES[index] }));
  const groupId = Math.max(0, ...org.userGroups.map((g) => g.id)) + 1;
  const template = org.userGroups.find((g) => !g.is_system_group);
  const group: UserGroupRecord = {
    id: groupId,
    name: value('group-name'),
    description: `[Sign out](command:zulip.signOut) <script>${payload('group-description')}</script>`,
    membership: { kind: 'users', userIds: members.slice(0, 3).map((m) => m.userId) },
    direct_subgroup_ids: [],
    is_system_group: false,
    creator_id: members[0].userId,
    date_created: 1_700_000_000,
    deactivated: false,
    settings: { ...(template?.settings ?? ({} as UserGroupRecord['settings'])) },
  };
  org.userGroups.push(group);
  const second = org.createGroup({
    name: peopleValue('group2-name'),
    description: peopleValue('group2-description'),
    members: members.slice(2, 5).map((m) => m.userId),
    subgroups: [groupId],
    creator_id: members[0].userId,
  });
  addHostilePeopleData(org, members.map((m) => m.userId));
  const result = { members, groupId, secondGroupId: second.id, fieldsBefore: fields, realmNameBefore: org.realm.name };
  org.realm.name = value('realm-name');
  added.set(org, result);
  return result;
}

/** Takes the corpus out again (members removed with events, the group, the hostile fields). */
export function removeHostileMembers(org: Org): void {
  const result = added.get(org);
  if (!result) return;
  added.delete(org);
  for (const { userId } of result.members) if (org.getUser(userId)) org.removeUser(userId);
  if (org.getGroup(result.secondGroupId)) org.removeGroup(result.secondGroupId);
  const index = org.userGroups.findIndex((g) => g.id === result.groupId);
  if (index >= 0) org.userGroups.splice(index, 1);
  org.setProfileFields(result.fieldsBefore);
  org.realm.name = result.realmNameBefore;
}

/** Statuses (stored unchecked, as a stale or hostile server could send them) and odd presence. */
function addHostilePeopleData(org: Org, userIds: number[]): void {
  const [first, second, third, fourth, fifth, sixth] = userIds;
  org.forceStatus(first, { status_text: peopleValue('status-html'), emoji_name: 'x', emoji_code: peopleValue('status-emoji-missing'), reaction_type: 'unicode_emoji' });
  org.forceStatus(second, { status_text: peopleValue('status-markdown'), emoji_name: 'ghost', emoji_code: peopleValue('status-custom-emoji-missing'), reaction_type: 'realm_emoji' });
  org.forceStatus(third, { status_text: peopleValue('status-icon') });
  org.forceStatus(fourth, { status_text: peopleValue('status-bidi') });
  const now = org.clock.unix();
  org.setPresenceTimestamps(fifth, now + YEAR_SECONDS, now + YEAR_SECONDS);
  org.setPresenceTimestamps(sixth, null, now);
}

// ---- Images from other hosts in a rendered profile field (a tracking pixel) ----

/** The name of the member whose rendered profile field holds images from other hosts. */
export const TRACKING_PIXEL_MEMBER_NAME = 'Mallory Pixel';
/** An https image on another host: it would tell that host who opened the profile, and when. */
export const ELSEWHERE_PIXEL_URL = 'https://elsewhere.example/pixel';

/**
 * The rendered value of a profile field with images from other hosts: ELSEWHERE_PIXEL_URL and
 * each of `pixelUrls` (a test's own counting server, over http and https).
 */
export function trackingPixelHtml(pixelUrls: readonly string[]): string {
  const images = [ELSEWHERE_PIXEL_URL, ...pixelUrls].map((url) => `<img src="${url}" alt="">`).join('');
  return `<p>About me${images}</p>`;
}

/** Adds the member whose profile field (the first, a short text) shows those images; returns the id. */
export function addTrackingPixelMember(org: Org, pixelUrls: readonly string[]): number {
  return org.addUser({
    full_name: TRACKING_PIXEL_MEMBER_NAME,
    delivery_email: 'mallory-pixel@evil.example',
    email_address_visibility: 1,
    role: 400,
    date_joined: '2024-01-01T00:00:00.000000+00:00',
    profile_data: { '1': { value: 'About me', rendered_value: trackingPixelHtml(pixelUrls) } },
  }).user_id;
}
