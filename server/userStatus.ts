// User status as Zulip keeps and checks it (zerver/lib/user_status.py, zerver/lib/emoji.py
// check_emoji_request, zerver/actions/user_status.py).
import { badRequest } from './reply';

export const STATUS_TEXT_MAX_LENGTH = 60;

export type ReactionType = 'unicode_emoji' | 'realm_emoji' | 'zulip_extra_emoji';
export const REACTION_TYPES: readonly ReactionType[] = ['unicode_emoji', 'realm_emoji', 'zulip_extra_emoji'];

export interface StatusRecord {
  status_text: string;
  emoji_name: string;
  emoji_code: string;
  reaction_type: ReactionType;
}

export const EMPTY_STATUS: StatusRecord = { status_text: '', emoji_name: '', emoji_code: '', reaction_type: 'unicode_emoji' };

/**
 * The emoji the generator draws statuses from, in a fixed order (generated organizations stay the
 * same when the table below grows).
 */
export const GENERATED_STATUS_EMOJI: Readonly<Record<string, string>> = {
  car: '1f697',
  house: '1f3e0',
  palm_tree: '1f334',
  calendar: '1f4c6',
  coffee: '2615',
  computer: '1f4bb',
  airplane: '2708',
  sick: '1f912',
  headphones: '1f3a7',
  speech_bubble: '1f4ac',
  thinking: '1f914',
  rocket: '1f680',
  beach_umbrella: '1f3d6',
  rainbow: '1f308',
  tada: '1f389',
  bike: '1f6b2',
  cross_mark: '274c',
  family_man_woman_girl: '1f468-200d-1f469-200d-1f467',
  flag_japan: '1f1ef-1f1f5',
};

/**
 * A part of Zulip's Unicode emoji table (name → code points, as in Zulip's emoji_codes): every
 * emoji of the web app's status presets (web/src/user_status_ui.ts) and of the extension's Set
 * Status list, and a few more people set. Zulip's own has every emoji.
 */
export const UNICODE_EMOJI: Readonly<Record<string, string>> = {
  ...GENERATED_STATUS_EMOJI,
  // The web app's presets: Busy, In a meeting, Commuting, Out sick, Vacationing, Working remotely, At the office.
  working_on_it: '1f6e0',
  bus: '1f68c',
  hurt: '1f915',
  office: '1f3e2',
  eyes: '1f440',
  pizza: '1f355',
  sleeping: '1f634',
  fire: '1f525',
  books: '1f4da',
  smile: '1f604',
  heart: '2764',
  thumbs_up: '1f44d',
  star: '2b50',
  hourglass: '231b',
  mute: '1f507',
};

const ZULIP_EXTRA_EMOJI = ['zulip'];

export interface RealmEmojiRecord {
  id: string;
  name: string;
  author_id: number | null;
  deactivated: boolean;
}

export interface StatusRequest {
  away?: boolean;
  status_text?: string;
  emoji_name?: string;
  emoji_code?: string;
  reaction_type?: string;
}

/** The values to store (undefined: leave as it is), or Zulip's 400 error. */
export interface CheckedStatus {
  status_text?: string;
  emoji_name?: string;
  emoji_code?: string;
  reaction_type?: ReactionType;
}

function emojiData(name: string, realmEmoji: readonly RealmEmojiRecord[]): { code: string; type: ReactionType } {
  const custom = realmEmoji.find((emoji) => emoji.name === name && !emoji.deactivated);
  if (custom) return { code: custom.id, type: 'realm_emoji' };
  if (UNICODE_EMOJI[name]) return { code: UNICODE_EMOJI[name], type: 'unicode_emoji' };
  if (ZULIP_EXTRA_EMOJI.includes(name)) return { code: name, type: 'zulip_extra_emoji' };
  throw badRequest(`Emoji '${name}' does not exist`);
}

function checkEmoji(name: string, code: string, type: string, realmEmoji: readonly RealmEmojiRecord[]): void {
  if (type === 'realm_emoji') {
    const emoji = realmEmoji.find((candidate) => candidate.id === code);
    if (!emoji) throw badRequest('Invalid custom emoji.');
    if (emoji.name !== name) throw badRequest('Invalid custom emoji name.');
    if (emoji.deactivated) throw badRequest('This custom emoji has been deactivated.');
  } else if (type === 'zulip_extra_emoji') {
    if (!ZULIP_EXTRA_EMOJI.includes(code)) throw badRequest('Invalid emoji code.');
    if (name !== code) throw badRequest('Invalid emoji name.');
  } else if (type === 'unicode_emoji') {
    if (!Object.values(UNICODE_EMOJI).includes(code)) throw badRequest('Invalid emoji code.');
    if (UNICODE_EMOJI[name] !== code) throw badRequest('Invalid emoji name.');
  } else {
    throw badRequest('Invalid emoji type.');
  }
}

/** check_update_user_status. */
export function checkStatusRequest(request: StatusRequest, realmEmoji: readonly RealmEmojiRecord[]): CheckedStatus {
  const statusText = request.status_text?.trim();
  if (statusText !== undefined && [...statusText].length > STATUS_TEXT_MAX_LENGTH) {
    throw badRequest(`status_text is too long (limit: ${STATUS_TEXT_MAX_LENGTH} characters)`);
  }
  const name = request.emoji_name;
  let { emoji_code: code, reaction_type: type } = request;
  if (request.away === undefined && statusText === undefined && name === undefined) throw badRequest('Client did not pass any new values.');
  if (name === '') {
    // An empty name clears the emoji.
    code = '';
    type = 'unicode_emoji';
  } else if (name !== undefined) {
    if (code === undefined || type === undefined) {
      const data = emojiData(name, realmEmoji);
      code ??= data.code;
      type ??= data.type;
    }
    checkEmoji(name, code, type, realmEmoji);
  } else if (type || code) {
    throw badRequest('Client must pass emoji_name if they pass either emoji_code or reaction_type.');
  }
  return { status_text: statusText, emoji_name: name, emoji_code: code, reaction_type: type as ReactionType | undefined };
}

/** format_user_status: only what is set; away (not presence_enabled) only when true. */
export function formatStatus(status: StatusRecord | undefined, presenceEnabled: boolean, featureLevel: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!presenceEnabled) out.away = true;
  if (!status) return out;
  if (status.status_text) out.status_text = status.status_text;
  if (status.emoji_name && featureLevel >= 86) {
    out.emoji_name = status.emoji_name;
    out.emoji_code = status.emoji_code;
    out.reaction_type = status.reaction_type;
  }
  return out;
}

/** Users get_all_users_status_dict leaves out: presence on and nothing set. */
export function isEmptyStatus(status: StatusRecord | undefined, presenceEnabled: boolean): boolean {
  return presenceEnabled && (!status || (!status.status_text && !status.emoji_name && !status.emoji_code && status.reaction_type === 'unicode_emoji'));
}
