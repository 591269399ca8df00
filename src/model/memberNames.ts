// Members by lower-cased full name (Zulip's full_name__iexact), kept current by patching: a
// change of the index costs one pass comparing member objects (which are replaced, never
// changed, on every update) instead of rebuilding the whole map, which at 100,000 members took
// a hundred milliseconds on every rename.
// Pure: no vscode import.
import type { User } from '../zulip/types';
import type { Slicer } from '../zulip/slices';
import type { MemberIndex } from './memberIndex';
import { changedInPlace } from './memberChanges';

interface NameTable {
  version: number;
  byId: Map<number, User>;
  byName: Map<string, User[]>;
  /** The members in the index's order (a Map keeps a key's place when its value changes). */
  order: User[];
}

/** More changes than this share of the index: build again instead of patching. */
const REBUILD_SHARE = 0.05;
const tables = new WeakMap<MemberIndex, NameTable>();

function add(map: Map<string, User[]>, user: User): void {
  const key = user.full_name.toLowerCase();
  const list = map.get(key);
  if (list) list.push(user);
  else map.set(key, [user]);
}

function drop(map: Map<string, User[]>, user: User): void {
  const key = user.full_name.toLowerCase();
  const list = map.get(key);
  if (!list) return;
  const i = list.indexOf(user);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}

function tableOf(index: MemberIndex): NameTable {
  const table = tables.get(index);
  if (table && table.version === index.version) return table;
  if (table) {
    const changed = changedMembers(index, table);
    const gone = table.byId.size + changed.filter((u) => !table.byId.has(u.user_id)).length - index.size;
    if (changed.length + gone <= Math.max(1, index.size * REBUILD_SHARE)) {
      if (gone > 0) {
        for (const [id, user] of [...table.byId]) {
          if (index.get(id)) continue;
          drop(table.byName, user);
          table.byId.delete(id);
        }
      }
      for (const user of changed) {
        const old = table.byId.get(user.user_id);
        if (old) drop(table.byName, old);
        add(table.byName, user);
        table.byId.set(user.user_id, user);
      }
      table.version = index.version;
      return table;
    }
  }
  const fresh: NameTable = { version: index.version, byId: new Map(), byName: new Map(), order: [...index.all()] };
  for (const user of index.all()) {
    fresh.byId.set(user.user_id, user);
    add(fresh.byName, user);
  }
  tables.set(index, fresh);
  return fresh;
}

/** Members added between two looks at the clock. */
const MEMBERS_PER_CHECK = 1024;

/**
 * Builds the name table of `index` in slices, after a load, so the first hover or diagnostic does
 * not build it for 100,000 members in one block. Changes meanwhile are patched in on the next
 * lookup. Throws when the slicer is cancelled.
 */
export async function prepareNames(index: MemberIndex, slicer: Slicer): Promise<void> {
  const known = tables.get(index);
  if (known && known.version === index.version) return;
  const fresh: NameTable = { version: index.version, byId: new Map(), byName: new Map(), order: [...index.all()] };
  for (let i = 0; i < fresh.order.length; i++) {
    const user = fresh.order[i];
    fresh.byId.set(user.user_id, user);
    add(fresh.byName, user);
    if (i % MEMBERS_PER_CHECK === 0) await slicer.pause();
  }
  // A lookup meanwhile built a table of its own: keep the newer one.
  const current = tables.get(index);
  if (!current || current.version < fresh.version) tables.set(index, fresh);
}

/**
 * Members whose object is not the one the table has. With the same members in the same order (a
 * rename, a deactivation), one pass comparing references; otherwise by id.
 */
function changedMembers(index: MemberIndex, table: NameTable): User[] {
  const inPlace = changedInPlace(index, table.order);
  if (inPlace) return inPlace;
  const changed: User[] = [];
  for (const user of index.all()) if (table.byId.get(user.user_id) !== user) changed.push(user);
  table.order = [...index.all()];
  return changed;
}

/** Members whose full name is `name`, case-insensitively, as MemberIndex.byName but patched per change. */
export function membersNamed(index: MemberIndex, name: string): readonly User[] {
  return tableOf(index).byName.get(name.toLowerCase()) ?? [];
}
