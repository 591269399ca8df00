// What Set Status offers: Zulip's preset statuses (web/src/user_status_ui.ts), a list of common
// emoji by their Zulip names, and the 60-character limit counted as Zulip counts it (code
// points). Plain Node.
import * as l10n from '@vscode/l10n';
import { STATUS_TEXT_MAX_LENGTH } from './userStatus';

export interface EmojiChoice {
  /** Zulip's emoji name: what POST /users/me/status is sent (the server finds the code). */
  name: string;
  /** Hex code points joined by "-", as Zulip writes them. */
  code: string;
}

export interface StatusPreset {
  text: string;
  emoji: EmojiChoice;
}

/** Zulip's presets in the display language: like Zulip's web app, the status is sent in the words shown. */
export function statusPresets(): StatusPreset[] {
  return [
    { text: l10n.t('Busy'), emoji: { name: 'working_on_it', code: '1f6e0' } },
    { text: l10n.t('In a meeting'), emoji: { name: 'calendar', code: '1f4c6' } },
    { text: l10n.t('Commuting'), emoji: { name: 'bus', code: '1f68c' } },
    { text: l10n.t('Out sick'), emoji: { name: 'hurt', code: '1f915' } },
    { text: l10n.t('Vacationing'), emoji: { name: 'palm_tree', code: '1f334' } },
    { text: l10n.t('Working remotely'), emoji: { name: 'house', code: '1f3e0' } },
    { text: l10n.t('At the office'), emoji: { name: 'office', code: '1f3e2' } },
  ];
}

/** Common emoji for a status, by Zulip's names. */
export const COMMON_EMOJI: readonly EmojiChoice[] = [
  { name: 'calendar', code: '1f4c6' },
  { name: 'house', code: '1f3e0' },
  { name: 'office', code: '1f3e2' },
  { name: 'computer', code: '1f4bb' },
  { name: 'headphones', code: '1f3a7' },
  { name: 'speech_bubble', code: '1f4ac' },
  { name: 'thinking', code: '1f914' },
  { name: 'eyes', code: '1f440' },
  { name: 'coffee', code: '2615' },
  { name: 'pizza', code: '1f355' },
  { name: 'car', code: '1f697' },
  { name: 'bus', code: '1f68c' },
  { name: 'bike', code: '1f6b2' },
  { name: 'airplane', code: '2708' },
  { name: 'palm_tree', code: '1f334' },
  { name: 'beach_umbrella', code: '1f3d6' },
  { name: 'sick', code: '1f912' },
  { name: 'hurt', code: '1f915' },
  { name: 'sleeping', code: '1f634' },
  { name: 'rocket', code: '1f680' },
  { name: 'tada', code: '1f389' },
  { name: 'fire', code: '1f525' },
  { name: 'rainbow', code: '1f308' },
  { name: 'books', code: '1f4da' },
  { name: 'smile', code: '1f604' },
  { name: 'heart', code: '2764' },
  { name: 'thumbs_up', code: '1f44d' },
  { name: 'star', code: '2b50' },
  { name: 'hourglass', code: '231b' },
  { name: 'mute', code: '1f507' },
];

/** The count shown as one types ("12/60"), and why the text cannot be sent when it cannot. */
export function statusTextCheck(text: string): { count: string; problem?: string } {
  const length = [...text.trim()].length;
  const count = `${length}/${STATUS_TEXT_MAX_LENGTH}`;
  if (length > STATUS_TEXT_MAX_LENGTH) return { count, problem: l10n.t('{0}: a status can be at most {1} characters.', count, STATUS_TEXT_MAX_LENGTH) };
  return { count };
}

/** Status emoji came with Zulip 5.0 (feature level 86); before, a status is text only. */
export const FEATURE_STATUS_EMOJI = 86;

/** Zulip's one extra emoji, offered beside the Unicode ones (reaction type zulip_extra_emoji). */
export const ZULIP_EXTRA_EMOJI_NAME = 'zulip';

/**
 * What Set Status may offer the organization: nothing (with the reason) when the registration
 * brought no statuses, text only before status emoji existed.
 */
export function statusSupport(orgName: string, featureLevel: number, registered: boolean | undefined): { ok: boolean; emoji: boolean; reason?: string } {
  if (registered === false) return { ok: false, emoji: false, reason: l10n.t('{0} (Zulip feature level {1}) does not offer user statuses.', orgName, featureLevel) };
  return { ok: true, emoji: featureLevel >= FEATURE_STATUS_EMOJI };
}
