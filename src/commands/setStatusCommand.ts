// "Zulip: Set Status…": Zulip's presets, free text with its 60-character limit counted as one
// types, an emoji from a built-in list or the organization's custom emoji, and "Clear Status".
// POST /users/me/status; a failure says why and changes nothing (the shown status changes only
// by the server's user_status event).
import * as vscode from 'vscode';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import { COMMON_EMOJI, statusPresets, statusSupport, statusTextCheck, ZULIP_EXTRA_EMOJI_NAME } from '../model/statusChoices';
import { unicodeEmojiText } from '../model/userStatus';
import { escapeThemeIcons } from '../text/iconText';
import { inertMessage } from '../text/notificationText';
import { describeError } from '../zulip/errors';
import { pickOrganization } from './pickOrganization';

/** What the command sends: text and emoji name ("" clears either). */
export interface StatusChange {
  text: string;
  emojiName: string;
}

/** Arguments that skip the prompts (menus, tests): `{accountId?, text?, emojiName?}` or `{accountId?, clear: true}`. */
function changeFromArgument(arg: unknown): { accountId?: string; change?: StatusChange } {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  const accountId = typeof a.accountId === 'string' ? a.accountId : undefined;
  if (a.clear === true) return { accountId, change: { text: '', emojiName: '' } };
  if (typeof a.text === 'string' || typeof a.emojiName === 'string') {
    return { accountId, change: { text: typeof a.text === 'string' ? a.text : '', emojiName: typeof a.emojiName === 'string' ? a.emojiName : '' } };
  }
  return { accountId };
}

export class SetStatusCommand {
  constructor(private readonly organizations: Organizations) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('zulip.setStatus', (arg?: unknown) => this.run(arg)),
      vscode.commands.registerCommand('zulip.clearStatus', (arg?: unknown) => {
        const { accountId } = changeFromArgument(arg);
        return this.run({ accountId, clear: true });
      }),
    ];
  }

  /** Resolves to whether the server took the change. */
  async run(arg?: unknown): Promise<boolean> {
    const { accountId, change: given } = changeFromArgument(arg);
    const org = await pickOrganization(
      this.organizations,
      { signInFirst: vscode.l10n.t('Sign in to a Zulip organization to set your status.'), title: vscode.l10n.t('Zulip: Set Status') },
      accountId,
    );
    if (!org) return false;
    const support = statusSupport(org.name, org.featureLevel, org.statuses.supported);
    if (!support.ok) {
      // An older or limited server: say so instead of sending a request it does not know.
      void vscode.window.showInformationMessage(inertMessage(`Zulip: ${support.reason}`));
      return false;
    }
    const change = given ?? (await this.ask(org, support.emoji));
    if (!change) return false;
    const check = statusTextCheck(change.text);
    if (check.problem) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Zulip: {0}', check.problem));
      return false;
    }
    try {
      await org.client.setOwnStatus(support.emoji ? { status_text: change.text.trim(), emoji_name: change.emojiName } : { status_text: change.text.trim() });
      return true;
    } catch (error) {
      const message =
        change.text || change.emojiName
          ? vscode.l10n.t('Zulip: could not set your status in {0}: {1}', org.name, describeError(error))
          : vscode.l10n.t('Zulip: could not clear your status in {0}: {1}', org.name, describeError(error));
      void vscode.window.showErrorMessage(inertMessage(message));
      return false;
    }
  }

  private async ask(org: Organization, withEmoji: boolean): Promise<StatusChange | undefined> {
    type Item = vscode.QuickPickItem & { change?: StatusChange; custom?: boolean };
    const current = org.statuses.get(org.account.userId);
    const items: Item[] = [
      ...statusPresets().map<Item>((preset) => ({
        label: `${unicodeEmojiText(preset.emoji.code) ?? ''} ${preset.text}`.trim(),
        change: { text: preset.text, emojiName: preset.emoji.name },
      })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: `$(edit) ${vscode.l10n.t('Custom status…')}`, custom: true },
      {
        label: `$(close) ${vscode.l10n.t('Clear Status')}`,
        description: current ? escapeThemeIcons(current.text) : vscode.l10n.t('no status set'),
        change: { text: '', emojiName: '' },
      },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Zulip: Set Status in {0}', escapeThemeIcons(org.name)),
      placeHolder: vscode.l10n.t('Pick a status, or write your own'),
    });
    if (!picked) return undefined;
    if (picked.change) return picked.change;
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Zulip: Status text'),
      value: current?.text ?? '',
      prompt: vscode.l10n.t('What are you up to?'),
      validateInput: (value) => {
        const check = statusTextCheck(value);
        return check.problem ? { message: check.problem, severity: vscode.InputBoxValidationSeverity.Error } : { message: check.count, severity: vscode.InputBoxValidationSeverity.Info };
      },
    });
    if (text === undefined) return undefined;
    if (!withEmoji) return { text, emojiName: '' };
    const emojiName = await this.pickEmoji(org);
    if (emojiName === undefined) return undefined;
    return { text, emojiName };
  }

  /** An emoji name, "" for none, undefined when dismissed. Custom emoji come from GET /realm/emoji. */
  private async pickEmoji(org: Organization): Promise<string | undefined> {
    type Item = vscode.QuickPickItem & { emojiName: string };
    const custom = await org.client.getRealmEmoji().catch(() => ({}));
    const items: Item[] = [
      { label: vscode.l10n.t('No emoji'), emojiName: '' },
      ...COMMON_EMOJI.map<Item>((emoji) => ({ label: `${unicodeEmojiText(emoji.code) ?? ''} ${emoji.name}`.trim(), emojiName: emoji.name })),
      { label: `:${ZULIP_EXTRA_EMOJI_NAME}:`, description: 'Zulip', emojiName: ZULIP_EXTRA_EMOJI_NAME },
    ];
    const active = Object.values(custom).filter((emoji) => !emoji.deactivated && typeof emoji.name === 'string');
    if (active.length) {
      items.push({ label: vscode.l10n.t('Custom emoji'), kind: vscode.QuickPickItemKind.Separator, emojiName: '' });
      for (const emoji of active) items.push({ label: escapeThemeIcons(`:${emoji.name}:`), description: vscode.l10n.t('custom'), emojiName: emoji.name });
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Zulip: Status emoji'),
      placeHolder: vscode.l10n.t('Pick an emoji (type to search by name)'),
      matchOnDescription: true,
    });
    return picked?.emojiName;
  }
}
