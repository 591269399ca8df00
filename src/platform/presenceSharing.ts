// The user's own presence, reported to every signed-in organization only when they chose to share
// it (zulip.presence.shareMine) and only while this window has the focus. PresenceReporter keeps
// the rhythm; this follows the setting and the window.
import * as vscode from 'vscode';
import type { Organizations } from '../model/organizations';
import { PresenceReporter } from '../model/presenceReporter';

const SHARE_MINE = 'zulip.presence.shareMine';

export function registerPresenceSharing(organizations: Organizations, log: (message: string) => void): vscode.Disposable {
  const reporter = new PresenceReporter(() => organizations.reportActive(), { log });
  const shareMine = () => vscode.workspace.getConfiguration().get<boolean>(SHARE_MINE, false);
  reporter.set({ enabled: shareMine(), focused: vscode.window.state.focused });
  return vscode.Disposable.from(
    reporter,
    vscode.window.onDidChangeWindowState((state) => reporter.set({ focused: state.focused })),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SHARE_MINE)) reporter.set({ enabled: shareMine() });
    }),
  );
}
