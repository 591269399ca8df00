import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  codeSpans,
  formatGroupMention,
  formatUserMention,
  mentionAt,
  mentionPrefixAt,
  parseInlineMentions,
  parseInlineMentionsMaskingAll,
  parseMentions,
  splitNameAndId,
  type Mention,
} from '../../src/model/mentionParser';
import { HOSTILE_NAMES } from '../../server/hostile';

function only(line: string): Mention {
  const mentions = parseMentions(line);
  assert.equal(mentions.length, 1, `one mention in ${JSON.stringify(line)}, got ${JSON.stringify(mentions)}`);
  return mentions[0];
}

test('user mention by name', () => {
  const m = only('Ask @**Full Name** today');
  assert.deepEqual(m, { kind: 'user', silent: false, start: 4, end: 18, text: 'Full Name', name: 'Full Name', id: undefined });
});

test('user mention by name and id, and by id alone', () => {
  assert.deepEqual(only('@**Full Name|123**'), { kind: 'user', silent: false, start: 0, end: 18, text: 'Full Name|123', name: 'Full Name', id: 123 });
  const byId = only('@**|123**');
  assert.equal(byId.kind, 'user');
  assert.equal(byId.kind === 'user' && byId.name, undefined);
  assert.equal(byId.kind === 'user' && byId.id, 123);
});

test('silent mentions, with and without id', () => {
  const a = only('@_**Full Name**');
  assert.equal(a.silent, true);
  assert.equal(a.kind === 'user' && a.name, 'Full Name');
  const b = only('@_**Full Name|123**');
  assert.equal(b.silent, true);
  assert.equal(b.kind === 'user' && b.id, 123);
  assert.equal(b.end, '@_**Full Name|123**'.length);
});

test('group mentions, loud and silent', () => {
  assert.deepEqual(only('cc @*support*'), { kind: 'group', silent: false, start: 3, end: 13, text: 'support', name: 'support' });
  assert.deepEqual(only('@_*Design team*'), { kind: 'group', silent: true, start: 0, end: 15, text: 'Design team', name: 'Design team' });
});

test('wildcards are matched exactly; other capitalizations are names', () => {
  for (const w of ['all', 'everyone', 'channel', 'stream']) {
    const m = only(`@**${w}**`);
    assert.equal(m.kind, 'wildcard');
    assert.equal(m.kind === 'wildcard' && m.scope, 'channel');
  }
  const topic = only('@_**topic**');
  assert.equal(topic.kind === 'wildcard' && topic.scope, 'topic');
  assert.equal(topic.silent, true);
  const named = only('@**All**');
  assert.equal(named.kind, 'user');
  assert.equal(named.kind === 'user' && named.name, 'All');
  // With an id, "all" is a member's name, not a wildcard.
  assert.equal(only('@**all|5**').kind, 'user');
});

test('an @ counts only at the start or after whitespace or one of \' " ( { [ / <', () => {
  for (const before of [' ', '\t', "'", '"', '(', '{', '[', '/', '<', '\u3000', '\u00a0', '\x1c', '\x85']) {
    assert.equal(parseMentions(`x${before}@**A B**`).length, 1, `allowed after ${JSON.stringify(before)}`);
  }
  for (const before of ['x', '.', ',', ':', ';', ')', ']', '}', '>', '@', '*', '_', '-', '\ufeff', 'é', '😀', '\\']) {
    assert.equal(parseMentions(`${before}@**A B**`).length, 0, `not after ${JSON.stringify(before)}`);
  }
  assert.equal(parseMentions('mail me at a@**b**').length, 0);
});

test('the name|id split follows (.+)?\\|(\\d+)$', () => {
  assert.deepEqual(splitNameAndId('a|b|12'), { name: 'a|b', id: 12 });
  assert.deepEqual(splitNameAndId('a|'), { name: 'a|' });
  assert.deepEqual(splitNameAndId('a|12x'), { name: 'a|12x' });
  assert.deepEqual(splitNameAndId('a | 12'), { name: 'a | 12' });
  assert.deepEqual(splitNameAndId('|'), { name: '|' });
  assert.deepEqual(splitNameAndId('||7'), { name: '|', id: 7 });
  assert.deepEqual(splitNameAndId('Name|007'), { name: 'Name', id: 7 });
  // Python's \d is any Unicode decimal digit, and int() reads them.
  assert.deepEqual(splitNameAndId('Name|١٢'), { name: 'Name', id: 12 });
  assert.deepEqual(splitNameAndId('Name|𝟗𝟎'), { name: 'Name', id: 90 });
  assert.deepEqual(splitNameAndId('Name|१०'), { name: 'Name', id: 10 });
});

test('a * inside the name ends it: no mention', () => {
  assert.deepEqual(parseMentions('@**a*b**'), []);
  assert.deepEqual(parseMentions('@****'), []);
  assert.deepEqual(parseMentions('@**'), []);
  assert.deepEqual(parseMentions('@** **').length, 1);
});

test('unicode and emoji names; offsets are UTF-16 code units like VS Code positions', () => {
  const line = '🎉 @**José Ñúñez** y @**王小明|42** @**🦄 Unicorn**';
  const mentions = parseMentions(line);
  assert.deepEqual(
    mentions.map((m) => line.slice(m.start, m.end)),
    ['@**José Ñúñez**', '@**王小明|42**', '@**🦄 Unicorn**'],
  );
  assert.equal(mentions[0].start, 3);
  assert.equal(mentions[1].kind === 'user' && mentions[1].id, 42);
  assert.equal(mentions[2].kind === 'user' && mentions[2].name, '🦄 Unicorn');
});

test('user mentions are found first and hidden from the group pattern', () => {
  // "@*x @**y** z*" would be a group named "x @**y** z" without the user pattern going first.
  const mentions = parseMentions('@*x @**y** z*');
  assert.deepEqual(mentions.map((m) => [m.kind, m.text]), [['user', 'y']]);
  // A user mention is not "allowed before" a group mention.
  assert.deepEqual(parseMentions('@**a**@*g*').map((m) => m.kind), ['user']);
  assert.deepEqual(parseMentions('@**a** @*g*').map((m) => m.kind), ['user', 'group']);
});

test('no mention inside inline code, as in Zulip (code spans are matched first)', () => {
  assert.deepEqual(parseMentions('`@**King Hamlet**` inside code'), []);
  assert.deepEqual(parseMentions('``a ` @**X** b`` @**Y**').map((m) => m.text), ['Y']);
  // An escaped backtick opens no code span; a pair of backslashes leaves the backtick unescaped.
  assert.deepEqual(parseMentions('\\` @**X**`').map((m) => m.text), ['X']);
  assert.deepEqual(parseMentions('\\\\` @**X**`').map((m) => m.text), []);
  assert.deepEqual(parseMentions('\\\\\\` @**X**`').map((m) => m.text), ['X']);
  // An unclosed backtick is just a character.
  assert.deepEqual(parseMentions('` @**X**').map((m) => m.text), ['X']);
  // ***strong emphasis*** is matched before mentions too.
  assert.deepEqual(parseMentions('@**a***b***').map((m) => m.text), []);
});

test('several mentions in a line, in order; matches do not overlap', () => {
  const line = '@**A** and @*g* and @_**B|2** (@**all**)';
  assert.deepEqual(
    parseMentions(line).map((m) => [m.kind, line.slice(m.start, m.end)]),
    [
      ['user', '@**A**'],
      ['group', '@*g*'],
      ['user', '@_**B|2**'],
      ['wildcard', '@**all**'],
    ],
  );
  // Non-overlapping, left to right, like Python's finditer.
  assert.deepEqual(parseMentions('@**a @**b**').map((m) => m.text), ['a @']);
});

test('mentionAt: the mention under an offset, end exclusive', () => {
  const line = 'hi @**Ann|3** bye';
  assert.equal(mentionAt(line, 2), undefined);
  assert.equal(mentionAt(line, 3)?.text, 'Ann|3');
  assert.equal(mentionAt(line, 8)?.text, 'Ann|3');
  assert.equal(mentionAt(line, 12)?.text, 'Ann|3');
  assert.equal(mentionAt(line, 13), undefined);
  assert.equal(mentionAt(line, -1), undefined);
  assert.equal(mentionAt(line, 999), undefined);
  assert.equal(mentionAt('no mentions here', 3), undefined);
});

test('mentionPrefixAt: an unfinished @** before the cursor', () => {
  assert.deepEqual(mentionPrefixAt('hi @**Al', 8), { start: 3, silent: false, query: 'Al' });
  assert.deepEqual(mentionPrefixAt('@**', 3), { start: 0, silent: false, query: '' });
  assert.deepEqual(mentionPrefixAt('(@_**ann', 8), { start: 1, silent: true, query: 'ann' });
  assert.deepEqual(mentionPrefixAt('@**ann@example.com', 18), { start: 0, silent: false, query: 'ann@example.com' });
  assert.deepEqual(mentionPrefixAt('@**A** @**Bo', 12), { start: 7, silent: false, query: 'Bo' });
  assert.deepEqual(mentionPrefixAt('@**Ann Lee** rest', 6), { start: 0, silent: false, query: 'Ann' });
  assert.equal(mentionPrefixAt('x@**Al', 6), undefined);
  assert.equal(mentionPrefixAt('@**Ann** x', 10), undefined);
  assert.equal(mentionPrefixAt('@*', 2), undefined);
  assert.equal(mentionPrefixAt('**', 2), undefined);
  assert.equal(mentionPrefixAt('', 0), undefined);
});

test('formatting helpers', () => {
  assert.equal(formatUserMention('Ann Lee', 3), '@**Ann Lee|3**');
  assert.equal(formatUserMention('Ann Lee', undefined, true), '@_**Ann Lee**');
  assert.equal(formatGroupMention('support', true), '@_*support*');
});

// ---- Properties ----

test('property: the parser never throws and every range lies inside the line', () => {
  const alphabet = fc.constantFrom('@', '*', '_', '|', ' ', 'a', 'Z', '1', '(', '<', '\n', 'é', '😀', '\u3000', '"');
  const lines = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: alphabet, maxLength: 60 }));
  fc.assert(
    fc.property(lines, fc.nat(100), (line, offset) => {
      const mentions = parseMentions(line);
      let previousEnd = 0;
      for (const m of mentions) {
        assert.ok(m.start >= previousEnd && m.start < m.end && m.end <= line.length);
        assert.equal(line[m.start], '@');
        previousEnd = m.end;
      }
      const at = mentionAt(line, offset);
      if (at) assert.ok(at.start <= offset && offset < at.end && at.end <= line.length);
      const prefix = mentionPrefixAt(line, offset);
      if (prefix) assert.ok(prefix.start >= 0 && prefix.start < Math.min(offset, line.length));
    }),
    { numRuns: 3000 },
  );
});

// Backticks are left out of the name and the text before it: a backtick pair around the mention
// makes inline code, where Zulip sees no mention either.
test('property: a mention built from any name without * round-trips', () => {
  const name = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
    .filter((n) => !/[*`\n]/.test(n));
  const prefix = fc.string({ maxLength: 20 }).filter((p) => !/[*`]/.test(p));
  fc.assert(
    fc.property(prefix, name, fc.option(fc.nat(10_000_000), { nil: undefined }), fc.boolean(), fc.string({ maxLength: 20 }), (before, n, id, silent, after) => {
      const head = before === '' ? '' : `${before} `;
      const text = formatUserMention(n, id, silent);
      const line = head + text + after;
      const m = mentionAt(line, head.length);
      assert.ok(m, `found in ${JSON.stringify(line)}`);
      assert.equal(m.start, head.length);
      assert.equal(m.end, head.length + text.length);
      assert.equal(m.silent, silent);
      if (id !== undefined) {
        assert.equal(m.kind, 'user');
        assert.deepEqual(m.kind === 'user' && [m.name, m.id], [n, id]);
      } else if (m.kind === 'user') {
        // A name ending in "|digits" reads as name|id, exactly as Zulip reads it.
        assert.deepEqual({ name: m.name, id: m.id }, { id: undefined, ...splitNameAndId(n) });
      } else {
        assert.equal(m.kind, 'wildcard');
        assert.equal(m.text, n);
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: lines mixing the hostile corpus with markup: every mention is @…* in the line and found again at its start', () => {
  // An editor line holds no line break.
  const pieces = fc.constantFrom(...HOSTILE_NAMES.map((n) => n.text.replace(/[\r\n]/g, ' ')), '@**', '@_**', '@*', '**', '*', '|12', '`', ' ', '(', '"', '<');
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
      const line = parts.join('');
      for (const m of parseMentions(line)) {
        const slice = line.slice(m.start, m.end);
        assert.ok(slice.startsWith('@') && slice.endsWith('*') && slice.includes(m.text), `${JSON.stringify(slice)} holds ${JSON.stringify(m.text)}`);
        const again = mentionAt(line, m.start);
        assert.deepEqual(again && [again.start, again.end], [m.start, m.end], 'mentionAt finds the same mention');
      }
    }),
    { numRuns: 3000 },
  );
});

// The parser leaves code spans unmasked when no later pattern could tell them from a
// placeholder, and masks user mentions only when a group mention may follow: the same mentions as
// masking every match before every pattern, as Zulip does.
test('property: the shortcuts find exactly what masking everything finds', () => {
  const pieces = fc.constantFrom('@', '@**', '@_**', '@*', '@_*', '*', '**', '***', '`', '``', '\\\\', '\\', '$$', '<time:1>', '<', '>', '^', '\n', ' ', '(', 'a', 'Ann', '|3', 'é', '😀');
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 24 }), (parts) => {
      const text = parts.join('');
      assert.deepEqual(parseInlineMentions(text), parseInlineMentionsMaskingAll(text), JSON.stringify(text));
    }),
    { numRuns: 20_000 },
  );
});

test('property: code spans are found where a global search of Python-Markdown\'s BACKTICK_RE finds them', () => {
  // The search as Python-Markdown runs it: leftmost match, again from its end; after a masked
  // pair of backslashes, a code span may start at once.
  const backtick = /(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)([\s\S]+?)(?<!`)\2(?!`)/gu;
  const codeAt = /(`+)([\s\S]+?)(?<!`)\1(?!`)/uy;
  const reference = (text: string) => {
    const spans: number[] = [];
    backtick.lastIndex = 0;
    for (let m = backtick.exec(text); m; m = backtick.exec(text)) {
      spans.push(m.index, m.index + m[0].length);
      if (m[1] === undefined) continue;
      codeAt.lastIndex = backtick.lastIndex;
      const code = codeAt.exec(text);
      if (!code) continue;
      spans.push(code.index, code.index + code[0].length);
      backtick.lastIndex = codeAt.lastIndex;
    }
    return spans;
  };
  const pieces = fc.constantFrom('`', '``', '```', '\\', '\\\\', 'a', ' ', '\n', '@**X**', 'é', '😀');
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
      const text = parts.join('');
      assert.deepEqual(codeSpans(text), reference(text), JSON.stringify(text));
    }),
    { numRuns: 20_000 },
  );
});

test('inline code holding a character that strong emphasis or a mention reads is masked before them', () => {
  // Masked, the code lets ***b … c*** be strong emphasis, which hides the ** a mention would end with.
  for (const code of ['*', '^', '\n']) {
    assert.deepEqual(parseInlineMentions(`@**a***b \`${code}\` c***`), [], JSON.stringify(code));
  }
  assert.deepEqual(parseInlineMentions('@**a***b `x` c***'), []);
  assert.deepEqual(parseInlineMentions('@**a `*` b**').map((m) => m.text), ['a `*` b']);
});

test('a group name around inline code is no group, though the code alone would read like a placeholder', () => {
  assert.deepEqual(parseInlineMentions('@*dev `x` team*'), []);
  assert.deepEqual(parseInlineMentions('`x` @*dev team*').map((m) => m.kind === 'group' && m.name), ['dev team']);
  // The user mention is found either way, with its name read from the source.
  assert.deepEqual(parseInlineMentions('@**Ann `x` Lee** and @*dev*').map((m) => m.text), ['Ann `x` Lee', 'dev']);
});

test('each hostile name becomes a mention that reads back as itself, unless Zulip could not mention it (a *)', () => {
  for (const { text } of HOSTILE_NAMES) {
    const line = `hi ${formatUserMention(text, 99, false)} there`;
    const m = mentionAt(line, 3);
    if (text.includes('*') || text.includes('\n')) continue;
    assert.ok(m && m.kind === 'user', JSON.stringify(text));
    assert.equal(m.name, text);
    assert.equal(m.id, 99);
  }
});
