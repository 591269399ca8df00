import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MentionDocument, parseDocument, type DocumentMention } from '../../src/model/mentionDocument';

/** Lines that change Zulip's block structure, and lines with mentions. */
const LINE_KINDS = [
  '',
  '```',
  '````',
  '~~~',
  '```quote',
  '```spoiler head',
  '```math',
  '> @**A**',
  '>',
  'text @**B** and `code',
  'more` @*g*',
  '    @**indented**',
  '\t@**tab**',
  '- @**item**',
  '- > @**itemquote**',
  '  @**continued**',
  '# @**header**',
  '@**C** @_**D|4**',
  '@**E\u0085**',
  'x @**F',
  'G** y',
];

/** The edited paragraph and the lines around it. */
const MAX_REPARSED_LINES = 6;

const lineArb = fc.constantFrom(...LINE_KINDS);
const docArb = fc.array(lineArb, { maxLength: 14 });

function summary(mentions: DocumentMention[]): string[] {
  return mentions.map((m) => `${m.line}:${m.start}-${m.endLine}:${m.end} ${m.mention.kind} ${m.mention.text}${m.quoted ? ' quoted' : ''}${m.asMarkdown ? ` md=${m.asMarkdown}` : ''}`);
}

test('an edit gives the same mentions as parsing the edited text from scratch', () => {
  fc.assert(
    fc.property(docArb, fc.nat(), fc.nat(), fc.array(lineArb, { maxLength: 4 }), fc.constantFrom('markdown' as const, 'plain' as const), (lines, at, del, insert, kind) => {
      const doc = new MentionDocument(kind, lines);
      const start = lines.length === 0 ? 0 : at % (lines.length + 1);
      const deleteCount = Math.min(del % 4, lines.length - start);
      // VS Code's documents always have at least one line; an edit replaces whole lines here.
      doc.edit(start, deleteCount, insert);
      const edited = [...lines];
      edited.splice(start, deleteCount, ...insert);
      assert.deepEqual(summary(doc.all()), summary(new MentionDocument(kind, edited).all()));
    }),
    { numRuns: 1500 },
  );
});

test('an edit far from structure changes parses only the paragraph it touches', () => {
  const lines = Array.from({ length: 1000 }, (_, i) => (i % 3 === 2 ? '' : `line ${i} @**M${i}**`));
  const doc = new MentionDocument('markdown', lines);
  const { from, to } = doc.edit(500, 1, ['line 500 @**Changed**']);
  assert.ok(to - from <= MAX_REPARSED_LINES, `parsed lines ${from}..${to}`);
  assert.equal(doc.mentionsOn(500)[0].mention.text, 'Changed');
});

test('opening a fence turns everything after it into code, and closing it gives the mentions back', () => {
  const doc = new MentionDocument('markdown', ['@**A**', '', '@**B**', '@**C**']);
  doc.edit(1, 1, ['```']);
  assert.deepEqual(doc.all().map((m) => m.mention.text), ['A']);
  doc.edit(3, 0, ['```']);
  assert.deepEqual(doc.all().map((m) => m.mention.text), ['A', 'C']);
});

test('a mention may span the lines of a paragraph; offsets are the lines\'', () => {
  const [m] = parseDocument('x @**King\nHamlet** y', 'markdown');
  assert.deepEqual([m.line, m.start, m.endLine, m.end], [0, 2, 1, 8]);
});

test('quoted mentions are marked, and so are those a plain document has in quotes or code', () => {
  assert.deepEqual(parseDocument('> @**A**\n\n@**B**', 'markdown').map((m) => m.quoted), [true, false]);
  assert.deepEqual(parseDocument('> @**A**\n    @**B**\n\n@**C**', 'plain').map((m) => m.asMarkdown), ['quoted', 'quoted', undefined]);
  assert.deepEqual(parseDocument('text\n\n    @**B**', 'plain').map((m) => m.asMarkdown), ['code']);
});

test('mentionAt finds the mention under a position, with its quote', () => {
  const doc = new MentionDocument('markdown', ['> x @**A** y', 'z @**King', 'Hamlet** w']);
  assert.equal(doc.mentionAt(0, 4)?.mention.text, 'A');
  assert.equal(doc.mentionAt(0, 4)?.quoted, true);
  assert.equal(doc.mentionAt(0, 3), undefined);
  assert.equal(doc.mentionAt(0, 10), undefined);
  // Lines 1 and 2 are the quote's lazy continuation: one mention across them.
  assert.equal(doc.mentionAt(2, 3)?.mention.text, 'King\nHamlet');
  assert.equal(doc.mentionAt(2, 9), undefined);
});
