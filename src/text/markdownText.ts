// Member-written text inside VS Code Markdown (tooltips, hovers) must stay text: no emphasis, no
// links, no command links, no HTML, no theme icons. No vscode import: tested directly.

/**
 * Escapes every ASCII punctuation character with a backslash (CommonMark allows that for all of
 * them), so `[x](command:…)`, `<img>`, `**`, `$(icon)`, autolinks (`https\://`) and entities
 * (`\&amp;`) all render as the characters typed. Line breaks become spaces: a name is one line.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A URI made safe for a Markdown image or link destination: no spaces, brackets, quotes or `|` (VS Code's size suffix). */
export function markdownDestination(uri: string): string {
  return uri.replace(/[\s()<>|"'\\[\]]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}
