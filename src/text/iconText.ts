// Member-provided text in places VS Code renders `$(name)` as a theme icon (quick pick labels,
// descriptions and details, the status bar): escaped so it shows as the characters typed. A
// backslash before `$(` makes VS Code show the rest as text; one is added before every `$(name)`,
// so a name that already holds `\$(x)` keeps its backslash too. No vscode import.

const ICON = /\$\((?=[A-Za-z0-9-]+(?:~[A-Za-z0-9-]*)?\))/g;

export function escapeThemeIcons(text: string): string {
  return text.replace(ICON, '\\$(');
}
