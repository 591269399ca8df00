// The links VS Code makes of a notification or dialog message (its parseLinkedText rule,
// src/vs/base/common/linkedText.ts): `[label](https://…|command:…|file:…)`.
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

export function notificationLinks(message: string): string[] {
  return [...message.matchAll(LINK)].map((m) => m[2]);
}
