// The words and emoji of a member's status on each surface: a short plain summary for rows and
// quick picks, an escaped Markdown line for tooltips and cards. Status text is user text: never
// Markdown, HTML or a command. No vscode import.
import { cutText, unicodeEmojiText, type UserStatus } from '../model/userStatus';
import { escapeMarkdown } from '../text/markdownText';

/** How much of a status a tree row or quick pick item shows. */
export const STATUS_ROW_CHARS = 30;

/** Line breaks, tabs and bidi or zero-width controls would break a one-line surface. */
function oneLine(text: string): string {
  return text.replace(/[\s\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
}

/** The emoji as characters: Unicode emoji only (a custom or Zulip emoji is an image). */
export function statusEmojiChars(status: UserStatus | undefined): string | undefined {
  return status?.emoji?.type === 'unicode_emoji' ? unicodeEmojiText(status.emoji.code) : undefined;
}

/** "🤔 To be, or not…": for one-line plain surfaces (row descriptions, quick pick details). */
export function statusSummary(status: UserStatus | undefined, max = STATUS_ROW_CHARS): string {
  if (!status) return '';
  const text = cutText(oneLine(status.text), max);
  const emoji = statusEmojiChars(status) ?? (status.emoji ? `:${oneLine(status.emoji.name)}:` : '');
  return [emoji, text].filter(Boolean).join(' ');
}

/** The status as one escaped Markdown line ("🤔 To be, or not to be"), or undefined without one. */
export function statusMarkdown(status: UserStatus | undefined): string | undefined {
  if (!status || (!status.text && !status.emoji)) return undefined;
  const emoji = statusEmojiChars(status) ?? (status.emoji ? `:${status.emoji.name}:` : '');
  const line = [emoji, oneLine(status.text)].filter(Boolean).join(' ');
  return escapeMarkdown(line);
}
