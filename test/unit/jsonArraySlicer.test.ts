// The byte scanner that cuts GET /users' members array at element boundaries: for any way the
// bytes are split into chunks it gives exactly what JSON.parse gives, whatever the strings hold
// (quotes, escaped backslashes, brackets, commas, multi-byte characters cut between chunks), and
// it refuses cut-off or invalid JSON as JSON.parse would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonArraySlicer, JsonSliceError } from '../../src/zulip/jsonArraySlicer';

/** Parses `text` fed in chunks of the given sizes (cycled), as JSON.parse would see it. */
function sliced(text: string, sizes: readonly number[], key = 'members'): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const cutter = new JsonArraySlicer(key);
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]);
    cutter.push(bytes.subarray(at, at + size));
    at += size;
  }
  const { envelope, elements } = cutter.finish();
  const body = JSON.parse(envelope) as Record<string, unknown>;
  if (elements) body[key] = elements;
  return body;
}

const TRICKY_STRINGS = [
  'plain',
  'a "quoted" name',
  'back\\slash',
  'ends with a backslash \\',
  '\\\\"',
  'brackets ] } [ { and , commas',
  'Zoë Łukasiewicz-Nguyễn',
  '李白 🍜 ليلى',
  'line\nbreak\ttab',
  '\u0000\u001f control',
  '',
];

function trickyBody(): string {
  const members = TRICKY_STRINGS.map((name, i) => ({
    user_id: i,
    full_name: name,
    profile_data: { '1': { value: `[${name}]`, rendered_value: `<p>${name}</p>` } },
    nested: [[], {}, [name, { x: [1, 2, { y: name }] }]],
  }));
  // Whitespace everywhere JSON allows it, and the array not the first key.
  return `{ "result" : "success",\n "msg":"",  "members" :\n [ ${members.map((m) => JSON.stringify(m, null, 1)).join(' ,\n ')} ] , "after": [1,2] }`;
}

test('every chunking gives what JSON.parse gives', () => {
  const text = trickyBody();
  const expected = JSON.parse(text) as unknown;
  for (const sizes of [[1], [2], [3], [7], [64], [1, 5, 2, 11], [text.length]]) {
    assert.deepEqual(sliced(text, sizes), expected, `chunks of ${sizes.join(',')}`);
  }
});

test('random members with random chunk sizes match JSON.parse', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pieces = ['"', '\\', ']', '[', '{', '}', ',', ':', 'é', '😀', 'a', ' '];
  for (let round = 0; round < 50; round++) {
    const members = Array.from({ length: 1 + Math.floor(random() * 20) }, (_, i) => ({
      user_id: i,
      full_name: Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join(''),
    }));
    const text = JSON.stringify({ result: 'success', msg: '', members });
    const sizes = Array.from({ length: 5 }, () => 1 + Math.floor(random() * 40));
    assert.deepEqual(sliced(text, sizes), JSON.parse(text));
  }
});

test('an empty array, a missing key and an array under another key', () => {
  assert.deepEqual(sliced('{"result":"success","members":[]}', [3]), { result: 'success', members: [] });
  assert.deepEqual(sliced('{"result":"error","msg":"no"}', [4]), { result: 'error', msg: 'no' });
  // Only the top-level array named by the key is cut; others stay in the envelope.
  assert.deepEqual(sliced('{"other":[1,2],"x":{"members":[3]},"members":[4,5]}', [2]), { other: [1, 2], x: { members: [3] }, members: [4, 5] });
});

test('the envelope of a members answer is small: the array is left out of it', () => {
  const text = '{"result":"success","msg":"","members":[{"user_id":1},{"user_id":2}]}';
  const cutter = new JsonArraySlicer();
  cutter.push(Buffer.from(text));
  const { envelope, elements, bytes } = cutter.finish();
  assert.equal(envelope, '{"result":"success","msg":"","members":[]}');
  assert.deepEqual(elements, [{ user_id: 1 }, { user_id: 2 }]);
  assert.equal(bytes, text.length);
});

test('cut-off and invalid JSON is refused', () => {
  const whole = '{"result":"success","members":[{"user_id":1,"full_name":"A \\"B\\""},{"user_id":2}]}';
  for (let cut = 1; cut < whole.length; cut++) {
    assert.throws(() => sliced(whole.slice(0, cut), [5]), (error) => error instanceof JsonSliceError || error instanceof SyntaxError, `cut at ${cut}`);
  }
  for (const bad of [
    '{"members":[,]}',
    '{"members":[{"a":1},]}',
    '{"members":[{"a":1},,{"b":2}]}',
    '{"members":[{"a":1} {"b":2}]}',
    '{"members":[{"a":}]}',
    '{"members":[{"a":1}]}}',
    '{"members":[1}',
  ]) {
    assert.throws(() => sliced(bad, [3]), SyntaxError, bad);
  }
});

test('a web page is kept whole for the caller to recognise', () => {
  const page = '<html><body>Bad gateway "proxy"}</body></html>';
  const cutter = new JsonArraySlicer();
  cutter.push(Buffer.from(page.slice(0, 10)));
  cutter.push(Buffer.from(page.slice(10)));
  const { envelope, elements } = cutter.finish();
  assert.equal(envelope, page);
  assert.equal(elements, undefined);
});

test('arrays named in discard are left out as [] and never parsed; the wanted one and the rest come through', () => {
  const bots = [{ user_id: 1, full_name: 'Notification Bot, "system" ]' }];
  const text = JSON.stringify({
    result: 'success',
    realm_users: TRICKY_STRINGS.map((name, i) => ({ user_id: i + 10, full_name: name })),
    realm_non_active_users: [{ user_id: 99, full_name: 'gone [ , ]' }],
    cross_realm_bots: bots,
    queue_id: 'q',
  });
  for (const sizes of [[1], [3, 7], [text.length]]) {
    const bytes = Buffer.from(text, 'utf8');
    const cutter = new JsonArraySlicer('cross_realm_bots', ['realm_users', 'realm_non_active_users']);
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const size = sizes[k % sizes.length];
      cutter.push(bytes.subarray(at, at + size));
      at += size;
    }
    const { envelope, elements } = cutter.finish();
    assert.deepEqual(JSON.parse(envelope), { result: 'success', realm_users: [], realm_non_active_users: [], cross_realm_bots: [], queue_id: 'q' });
    assert.deepEqual(elements, bots);
  }
});

test('a discarded array that is cut off is still refused', () => {
  const cutter = new JsonArraySlicer('cross_realm_bots', ['realm_users']);
  cutter.push(Buffer.from('{"realm_users":[{"user_id":1},{"user_id":'));
  assert.throws(() => cutter.finish(), JsonSliceError);
});
