// Notifications and dialogs turn `[label](https://…)`, `[label](command:…)` and `[label](file:…)`
// in their message into working links (VS Code's parseLinkedText). A message that carries text
// from a server or a file (a realm or member name, a server's error) must not: a zero-width space
// between "]" and "(" leaves the text as it reads and no link. No vscode import.

export function inertMessage(text: string): string {
  return text.replace(/\]\(/g, ']\u200b(');
}
