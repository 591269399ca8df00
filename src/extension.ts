// Composition root: builds the parts and wires them together. Behaviour lives in the parts.
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { offerEnvironmentImport } from './commands/environmentImport';
import { FindMemberCommand } from './commands/findMemberCommand';
import { SetStatusCommand } from './commands/setStatusCommand';
import { GROUPS_VIEW_ID, GroupsProvider } from './views/groupsView';
import { ShowMyProfileCommand } from './commands/showMyProfileCommand';
import { MemberCommands } from './commands/memberCommands';
import { SignInCommands } from './commands/signInCommands';
import { onListenerError } from './common/emitter';
import { AccountStore } from './model/accountStore';
import { Organizations } from './model/organizations';
import { registerPresenceSharing } from './platform/presenceSharing';
import { ClientFactory } from './platform/clientFactory';
import { Log } from './platform/log';
import { AccountStatusBar } from './views/accountStatusBar';
import { AvatarCache } from './model/avatarCache';
import { MembersView } from './views/membersView';
import { ProfilePanel } from './views/profilePanel';
import { SignInNotifications } from './commands/signInNotifications';
import { ZulipAuthenticationProvider } from './platform/authenticationProvider';
import { LanguageScopedRegistration } from './platform/languageScopedRegistration';
import { MentionCompletionProvider } from './views/mentionCompletionProvider';
import { MentionHoverProvider } from './views/mentionHoverProvider';
import { chipFor, zulipMentionsPlugin } from './mentions/markdownPreview';
import { MentionDiagnosticsProvider } from './mentions/mentionDiagnosticsProvider';
import { MentionEnvironment } from './mentions/mentionEnvironment';
import { profileUrl } from './model/memberInfo';
import type MarkdownIt from 'markdown-it';

/** What the extension hands to its integration tests (only in test mode). */
export interface ZulipTestApi {
  accounts: AccountStore;
  organizations: Organizations;
  members: MembersView;
  groups: GroupsProvider;
  profile: ProfilePanel;
  findMember: FindMemberCommand;
  /** How long activate() took in this extension host, for the benchmarks. */
  activationMs: number;
  /** The stores another window of this VS Code shares, so a test can act as that window. */
  storage: { globalState: vscode.Memento; secrets: vscode.SecretStorage };
  mentionDiagnostics: MentionDiagnosticsProvider;
}

/** What VS Code's Markdown preview asks of an extension contributing markdown.markdownItPlugins. */
export interface MarkdownApi {
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
}

export function activate(context: vscode.ExtensionContext): (ZulipTestApi & MarkdownApi) | MarkdownApi {
  const activationStarted = performance.now();
  // The plain-Node layers translate with @vscode/l10n from the same bundle VS Code loaded for this
  // extension (none in English): one set of keys, l10n/bundle.l10n.*.json.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const log = new Log();
  onListenerError((error) => log.error('A Zulip event listener failed', error));
  const accounts = new AccountStore(context.globalState, context.secrets);
  const manifest = context.extension.packageJSON as { version?: string };
  const clients = new ClientFactory(manifest.version ?? '0.0.0', log);
  const signIn = new SignInCommands(accounts, clients.create, context.globalState, log);
  const organizations = new Organizations(accounts, clients.create, {
    cacheDir: context.globalStorageUri.fsPath,
    log: (level, message) => log[level](message),
  });

  context.subscriptions.push(
    log,
    accounts,
    ...signIn.register(),
    vscode.commands.registerCommand('zulip.showLog', () => log.show()),
    new AccountStatusBar(accounts),
    new ZulipAuthenticationProvider(accounts, () => signIn.chooseAndSignIn()),
    { dispose: () => void organizations.dispose() },
  );

  // The Members view, the profile panel, and the commands about a member.
  const avatars = new AvatarCache({
    dir: path.join(context.globalStorageUri.fsPath, 'avatars'),
    clientFor: (origin) => clients.create({ site: origin }),
    log: (message) => log.info(message),
  });
  const profile = new ProfilePanel(context.extensionUri, organizations, (message) => log.warn(message));
  const membersView = new MembersView(organizations, avatars, context.globalState, (target) => signIn.signInAgain(target));
  const updateSignedIn = () => void vscode.commands.executeCommand('setContext', 'zulip.signedIn', accounts.list().length > 0);
  updateSignedIn();
  context.subscriptions.push(
    { dispose: () => avatars.dispose() },
    profile,
    membersView,
    ...membersView.register(),
    ...new MemberCommands(organizations, profile, () => membersView.selectedMember()).register(),
    new SignInNotifications(
      accounts,
      (account) => signIn.signInAgain(account.id),
      (account) => {
        const state = organizations.get(account.id)?.state;
        return state?.kind === 'needsSignIn' ? state.serverMsg : undefined;
      },
    ),
    { dispose: accounts.onDidChange(updateSignedIn).dispose },
  );

  // Finding members, and @-mention hovers and completion.
  const mentionHovers = new MentionHoverProvider(organizations, avatars);
  const mentionCompletion = new MentionCompletionProvider(organizations, avatars);
  const findMember = new FindMemberCommand(organizations, avatars);
  context.subscriptions.push(
    ...findMember.register(),
    ...new ShowMyProfileCommand(organizations).register(),
    new LanguageScopedRegistration('zulip.mentions.languages', ['*'], (selector) => vscode.languages.registerHoverProvider(selector, mentionHovers)),
    new LanguageScopedRegistration('zulip.completion.languages', ['markdown', 'plaintext'], (selector) =>
      vscode.languages.registerCompletionItemProvider(selector, mentionCompletion, '*', '@'),
    ),
  );

  // The Groups view beside Members, following its "show deactivated" toggle.
  const groups = new GroupsProvider(organizations);
  groups.setShowDeactivated(membersView.showingDeactivated);
  context.subscriptions.push(
    groups,
    vscode.window.createTreeView(GROUPS_VIEW_ID, { treeDataProvider: groups, showCollapseAll: true }),
    membersView.onDidChangeShowDeactivated((show) => groups.setShowDeactivated(show)),
  );

  // Set Status, and the user's own presence: reported only when they chose to share it.
  context.subscriptions.push(...new SetStatusCommand(organizations).register(), registerPresenceSharing(organizations, (message) => log.warn(message)));
  // Mention diagnostics, quick fixes, and mention chips in the Markdown preview.
  const mentionEnvironment = new MentionEnvironment(organizations);
  const mentionDiagnostics = new MentionDiagnosticsProvider(mentionEnvironment);
  context.subscriptions.push(mentionEnvironment, mentionDiagnostics);
  const markdown: MarkdownApi = {
    extendMarkdownIt: (md) =>
      zulipMentionsPlugin(
        md,
        () => (mention, quoted) => chipFor(mention, quoted, mentionEnvironment.context(), (org, id) => profileUrl(org.account.site, id)),
        () => mentionEnvironment.documentOptions(),
      ),
  };

  void organizations.startAll();

  void offerEnvironmentImport(accounts, clients.create, context.globalState, log);

  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
        ...markdown,
        accounts,
        organizations,
        findMember,
        members: membersView,
        groups,
        profile,
        mentionDiagnostics,
        activationMs: performance.now() - activationStarted,
        storage: { globalState: context.globalState, secrets: context.secrets },
      }
    : markdown;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
