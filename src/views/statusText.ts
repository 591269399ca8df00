// The words and emoji of a member's status on each surface: a short plain summary for rows and
// quick picks, an escaped Markdown line for tooltips and cards. Status text is user text: never
// Markdown, HTML or a command. No vscode import.
import { unicodeEmojiText, type UserStatus } from '../model/userStatus';
import { escapeMarkdown, markdownDestination } from '../text/markdownText';
import { cutText, oneLine } from '../text/plainText';

/** How much of a status a tree row or quick pick item shows. */
export const STATUS_ROW_CHARS = 30;

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

/** Pixel size of a custom emoji drawn beside a status, as Zulip draws emoji in text. */
export const STATUS_EMOJI_SIZE = 16;

/**
 * The status as one escaped Markdown line ("🤔 To be, or not to be"), or undefined without one.
 * `emojiImage`: a custom or Zulip emoji's image (a cached file's URI), drawn in place of :name:.
 */
export function statusMarkdown(status: UserStatus | undefined, emojiImage?: string): string | undefined {
  if (!status || (!status.text && !status.emoji)) return undefined;
  const chars = statusEmojiChars(status);
  const text = escapeMarkdown(oneLine(status.text));
  let emoji = chars !== undefined ? escapeMarkdown(chars) : status.emoji ? escapeMarkdown(`:${oneLine(status.emoji.name)}:`) : '';
  if (chars === undefined && status.emoji && emojiImage) {
    emoji = `![${escapeMarkdown(`:${oneLine(status.emoji.name)}:`)}](${markdownDestination(emojiImage)}|width=${STATUS_EMOJI_SIZE},height=${STATUS_EMOJI_SIZE})`;
  }
  return [emoji, text].filter(Boolean).join(' ');
}
