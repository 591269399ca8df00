// Theme-icon syntax in member names shows as text: escapeThemeIcons against a copy of VS Code's
// own renderLabelWithIcons rule (src/vs/base/browser/ui/iconLabel/iconLabels.ts): a `$(name)`
// becomes an icon unless a backslash comes right before it, and then shows without the backslash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeThemeIcons } from '../../src/text/iconText';

const LABEL_WITH_ICONS = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z0-9-]*)?)\)/g;

/** What VS Code shows for a label: icons as {icon}, escaped ones as their text. */
function shown(label: string): string {
  return label.replace(LABEL_WITH_ICONS, (_m, escaped: string | undefined, name: string) => (escaped ? `$(${name})` : `{icon:${name}}`));
}

test('icon syntax in a name shows as typed', () => {
  for (const name of ['Mallory $(sign-out) $(loading~spin) Icon', '$(x)', 'a\\$(x)b', '$$(a)(b)', '$(', '$()', 'no icons']) {
    assert.equal(shown(escapeThemeIcons(name)), name, name);
  }
  assert.equal(escapeThemeIcons('$(sign-out)'), '\\$(sign-out)');
});

test('property: any text is shown exactly as given, never as an icon', () => {
  const alphabet = fc.constantFrom('$', '(', ')', '\\', '~', 'a', 'Z', '-', '1', ' ');
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: alphabet, maxLength: 30 }), fc.string({ maxLength: 30 })), (text) => {
      const label = escapeThemeIcons(text);
      assert.equal(shown(label), text);
      assert.ok(!shown(label).includes('{icon:') || text.includes('{icon:'));
    }),
    { numRuns: 2000 },
  );
});
