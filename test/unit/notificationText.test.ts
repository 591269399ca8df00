// Text from a server shown in a notification makes no link: inertMessage against VS Code's own
// rule for links in notification messages (src/vs/base/common/linkedText.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HOSTILE_NAMES } from '../../server/hostile';
import { inertMessage } from '../../src/text/notificationText';
import { notificationLinks as links } from '../reliability/notificationLinks';

test('a command link in a name makes no link, and reads the same', () => {
  const message = `Signed in to Zulip as ${'Mallory [Sign out](command:zulip.signOut)'} (a@b).`;
  assert.deepEqual(links(message), ['command:zulip.signOut'], 'the rule finds the link in the raw text');
  const safe = inertMessage(message);
  assert.deepEqual(links(safe), []);
  assert.equal(safe.replace(/\u200b/g, ''), message);
  for (const { text } of HOSTILE_NAMES) assert.deepEqual(links(inertMessage(text)), [], text);
});

test('property: no text gives a link; removing the zero-width spaces added gives the text back', () => {
  const pieces = fc.constantFrom('[', ']', '(', ')', 'command:zulip.signOut', 'https://evil.example', 'file:///etc/passwd', ' ', 'x', '"t"', '\u200b');
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: pieces, maxLength: 20 }), fc.string()), (text) => {
      const safe = inertMessage(text);
      assert.deepEqual(links(safe), []);
      assert.equal(safe.replace(/\]\u200b\(/g, ']('), text.replace(/\]\u200b\(/g, ']('));
    }),
    { numRuns: 3000 },
  );
});
