// Hover cards for @-mentions in any editor. Reads the hovered line, the member indexes already in
// memory, and the document's mention facts (quoted, code; parsed once per document version); a
// group mention waits once per organization for its user groups.
import * as vscode from 'vscode';
import { documentKindOf, documentOptionsFor, MentionDocument, type DocumentMention } from '../model/mentionDocument';
import { mentionAt, type UserMention } from '../model/mentionParser';
import { resolveMention } from '../model/mentionResolver';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import { avatarUri, type AvatarFiles } from './avatarUri';
import { statusEmojiImageUrl } from '../model/customEmoji';
import { CARD_COMMANDS, cardOrganization, mentionCardFor } from './mentionCard';

/** Whether a member of `org` is what a user mention names (by id, else by name as Zulip compares). */
function namesMember(org: Organization, mention: UserMention): boolean {
  if (mention.id !== undefined) return org.members.get(mention.id) !== undefined;
  return resolveMention(mention, [org]).kind !== 'unknown';
}

export class MentionHoverProvider implements vscode.HoverProvider {
  /** Each document's mentions as Zulip reads them, for the version last hovered. */
  private readonly documents = new WeakMap<vscode.TextDocument, { version: number; codeBlockLanguage: string; model: MentionDocument }>();

  constructor(
    private readonly organizations: Organizations,
    private readonly avatars?: AvatarFiles,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const line = document.lineAt(position.line).text;
    // The document's reading first: quoted or not, and in a plain file what a message would make of it.
    const found = this.documentMentionAt(document, position);
    // A mention spanning lines is read from the hovered line alone: the card's range is one line.
    const oneLine = found && found.line === position.line && found.endLine === position.line ? { ...found.mention, start: found.start, end: found.end } : undefined;
    const mention = oneLine ?? mentionAt(line, position.character);
    if (!mention) return undefined;
    const orgs = this.organizations.list();
    // Not signed in: only wildcards can be explained.
    if (orgs.length === 0 && mention.kind !== 'wildcard') return undefined;
    if (mention.kind === 'group') {
      await this.loadGroups(orgs);
      // A group the live lists lack: ask once more before saying it does not exist.
      const known = orgs.some((org) => org.groupStore.all().some((g) => g.name.toLowerCase() === mention.name.toLowerCase()));
      if (!known) await Promise.all(orgs.filter((org) => org.groupStore.isLoaded).map((org) => org.refreshGroups().catch(() => undefined)));
    }
    if (mention.kind === 'user' && !orgs.some((org) => namesMember(org, mention))) {
      // Nobody by that name or id: it may be one of the server's own bots (Notification Bot).
      await Promise.all(orgs.map((org) => org.crossRealmBots().catch(() => undefined)));
    }
    if (token.isCancellationRequested) return undefined;

    const cardOrgs = orgs.map((org) =>
      cardOrganization(org, (user) => avatarUri(org.account.site, user, this.avatars, true)?.toString(), {
        // A custom emoji's image comes the avatars' way: downloaded once through the client, then a file.
        emojiImageOf: (status) => {
          const url = statusEmojiImageUrl(status, org.realmEmoji, org.account.site);
          const file = url ? this.avatars?.get(url) : undefined;
          return file ? vscode.Uri.file(file).toString() : undefined;
        },
      }),
    );
    const byId = new Map(orgs.map((org) => [org.id, org]));
    const groupsOf = (o: { id: string }) => byId.get(o.id)!.knownGroups();
    // A mention the line shows but Zulip's Markdown does not read (code, escapes) is explained as such.
    const card = mentionCardFor(mention, cardOrgs, groupsOf, {
      place: found ?? 'notMention',
      crossRealmBotsOf: (o) => byId.get(o.id)?.loadedCrossRealmBots,
    });
    const markdown = new vscode.MarkdownString(card.markdown);
    // Command links run only for these two; everything from the server is escaped text.
    markdown.isTrusted = { enabledCommands: [...CARD_COMMANDS] };
    markdown.supportHtml = false;
    markdown.supportThemeIcons = false;
    return new vscode.Hover(markdown, new vscode.Range(position.line, card.start, position.line, card.end));
  }

  /** The hovered mention as the document reads it (quoted, or what a message would make of it). */
  private documentMentionAt(document: vscode.TextDocument, position: vscode.Position): DocumentMention | undefined {
    let cached = this.documents.get(document);
    // A ``` fence without a language is what the default organization's setting makes it.
    const options = documentOptionsFor(this.organizations.list()[0]);
    const codeBlockLanguage = options.defaultCodeBlockLanguage ?? '';
    if (!cached || cached.version !== document.version || cached.codeBlockLanguage !== codeBlockLanguage) {
      cached = { version: document.version, codeBlockLanguage, model: new MentionDocument(documentKindOf(document.languageId), document.getText(), options) };
      this.documents.set(document, cached);
    }
    return cached.model.mentionAt(position.line, position.character);
  }

  /** Each organization's groups, asked once (Organization.userGroups keeps the answer). */
  private async loadGroups(orgs: readonly Organization[]): Promise<void> {
    // A failure: the card says the groups could not be loaded; the next hover asks again.
    await Promise.all(orgs.filter((org) => !org.knownGroups()).map((org) => org.userGroups().catch(() => undefined)));
  }
}
