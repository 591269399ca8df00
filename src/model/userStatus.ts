// Members' user statuses (text and emoji), from POST /register's `user_status` and kept live by
// `user_status` events, which carry only what changed ("" clears a field). Status text is user
// text: every surface escapes it. Plain Node.
import { Emitter } from '../common/emitter';
import type { UserStatusData } from '../zulip/types';

/** Zulip's limit on status text (zerver/lib/user_status.py). */
export const STATUS_TEXT_MAX_LENGTH = 60;

export type EmojiType = 'unicode_emoji' | 'realm_emoji' | 'zulip_extra_emoji';

export interface StatusEmoji {
  name: string;
  code: string;
  type: EmojiType;
}

export interface UserStatus {
  text: string;
  emoji?: StatusEmoji;
  /** Presence sharing is off (away is !presence_enabled since FL 148). */
  away: boolean;
}

const EMOJI_TYPES: readonly string[] = ['unicode_emoji', 'realm_emoji', 'zulip_extra_emoji'];

/**
 * One shared object per distinct emoji: a third of 100,000 members with a status use a few dozen
 * emoji, and a copy each was half of what statuses cost in memory. Bounded, so a server sending
 * endless distinct codes cannot grow it without end.
 */
const emojiPool = new Map<string, StatusEmoji>();
const EMOJI_POOL_MAX = 10_000;

function sharedEmoji(name: string, code: string, type: EmojiType): StatusEmoji {
  const key = `${type}\u0000${name}\u0000${code}`;
  let emoji = emojiPool.get(key);
  if (!emoji) {
    emoji = Object.freeze({ name, code, type });
    if (emojiPool.size < EMOJI_POOL_MAX) emojiPool.set(key, emoji);
  }
  return emoji;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Folds one status update into the previous status; undefined once nothing is left. */
export function mergeStatus(previous: UserStatus | undefined, data: UserStatusData | Record<string, unknown>): UserStatus | undefined {
  const raw = data as Record<string, unknown>;
  const next: UserStatus = { text: previous?.text ?? '', emoji: previous?.emoji, away: previous?.away ?? false };
  const statusText = text(raw.status_text);
  if (statusText !== undefined) next.text = statusText.trim();
  const emojiName = text(raw.emoji_name);
  if (emojiName !== undefined) {
    const code = text(raw.emoji_code) ?? '';
    const type = text(raw.reaction_type) ?? 'unicode_emoji';
    next.emoji = emojiName && EMOJI_TYPES.includes(type) ? sharedEmoji(emojiName, code, type as EmojiType) : undefined;
  }
  if (typeof raw.away === 'boolean') next.away = raw.away;
  return next.text || next.emoji || next.away ? next : undefined;
}

/** The emoji's characters from Zulip's code (hex code points joined by "-"); undefined when the code is not that. */
export function unicodeEmojiText(code: string): string | undefined {
  if (!/^[0-9a-f]{1,6}(-[0-9a-f]{1,6})*$/i.test(code)) return undefined;
  const points = code.split('-').map((hex) => parseInt(hex, 16));
  const MAX_CODE_POINT = 0x10ffff;
  if (points.some((p) => p > MAX_CODE_POINT || (p >= 0xd800 && p <= 0xdfff))) return undefined;
  return String.fromCodePoint(...points);
}

export class UserStatuses {
  private readonly byId = new Map<number, UserStatus>();
  private supportedValue?: boolean;
  private readonly changed = new Emitter<number[]>();
  /** The ids whose status changed (all of them after a reset). */
  readonly onDidChange = this.changed.event;

  get(userId: number): UserStatus | undefined {
    return this.byId.get(userId);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Whether the registration brought statuses (false: the server does not offer them); undefined before it. */
  get supported(): boolean | undefined {
    return this.supportedValue;
  }

  reset(statuses: unknown): void {
    const ids = [...this.byId.keys()];
    this.byId.clear();
    this.supportedValue = typeof statuses === 'object' && statuses !== null;
    if (typeof statuses === 'object' && statuses !== null) {
      for (const [key, data] of Object.entries(statuses as Record<string, unknown>)) {
        const id = Number(key);
        if (!Number.isInteger(id) || typeof data !== 'object' || data === null) continue;
        const status = mergeStatus(undefined, data);
        if (status) this.byId.set(id, status);
        ids.push(id);
      }
    }
    this.changed.fire([...new Set(ids)]);
  }

  /** A `user_status` event: only the fields it names change. */
  applyEvent(event: Record<string, unknown>): void {
    const id = event.user_id;
    if (typeof id !== 'number') return;
    const status = mergeStatus(this.byId.get(id), event);
    if (status) this.byId.set(id, status);
    else this.byId.delete(id);
    this.changed.fire([id]);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
