// Completion of @-mentions: after `@**` (or the silent `@_**`), members whose name or email
// matches what was typed in Zulip's typeahead order (rankMembers), then wildcards and user groups.
// Accepting writes what the web app writes (mentionSyntaxFor): `@**Full Name**`, with `|id` when
// the name is shared or a wildcard's, or always with `zulip.completion.alwaysIncludeId`. The list is bounded and marked incomplete, so each keystroke asks again
// with a narrower query instead of VS Code filtering a list of every member.
import * as vscode from 'vscode';
import { statusSummary } from './statusText';
import { botTypeLabel, realEmail, roleLabel } from '../model/memberInfo';
import { CHANNEL_WILDCARDS, TOPIC_WILDCARDS, formatGroupMention, formatUserMention, mentionAt, mentionPrefixAt } from '../model/mentionParser';
import { mentionSyntaxFor, rankMembers } from '../model/mentionRanking';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import type { User } from '../zulip/types';
import { avatarUri, type AvatarFiles } from './avatarUri';
import { escapeThemeIcons } from '../text/iconText';
import { inlineText } from './mentionCard';

/** Members offered per keystroke. */
const MAX_MEMBERS = 50;

class MemberCompletion extends vscode.CompletionItem {
  constructor(
    label: vscode.CompletionItemLabel,
    readonly org: Organization,
    readonly user: User,
  ) {
    super(label, vscode.CompletionItemKind.User);
  }
}

export class MentionCompletionProvider implements vscode.CompletionItemProvider<vscode.CompletionItem> {
  constructor(
    private readonly organizations: Organizations,
    private readonly avatars?: AvatarFiles,
  ) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.CompletionList | undefined> {
    const line = document.lineAt(position.line).text;
    const prefix = mentionPrefixAt(line, position.character);
    if (!prefix) return undefined;
    const orgs = this.organizations.list();
    if (orgs.length === 0) return undefined;

    const range = new vscode.Range(position.line, prefix.start, position.line, this.replaceEnd(line, prefix.start, position.character));
    // VS Code filters on the text from the range's start to the cursor: `@**` and what was typed.
    const typedPrefix = prefix.silent ? '@_**' : '@**';
    const items: vscode.CompletionItem[] = [];
    const alwaysIncludeId = vscode.workspace.getConfiguration('zulip').get<boolean>('completion.alwaysIncludeId', false);

    // The default organization first; the others only when it has no match.
    let found: Array<{ org: Organization; user: User }> = [];
    for (const org of orgs) {
      found = rankMembers(prefix.query, org.members, MAX_MEMBERS).map((user) => ({ org, user }));
      if (found.length) break;
    }
    found.forEach(({ org, user }, index) => {
      const email = realEmail(user);
      // The suggest list draws $(name) as an icon: names and addresses are escaped to show as typed.
      const status = statusSummary(org.statuses.get(user.user_id));
      const facts = [status ? escapeThemeIcons(status) : undefined, user.is_bot ? (botTypeLabel(user) ?? vscode.l10n.t('Bot')) : roleLabel(user), vscode.l10n.t('user id {0}', user.user_id), orgs.length > 1 ? org.name : undefined];
      const item = new MemberCompletion({ label: escapeThemeIcons(user.full_name), description: facts.filter(Boolean).join(' · ') }, org, user);
      // The email tells apart two people of one name.
      item.detail = email && escapeThemeIcons(email);
      item.insertText = mentionSyntaxFor(user, org.members, { silent: prefix.silent, alwaysIncludeId });
      item.filterText = `${typedPrefix}${user.full_name} ${email ?? ''}`;
      item.sortText = `0-${String(index).padStart(4, '0')}`;
      item.range = range;
      items.push(item);
    });

    for (const [index, wildcard] of [...CHANNEL_WILDCARDS, ...TOPIC_WILDCARDS].entries()) {
      const item = new vscode.CompletionItem({ label: wildcard, description: vscode.l10n.t('wildcard') }, vscode.CompletionItemKind.Keyword);
      item.detail = (TOPIC_WILDCARDS as readonly string[]).includes(wildcard) ? vscode.l10n.t('Everyone who took part in the topic') : vscode.l10n.t('Everyone in the channel');
      item.insertText = formatUserMention(wildcard, undefined, prefix.silent);
      item.filterText = `${typedPrefix}${wildcard}`;
      item.sortText = `1-${index}`;
      item.range = range;
      items.push(item);
    }

    const org = found[0]?.org ?? orgs[0];
    const groups = await org.userGroups().catch(() => []);
    if (token.isCancellationRequested) return undefined;
    const query = prefix.query.toLowerCase();
    groups
      .filter((g) => !g.is_system_group && !g.deactivated && g.name.toLowerCase().includes(query))
      .slice(0, MAX_MEMBERS)
      .forEach((group, index) => {
        const item = new vscode.CompletionItem({ label: escapeThemeIcons(group.name), description: vscode.l10n.t('user group') }, vscode.CompletionItemKind.Reference);
        item.detail = group.description || vscode.l10n.t('User group of {0}', org.name);
        item.insertText = formatGroupMention(group.name, prefix.silent);
        item.filterText = `${typedPrefix}${group.name}`;
        item.sortText = `2-${String(index).padStart(4, '0')}`;
        item.range = range;
        items.push(item);
      });

    return new vscode.CompletionList(items, true);
  }

  /** The avatar, name, role and email, built only for the item someone looks at. */
  resolveCompletionItem(item: vscode.CompletionItem): vscode.CompletionItem {
    if (!(item instanceof MemberCompletion)) return item;
    const { org, user } = item;
    const lines = [`**${inlineText(user.full_name)}**`, inlineText(roleLabel(user))];
    const email = realEmail(user);
    if (email) lines.push(inlineText(email));
    const image = avatarUri(org.account.site, user, this.avatars, true)?.toString().replace(/[\s()|]/g, encodeURIComponent);
    item.documentation = new vscode.MarkdownString(`${image ? `![](${image}|width=48,height=48)\n\n` : ''}${lines.join('  \n')}`);
    return item;
  }

  /** Where the replaced text ends: the whole mention if the cursor is inside one, else the cursor. */
  private replaceEnd(line: string, start: number, cursor: number): number {
    const existing = mentionAt(line, start);
    if (existing && existing.start === start && existing.end > cursor) return existing.end;
    // A closing `**` typed (or auto-closed) right after the cursor belongs to the mention.
    return line.startsWith('**', cursor) ? cursor + 2 : cursor;
  }
}
