// Life in the demo organization: while the demo runs, a member changes status and presence
// every so often (events included), so a client's live updates can be watched. Demo mode only.
import type { Org } from './org';
import type { StatusRecord } from './userStatus';

export const DEMO_ACTIVITY_INTERVAL_SECONDS = 20;
/** Zoë Łukasiewicz-Nguyễn changes status; Iago comes and goes. */
export const DEMO_STATUS_USER_ID = 17;
export const DEMO_PRESENCE_USER_ID = 11;

const STATUS_CYCLE: ReadonlyArray<Partial<StatusRecord>> = [
  { status_text: 'Coffee break', emoji_name: 'coffee', emoji_code: '2615', reaction_type: 'unicode_emoji' },
  { status_text: 'Deep in code', emoji_name: 'computer', emoji_code: '1f4bb', reaction_type: 'unicode_emoji' },
  { status_text: 'Shipped it!', emoji_name: 'green_tick', emoji_code: '1', reaction_type: 'realm_emoji' },
  { status_text: 'Listening to music' },
  { status_text: '', emoji_name: 'palm_tree', emoji_code: '1f334', reaction_type: 'unicode_emoji' },
];

/** One step of the demo's life: the next status in the cycle, and Iago active or idle in turn. */
export function demoStep(org: Org, step: number): void {
  const status = STATUS_CYCLE[step % STATUS_CYCLE.length];
  // Every field is given, so the status is replaced rather than merged.
  if (org.getUser(DEMO_STATUS_USER_ID)) {
    org.forceStatus(DEMO_STATUS_USER_ID, { status_text: '', emoji_name: '', emoji_code: '', reaction_type: 'unicode_emoji', ...status });
  }
  if (org.getUser(DEMO_PRESENCE_USER_ID)) org.setPresence(DEMO_PRESENCE_USER_ID, step % 2 === 0 ? 'active' : 'idle');
}

/** Starts the timer; returns a function that stops it. */
export function startDemoActivity(org: Org, intervalSeconds = DEMO_ACTIVITY_INTERVAL_SECONDS): () => void {
  let step = 0;
  const timer = setInterval(() => demoStep(org, step++), intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
