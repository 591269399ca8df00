// The extension's text in other languages: the committed English bundle is what the source asks
// for (a fresh `@vscode/l10n-dev export`), the German files cover every key with the same
// placeholders, the manifest names no literal text, no user-facing API call in src is given an
// untranslated literal, and with a pseudo-locale loaded every surface renders without any of the
// extension's English left (only the member data the test put in).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { getL10nJson, getL10nPseudoLocalized, type l10nJsonFormat } from '@vscode/l10n-dev';
import ts from 'typescript';
import { MemberIndex } from '../../src/model/memberIndex';
import { lastActiveText } from '../../src/model/lastActive';
import { diagnoseMention, type DiagnosticsContext } from '../../src/model/mentionDiagnostics';
import { parseDocument } from '../../src/model/mentionDocument';
import { fixesFor } from '../../src/model/mentionFixes';
import type { MentionOrganization } from '../../src/model/mentionResolver';
import { presenceLabel } from '../../src/model/presence';
import { statusPresets, statusTextCheck } from '../../src/model/statusChoices';
import { chipFor } from '../../src/mentions/markdownPreview';
import { groupRowDescription, groupRowLabel } from '../../src/views/groupTreeModel';
import { mentionCardAt, type CardOrganization } from '../../src/views/mentionCard';
import {
  bucketAccessibilityLabel,
  groupAccessibilityLabel,
  groupLabel,
  memberAccessibilityLabel,
  memberDescription,
  memberTooltip,
  orgAccessibilityLabel,
  orgDescription,
  orgTooltip,
  statusLabel,
  type RowContext,
} from '../../src/views/memberRowText';
import { buildMessageBody, buildProfileBody } from '../../src/views/profileHtml';
import { withUserDefaults } from '../../src/zulip/client';
import { jwtErrorMessage } from '../../src/zulip/jwtErrors';
import { normalizeSite } from '../../src/zulip/site';
import { parseZuliprc } from '../../src/zulip/zuliprc';
import { BotType, Role, type CustomProfileField, type UserGroup } from '../../src/zulip/types';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string): unknown => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
const englishBundle = read('l10n/bundle.l10n.json') as l10nJsonFormat;
const germanBundle = read('l10n/bundle.l10n.de.json') as Record<string, string>;
const englishNls = read('package.nls.json') as Record<string, string>;
const germanNls = read('package.nls.de.json') as Record<string, string>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : /\.ts$/.test(name) ? [file] : [];
  });
}
const SOURCES = sourceFiles(path.join(ROOT, 'src'));

const messageOf = (value: l10nJsonFormat[string]): string => (typeof value === 'string' ? value : value.message);
const placeholders = (text: string): string[] => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

describe('the bundles', () => {
  test('l10n/bundle.l10n.json is a fresh export of src (run `npx vscode-l10n-dev export -o l10n src` after changing a string)', async () => {
    const fresh = await getL10nJson(SOURCES.map((file) => ({ contents: readFileSync(file, 'utf8'), extension: '.ts' })));
    const sorted = (bundle: l10nJsonFormat) => Object.fromEntries(Object.entries(bundle).sort(([a], [b]) => a.localeCompare(b)));
    assert.deepEqual(sorted(englishBundle), sorted(fresh));
    assert.ok(Object.keys(fresh).length > 300, 'the export found the strings');
  });

  test('every English string has a German one with the same placeholders, and nothing else', () => {
    for (const [key, value] of Object.entries(englishBundle)) {
      const german = germanBundle[key];
      assert.ok(typeof german === 'string' && german.trim() !== '', `bundle.l10n.de.json has no entry for ${JSON.stringify(key)}`);
      assert.deepEqual(placeholders(german), placeholders(messageOf(value)), `placeholders of ${JSON.stringify(key)}`);
    }
    assert.deepEqual(Object.keys(germanBundle).filter((key) => !(key in englishBundle)), [], 'German keys no English string has');
    for (const [key, value] of Object.entries(englishNls)) {
      const german = germanNls[key];
      assert.ok(typeof german === 'string' && german.trim() !== '', `package.nls.de.json has no entry for ${key}`);
      // Command links and setting references stay as they are.
      assert.deepEqual(german.match(/\(command:[^)]+\)|#[\w.]+#/g) ?? [], value.match(/\(command:[^)]+\)|#[\w.]+#/g) ?? [], key);
    }
    assert.deepEqual(Object.keys(germanNls).filter((key) => !(key in englishNls)), []);
  });

  test('German is Zulip’s German: “du”, Nutzergruppe, Mitglieder, Status setzen, Zulip’s last-active words', () => {
    const all = Object.values(germanBundle).join('\n') + Object.values(germanNls).join('\n');
    assert.doesNotMatch(all, /\b(Sie|Ihr|Ihre|Ihren|Ihnen)\b/, 'the formal “Sie” where Zulip says “du”');
    assert.doesNotMatch(all, /Benutzergruppe/, 'Zulip says Nutzergruppe');
    assert.equal(germanBundle['Set Status…'], 'Status setzen …');
    assert.equal(germanBundle['Active now'], 'Jetzt aktiv');
    assert.equal(germanBundle['Active an hour ago'], 'Zuletzt aktiv vor einer Stunde');
    assert.equal(germanBundle['Not active in the last year'], 'Nicht im letzten Jahr aktiv');
    assert.equal(germanNls['zulip.members.name'], 'Mitglieder');
  });
});

describe('the manifest', () => {
  const manifest = read('package.json') as Record<string, unknown> & { contributes: Record<string, unknown> };
  /** Every string a person reads in package.json, with where it is. */
  function userFacing(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const add = (where: string, value: unknown) => typeof value === 'string' && out.push([where, value]);
    add('displayName', manifest.displayName);
    add('description', manifest.description);
    add('capabilities', (manifest.capabilities as { untrustedWorkspaces: { description: string } }).untrustedWorkspaces.description);
    const c = manifest.contributes as {
      commands: Array<{ command: string; title: string }>;
      authentication: Array<{ label: string }>;
      configuration: { properties: Record<string, { description?: string; markdownDescription?: string; enumDescriptions?: string[] }> };
      views: Record<string, Array<{ id: string; name: string }>>;
      viewsWelcome: Array<{ contents: string }>;
    };
    for (const command of c.commands) add(command.command, command.title);
    for (const a of c.authentication) add('authentication', a.label);
    for (const [name, p] of Object.entries(c.configuration.properties)) {
      add(name, p.description);
      add(name, p.markdownDescription);
      for (const d of p.enumDescriptions ?? []) add(name, d);
    }
    for (const view of Object.values(c.views).flat()) add(view.id, view.name);
    for (const welcome of c.viewsWelcome) add('viewsWelcome', welcome.contents);
    return out;
  }

  test('every text a person reads is a %key% of package.nls.json', () => {
    const entries = userFacing();
    assert.ok(entries.length > 40);
    for (const [where, value] of entries) {
      const key = /^%(.+)%$/.exec(value)?.[1];
      assert.ok(key, `${where} has literal text: ${value}`);
      assert.ok(key in englishNls, `${where} names ${key}, which package.nls.json lacks`);
    }
    assert.equal(manifest.l10n, './l10n');
  });
});

// ---- The static scan ----

/** Calls whose string arguments a person reads. */
const USER_VISIBLE_CALLS = /^((vscode\.)?window\.(show(Information|Warning|Error)Message|setStatusBarMessage|withProgress|createWebviewPanel)|inlineText)$/;
/** Constructors whose string arguments a person reads. */
const USER_VISIBLE_NEW = /^(vscode\.)?(TreeItem|CodeAction|MarkdownString|Error|ZulipError|ZuliprcError|RangeError)$/;
/** Object properties and assignments a person reads (quick pick items, input boxes, tree items, results). */
const USER_VISIBLE_PROPERTIES = new Set(['label', 'description', 'detail', 'tooltip', 'title', 'placeHolder', 'placeholder', 'prompt', 'openLabel', 'message', 'reason', 'problem', 'text', 'name']);

/** Literal text that is no language: empty, icons only, punctuation, numbers, code and ids. */
function isLanguage(text: string): boolean {
  const words = text.replace(/\$\([\w~-]+\)/g, ' ').replace(/\{\d+\}/g, ' ').match(/[A-Za-z]{2,}/g);
  return !!words && words.some((w) => !/^(zulip|http|https|JWT|API|ID)$/i.test(w));
}

interface Finding {
  file: string;
  line: number;
  text: string;
  where: string;
}

/** String literals in user-visible places that are not inside an l10n.t(…) call. */
function untranslatedLiterals(file: string, text = readFileSync(file, 'utf8')): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const insideTranslation = (node: ts.Node): boolean => {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isCallExpression(n) && /(^|\.)l10n\.t$/.test(n.expression.getText(source))) return true;
    }
    return false;
  };
  const report = (node: ts.Node, where: string) => {
    const literals: ts.Node[] = [];
    const collect = (n: ts.Node) => {
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) literals.push(n);
      // An l10n.t call inside speaks for itself; other helpers (inertMessage, escapeThemeIcons) pass their text on.
      if (!(ts.isCallExpression(n) && /(^|\.)l10n\.t$/.test(n.expression.getText(source)))) ts.forEachChild(n, collect);
    };
    collect(node);
    for (const literal of literals) {
      const text = (literal as ts.LiteralLikeNode).text;
      if (!isLanguage(text) || insideTranslation(literal)) continue;
      // Conditions compare, they are not shown: `state.kind === 'ready'`.
      if (ts.isBinaryExpression(literal.parent) && /^(===|!==|==|!=)$/.test(literal.parent.operatorToken.getText(source))) continue;
      const { line } = source.getLineAndCharacterOfPosition(literal.getStart(source));
      findings.push({ file: path.relative(ROOT, file), line: line + 1, text, where });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && USER_VISIBLE_CALLS.test(node.expression.getText(source))) {
      for (const arg of node.arguments) report(arg, node.expression.getText(source));
    } else if (ts.isNewExpression(node) && USER_VISIBLE_NEW.test(node.expression.getText(source))) {
      // An Error's message is shown when it reaches a notification; ZulipError's options are data.
      const args = node.arguments ?? [];
      for (const arg of /Error$/.test(node.expression.getText(source)) ? args.slice(0, 1) : args) report(arg, `new ${node.expression.getText(source)}`);
    } else if (ts.isPropertyAssignment(node) && USER_VISIBLE_PROPERTIES.has(node.name.getText(source))) {
      report(node.initializer, `${node.name.getText(source)}:`);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && USER_VISIBLE_PROPERTIES.has(node.left.name.text)) {
      report(node.right, `.${node.left.name.text} =`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** Known and checked: literal text in those places that is not for people to read. */
const NOT_FOR_PEOPLE: Array<{ file: string; text: RegExp }> = [
  // Error classes' names.
  { file: 'src/zulip/errors.ts', text: /^ZulipError$/ },
  { file: 'src/zulip/zuliprc.ts', text: /^ZuliprcError$/ },
  // The output channel's name and the authentication provider's label: the product's name.
  { file: 'src/platform/log.ts', text: /^Zulip$/ },
  // Errors of programming mistakes and of the test-only JSON slicer, never shown to people.
  { file: 'src/model/accountStore.ts', text: /^No signed-in account / },
  // An avatar that cannot be fetched is logged and replaced by an icon: the log is in English.
  { file: 'src/model/avatarCache.ts', text: /^(not an image this extension shows|empty$)/ },
  { file: 'src/zulip/client.ts', text: /^(Not a user id: |This request needs an email and an API key\.| is not an image \(|no content type| answered HTTP | is larger than | bytes$)/ },
  // Zulip's emoji names, sent to the server and shown as Zulip shows them (:calendar:).
  { file: 'src/model/statusChoices.ts', text: /^[a-z_]+$/ },
  // Markdown image size syntax.
  { file: 'src/views/mentionCompletionProvider.ts', text: /^\|width=/ },
  { file: 'src/zulip/jsonArraySlicer.ts', text: /./ },
  { file: 'src/zulip/slices.ts', text: /^The load was cancelled\.$/ },
  { file: 'src/views/profileHtml.ts', text: /^A nonce must be at least/ },
];

test('static scan: no user-visible call, item or result in src is given an untranslated literal', () => {
  const findings = SOURCES.flatMap((file) => untranslatedLiterals(file)).filter((f) => !NOT_FOR_PEOPLE.some((a) => f.file === a.file && a.text.test(f.text)));
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line} ${f.where} ${JSON.stringify(f.text)}`),
    [],
    'wrap these in vscode.l10n.t(…) (code importing vscode) or l10n.t(…) from @vscode/l10n, then export the bundle',
  );
});

test('the static scan finds what it is for', () => {
  const probe = [
    "void vscode.window.showInformationMessage('Signed in, but not translated');",
    "void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to {0}', site));",
    "const item = { label: `$(key) Not translated either`, description: l10n.t('fine') };",
    "if (state.kind === 'ready one') box.title = 'Untranslated title';",
    "box.prompt = `$(key) ${vscode.l10n.t('Translated prompt')}`;",
    "throw new ZulipError(l10n.t('Translated {0}', x), { kind: 'api is data' });",
    "parts.push(inlineText('A card line left in English'));",
    "void vscode.window.showInformationMessage(inertMessage(`User ${id} was deleted`));",
  ].join('\n');
  const findings = untranslatedLiterals(path.join(ROOT, 'probe.ts'), probe).map((f) => f.text);
  assert.deepEqual(findings, ['Signed in, but not translated', '$(key) Not translated either', 'Untranslated title', 'A card line left in English', 'User ', ' was deleted']);
});

// ---- Pseudo-locale: every surface through the real modules ----

describe('with a pseudo-locale loaded, no English is left on any surface', () => {
  before(() => {
    const english = Object.fromEntries(Object.entries(englishBundle).map(([key, value]) => [key, messageOf(value)]));
    l10n.config({ contents: getL10nPseudoLocalized(english) });
  });
  after(() => l10n.config({ contents: {} }));

  const fields: CustomProfileField[] = [{ id: 9, type: 8, name: 'Pronouns', order: 1, hint: '', field_data: '' }];
  const owner = withUserDefaults({ user_id: 11, full_name: 'Iago', email: 'iago@x.com', role: Role.Owner });
  const hamlet = withUserDefaults({ user_id: 10, full_name: 'King Hamlet', email: 'hamlet@x.com', delivery_email: 'hamlet@x.com', timezone: 'Europe/Berlin', is_imported_stub: true, date_joined: '' });
  const gone = withUserDefaults({ user_id: 30, full_name: 'Gone Person', email: 'gone@x.com', is_active: false, role: Role.Guest });
  const twinA = withUserDefaults({ user_id: 20, full_name: 'Mark Twin', email: 'twin@x.com' });
  const twinB = withUserDefaults({ user_id: 21, full_name: 'Mark Twin', email: 'twin2@x.com', role: Role.Moderator });
  const bot = withUserDefaults({ user_id: 23, full_name: 'Build Bot', email: 'bot@x.com', is_bot: true, bot_type: BotType.OutgoingWebhook, bot_owner_id: 11 });
  const zoned = withUserDefaults({ user_id: 24, full_name: 'Nowhere Zone', email: 'zone@x.com', timezone: 'Not/AZone', role: Role.Administrator });
  const users = [owner, hamlet, gone, twinA, twinB, bot, zoned];
  const group: UserGroup = { id: 1, name: 'leads', description: '', members: [11, 10], direct_subgroup_ids: [], can_mention_group: { direct_members: [11], direct_subgroups: [] } };
  const deactivatedGroup: UserGroup = { ...group, id: 2, name: 'oldteam', deactivated: true };
  const system: UserGroup = { ...group, id: 3, name: 'role:everyone', is_system_group: true };
  const groups = [group, deactivatedGroup, system];
  const orgName = 'Elsinore';
  const org: CardOrganization & MentionOrganization = {
    id: 'o',
    name: orgName,
    members: new MemberIndex(users),
    avatarOf: () => undefined,
    pronounsOf: () => 'he/him',
    presenceOf: (u) => (u.user_id === 10 ? 'active' : 'offline'),
    lastActiveOf: () => undefined,
    selfId: 10,
  };
  const context: DiagnosticsContext = { orgs: [org], groupsOf: () => groups, selfUserIdOf: () => 10 };
  const site = 'https://chat.example.com';

  /** The member data, mention syntax and markup the test put in: everything else must be pseudo. */
  const DATA = [
    ...users.flatMap((u) => [u.full_name, u.email]),
    orgName, site, 'chat.example.com', 'leads', 'Leads', 'oldteam', 'Nobody', 'Design', 'Hamlet', 'he/him', 'Europe/Berlin', 'Not/AZone', 'all', 'everyone', 'topic', 'zuliprc', 'example', 'role', 'nope',
    'HTTP', 'JWT', 'Zulip',
  ];
  function leftoverEnglish(text: string): string[] {
    let rest = text
      .replace(/\\(.)/g, '$1')
      .replace(/<[^>]*>/g, ' ')
      .replace(/\]\(command:[^)]*\)/g, ']')
      .replace(/&[a-z]+;|&#\d+;/g, ' ');
    for (const d of [...DATA].sort((a, b) => b.length - a.length)) rest = rest.split(d).join(' ');
    // Intl's dates and times are in the locale asked for (en-US here): "Tue", "PM".
    rest = rest.replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|AM|PM|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/g, ' ');
    // Intl's relative phrases ("5 hours ago"): the language has no Intl data of its own.
    rest = rest.replace(/\b\d+ (minute|hour|day)s? ago\b/g, ' ');
    return rest.match(/[A-Za-z]{2,}/g) ?? [];
  }
  function assertPseudo(surface: string, text: string | undefined): void {
    assert.ok(text !== undefined && text.trim() !== '', `${surface} rendered nothing`);
    assert.deepEqual(leftoverEnglish(text), [], `${surface}: ${text}`);
  }

  test('Members rows: descriptions, tooltips, accessibility labels, group and organization rows, state rows', () => {
    const row = (over: Partial<RowContext> = {}): RowContext => ({ site, member: (id) => org.members.get(id), profileFields: fields, mode: 'pronouns', now: new Date('2024-03-05T12:34:00Z'), locale: 'en-US', ...over });
    assertPseudo('bot description', memberDescription(bot, row()));
    for (const u of users) {
      assertPseudo(`tooltip of ${u.full_name}`, memberTooltip(u, row({ presence: 'idle', status: { text: '', emoji: { name: 'house', code: '1f3e0', type: 'unicode_emoji' }, away: false } })));
      assertPseudo(`accessibility label of ${u.full_name}`, memberAccessibilityLabel(u, row({ presence: 'active', status: { text: '', emoji: { name: 'house', code: '1f3e0', type: 'unicode_emoji' }, away: false } })).replace('house', ''));
    }
    for (const kind of ['owners', 'administrators', 'moderators', 'members', 'guests', 'bots', 'deactivated'] as const) {
      assertPseudo(`group row ${kind}`, groupLabel(kind, 3));
      assertPseudo(`group row label ${kind}`, groupAccessibilityLabel(kind, 1));
      assertPseudo(`bucket ${kind}`, bucketAccessibilityLabel(kind, 'A', 4));
    }
    const states = [
      { kind: 'loading' },
      { kind: 'stale', reason: 'x', since: 0, fromDisk: true },
      { kind: 'offline', reason: 'x' },
      { kind: 'needsSignIn', reason: 'x' },
    ] as const;
    for (const state of states) {
      assertPseudo(`organization ${state.kind}`, orgDescription(state) + orgTooltip(orgName, site, 'hamlet@x.com', state) + orgAccessibilityLabel(orgName, state));
      for (const status of ['loading', 'offline', 'retry', 'signIn', 'noMatches'] as const) assertPseudo(`state row ${status}`, statusLabel(status, site, state, 'Hamlet').replace(/\bx\b/g, ''));
    }
  });

  test('Groups view rows', () => {
    for (const g of groups) assertPseudo(`group ${g.name}`, `${groupRowLabel(g)} ${groupRowDescription(g, groups)}`);
    assertPseudo('one member', groupRowDescription({ ...group, members: [11] }, [group]));
  });

  test('hover cards of every kind of mention, with their notes', () => {
    const lines = ['@**King Hamlet**', '@_**Gone Person**', '@**Mark Twin**', '@**Nobody**', '@**|999**', '@**Iago|10**', '@**all**', '@**topic**', '@*leads*', '@*Leads*', '@_*oldteam*', '@*nope*', '@**Build Bot**', '@**Nowhere Zone**'];
    for (const line of lines) {
      const card = mentionCardAt(line, 1, [org], () => groups, { now: new Date('2025-01-01T12:00:00Z'), locale: 'en-US' });
      assertPseudo(`card of ${line}`, card?.markdown.replace(/@_?\*\*?[^*]*\*\*?/g, ' ').replace(/\|\d+/g, ' '));
    }
    assertPseudo('card without an organization', mentionCardAt('@**King Hamlet**', 1, [], () => groups)?.markdown);
  });

  test('diagnostics, quick fixes and preview chips', () => {
    const text = '@**Nobody** @**|999** @**Iago|10** @**Mark Twin** @**Gone Person** @*leads* @*Leads* @*nope* @*oldteam* @**all** > @**King Hamlet**';
    const found = [...parseDocument(text, 'markdown'), ...parseDocument('> @**King Hamlet**', 'markdown')];
    let diagnostics = 0;
    for (const m of found) {
      const d = diagnoseMention(m, context);
      const chip = chipFor(m.mention, m.quoted, context, () => site);
      if (chip?.title) assertPseudo(`chip of ${m.mention.text}`, chip.title);
      if (!d) continue;
      diagnostics++;
      assertPseudo(`diagnostic ${d.code}`, d.message.replace(/@_?\*\*?[^*]*\*\*?(\|\d+)?/g, ' '));
      for (const fix of fixesFor(d, [org])) assertPseudo(`fix for ${d.code}`, fix.title.replace(/\|\d+/g, ' '));
    }
    assert.ok(diagnostics >= 7, `${diagnostics} diagnostics`);
  });

  test('the profile page', () => {
    for (const u of users) {
      const html = buildProfileBody({ accountId: `${site}|hamlet@x.com`, site, user: u, fields, member: (id) => org.members.get(id), presence: 'active', lastActive: lastActiveText({ state: 'offline', lastActive: 0, now: 3600 * 5 }), now: new Date('2025-01-01T00:00:00Z'), locale: 'en-US' });
      // Attribute values a person reads (aria-label) count; class names and data do not.
      const readable = html.replace(/\s(class|data-[\w-]+|datetime|href|src|title)="[^"]*"/g, '').replace(/aria-label="([^"]*)"/g, ' $1 ');
      assertPseudo(`profile of ${u.full_name}`, readable);
    }
    assertPseudo('message page', buildMessageBody('a', 1, 'x', true).replace(/\bx\b/g, ''));
  });

  test('presence and last active, status presets and limits, sign-in errors', () => {
    for (const state of ['active', 'idle', 'offline'] as const) assertPseudo(state, `${presenceLabel(state)} ${presenceLabel(state, 'sentence')}`);
    const now = 1_700_000_000;
    for (const ago of [undefined, 60, 3600, 7200, 30 * 3600, 5 * 86400, 200 * 86400]) {
      assertPseudo(`last active ${ago}`, lastActiveText({ state: 'offline', lastActive: ago === undefined ? undefined : now - ago, now, timeZone: 'UTC', locale: 'qps-ploc' }));
    }
    for (const preset of statusPresets()) assertPseudo('status preset', preset.text);
    assertPseudo('status too long', statusTextCheck('x'.repeat(61)).problem?.replace(/\d+\/\d+/, ''));
    for (const [status, code, msg] of [[404, undefined, undefined], [400, 'USER_DEACTIVATED', undefined], [400, undefined, 'JWT authentication is not enabled'], [401, undefined, undefined]] as const) {
      assertPseudo(`JWT error ${status}`, jwtErrorMessage(site, status, code, msg).replace(msg ?? '', ''));
    }
    assert.throws(() => normalizeSite(''), (error: Error) => (assertPseudo('empty site', error.message.replace(/https:\/\/chat\.example\.com/, '')), true));
    assert.throws(() => parseZuliprc('[other]\n'), (error: Error) => (assertPseudo('zuliprc', error.message.replace(/\[api\]|zuliprc/g, ' ')), true));
  });
});
