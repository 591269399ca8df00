// Conformance cases: what Zulip's server renders for a message, from its tests
// (zerver/tests/test_markdown.py, MarkdownMentionTest and neighbours) and its code
// (zerver/lib/markdown/__init__.py, zerver/lib/markdown/fenced_code.py, zerver/lib/mention.py).
// Each expectation lists, in document order, every piece of mention syntax found and what the
// message shows for it:
//   'mention @10'  a mention notifying member 10     'silent @10'  shown silent (no notification)
//   'mention @?'   a mention of one of several same-named members (Zulip picks)
//   'mention *'    a channel wildcard                'mention topic'  a topic wildcard
//   'mention g1'   a group mention                   'text'  shown as the text typed (bold/italic)
// The organization is Zulip's test realm, with the ids below.

export const HAMLET = 10;
export const OTHELLO = 12;
export const CORDELIA = 8;
export const AARON = 7;
export const IAGO = 11;
export const TWIN1 = 101;
export const TWIN2 = 102;
export const ATOMIC = 103;
export const FORMER = 104;
export const WELCOME_BOT = 105;
export const NAMED_ALL = 106;
export const PIPE = 109;
export const STAR = 110;
export const NOTIFICATION_BOT = 1;

export const SUPPORT = 1;
export const BACKEND = 2;
export const FRONTEND = 3;
export const SUPPORT_123 = 4;
export const OLD_TEAM = 5;
export const ADMINS = 6;
export const DESIGN = 7;
export const LEADS = 8;

export interface ConformanceCase {
  /** The Zulip test function or code the case comes from. */
  source: string;
  text: string;
  expect: string[];
  kind?: 'markdown' | 'plain';
  /** Changes to the organization for this case. */
  deactivate?: number[];
  remove?: number[];
  defaultCodeBlockLanguage?: string;
  /** Further checks on the outcome of the mention at this index. */
  because?: Record<number, string>;
  serverDecides?: Record<number, string>;
  shownName?: Record<number, string>;
  refused?: number[];
  asMarkdown?: Record<number, string>;
}

const T = 'zerver/tests/test_markdown.py';
const M = 'zerver/lib/markdown/__init__.py';
const F = 'zerver/lib/markdown/fenced_code.py';
const MENTION = 'zerver/lib/mention.py';

const STREAM_WILDCARDS = ['all', 'everyone', 'stream', 'channel'];

export const CASES: ConformanceCase[] = [
  // Wildcards.
  ...STREAM_WILDCARDS.map((w) => ({ source: `${T} test_mention_stream_wildcard`, text: `@**${w}** test`, expect: ['mention *'] })),
  { source: `${T} test_mention_topic_wildcard`, text: '@**topic** test', expect: ['mention topic'] },
  ...STREAM_WILDCARDS.map((w) => ({ source: `${T} test_silent_stream_wildcard_mention`, text: `@_**${w}**`, expect: ['silent *'], because: { 0: 'silentSyntax' } })),
  { source: `${T} test_silent_topic_wildcard_mention`, text: '@_**topic**', expect: ['silent topic'] },
  ...[...STREAM_WILDCARDS, 'topic'].flatMap((w) => [
    { source: `${T} test_mention_at_${w === 'topic' ? 'topic' : 'stream'}_wildcard`, text: `@${w} test`, expect: [] },
    { source: `${T} test_${w === 'topic' ? 'topic' : 'stream'}_wildcard_mention_in_quotes`, text: `> @**${w}**`, expect: [w === 'topic' ? 'silent topic' : 'silent *'], because: { 0: 'quoted' } },
    { source: `${T} test_${w === 'topic' ? 'topic' : 'stream'}_wildcard_mention_in_quotes`, text: `\`\`\`quote\n@_**${w}**\n\`\`\``, expect: [w === 'topic' ? 'silent topic' : 'silent *'] },
  ]),
  { source: `${T} test_mention_word_starting_with_at_wildcard`, text: 'test @alleycat.com test', expect: [] },
  { source: `${MENTION} stream_wildcards (matched exactly)`, text: '@**All**', expect: [`mention @${NAMED_ALL}`] },
  { source: `${M} UserMentionPattern: wildcards are checked before names`, text: '@**all**', expect: ['mention *'], serverDecides: { 0: 'wildcardPolicy' } },
  { source: `${M} UserMentionPattern: name|id is not a wildcard`, text: `@**all|${NAMED_ALL}**`, expect: [`mention @${NAMED_ALL}`] },
  { source: `${T} test_possible_mentions`, text: '@**topic**', expect: ['mention topic'] },

  // Users.
  { source: `${T} test_mention_at_normal_user`, text: '@aaron test', expect: [] },
  { source: `${T} test_mention_single`, text: '@**King Hamlet**', expect: [`mention @${HAMLET}`], shownName: { 0: 'King Hamlet' } },
  { source: `${T} test_mention_single`, text: `@**|${HAMLET}**`, expect: [`mention @${HAMLET}`], shownName: { 0: 'King Hamlet' } },
  ...['(', '{', '[', '/', '<'].map((c) => ({ source: `${T} test_mention_with_valid_special_characters_before`, text: `${c}@**King Hamlet**`, expect: [`mention @${HAMLET}`] })),
  ...['.', ',', ';', ':', '#'].map((c) => ({ source: `${T} test_mention_with_invalid_special_characters_before`, text: `${c}@**King Hamlet**`, expect: [] })),
  { source: `${T} test_mention_silent`, text: '@_**King Hamlet**', expect: [`silent @${HAMLET}`], because: { 0: 'silentSyntax' } },
  { source: `${T} test_mention_deactivated_users`, text: '@**King Hamlet**', deactivate: [HAMLET], expect: [`silent @${HAMLET}`], because: { 0: 'deactivatedMember' } },
  { source: `${T} test_mention_silent_deactivated_users`, text: '@_**King Hamlet**', deactivate: [HAMLET], expect: [`silent @${HAMLET}`] },
  { source: `${T} test_mention_inaccessible_users (the member list leaves them out)`, text: '@**Othello, the Moor of Venice** @**King Hamlet** test message', remove: [OTHELLO], expect: ['text', `mention @${HAMLET}`] },
  { source: `${T} test_mention_inaccessible_users`, text: '@_**Othello, the Moor of Venice** @_**King Hamlet** test message', remove: [OTHELLO], expect: ['text', `silent @${HAMLET}`] },
  { source: `${T} test_mention_invalid_followed_by_valid`, text: '@**Invalid user** and @**King Hamlet**', expect: ['text', `mention @${HAMLET}`], because: { 0: 'unknownName' } },
  { source: `${T} test_invalid_mention_not_uses_valid_mention_data`, text: `@**King Hamlet|${HAMLET}** and @**aaron|${HAMLET}**`, expect: [`mention @${HAMLET}`, 'text'], because: { 1: 'idNameMismatch' } },
  { source: `${T} test_silent_mention_invalid_followed_by_valid`, text: '@_**Invalid user** and @_**King Hamlet**', expect: ['text', `silent @${HAMLET}`] },
  { source: `${T} test_silent_mention_invalid_followed_by_valid`, text: `@_**|123456789** and @_**|${HAMLET}**`, expect: ['text', `silent @${HAMLET}`], because: { 0: 'unknownId' } },
  { source: `${T} test_possible_mentions`, text: 'smush@**steve**smush', expect: [] },
  {
    source: `${T} test_possible_mentions`,
    text: `Hello @**King Hamlet**, @**|${AARON}** and @**Cordelia, Lear's daughter**\n@**Foo van Barson|1234** @**all**`,
    expect: [`mention @${HAMLET}`, `mention @${AARON}`, `mention @${CORDELIA}`, 'text', 'mention *'],
  },
  { source: `${T} test_mention_multiple`, text: "@**King Hamlet** and @**Cordelia, Lear's daughter**, check this out", expect: [`mention @${HAMLET}`, `mention @${CORDELIA}`] },
  {
    source: `${T} test_mention_in_quotes`,
    text: "> @**King Hamlet** and @**Othello, the Moor of Venice**\n\n @**King Hamlet** and @**Cordelia, Lear's daughter**",
    expect: [`silent @${HAMLET}`, `silent @${OTHELLO}`, `mention @${HAMLET}`, `mention @${CORDELIA}`],
  },
  { source: `${T} test_mention_in_quotes`, text: '```quote\n@**King Hamlet**\n```', expect: [`silent @${HAMLET}`], because: { 0: 'quoted' } },
  { source: `${T} test_mention_in_quotes`, text: '> @**King Hamlet**', expect: [`silent @${HAMLET}`] },
  { source: `${T} test_mention_in_quotes`, text: '```quote\n@_**King Hamlet**\n```', expect: [`silent @${HAMLET}`] },
  { source: `${T} test_mention_in_quotes`, text: '> @_**King Hamlet**', expect: [`silent @${HAMLET}`] },
  {
    source: `${T} test_mention_duplicate_full_name`,
    text: `@**Mark Twin|${TWIN1}**, @**Mark Twin|${TWIN2}** and @**Cordelia, Lear's daughter**, hi.`,
    expect: [`mention @${TWIN1}`, `mention @${TWIN2}`, `mention @${CORDELIA}`],
  },
  { source: `${MENTION} MentionData.get_user_by_name ("not dependable if two users of the same full name")`, text: '@**Mark Twin**', expect: ['mention @?'], serverDecides: { 0: 'whichOfSameName' } },
  { source: `${T} test_mention_invalid`, text: 'Hey @**Nonexistent User**', expect: ['text'] },
  { source: `${T} test_user_mention_atomic_string`, text: '@**Atomic #123**', expect: [`mention @${ATOMIC}`] },
  { source: `${T} test_user_mention_atomic_string`, text: '@_**Atomic #123**', expect: [`silent @${ATOMIC}`] },
  { source: `${MENTION} UserFilter.Q: full_name__iexact`, text: '@**king hamlet**', expect: [`mention @${HAMLET}`], shownName: { 0: 'King Hamlet' } },
  { source: `${M} UserMentionPattern: user.full_name != full_name`, text: `@**king hamlet|${HAMLET}**`, expect: ['text'], because: { 0: 'idNameMismatch' } },
  { source: `${M} UserMentionPattern: @**user_1_name|id_for_user_2** is invalid`, text: `@**Iago|${HAMLET}**`, expect: ['text'] },
  { source: `${M} UserMentionPattern: no user with that id`, text: '@**King Hamlet|999**', expect: ['text'], because: { 0: 'unknownId' } },
  { source: `${M} UserMentionPattern: (?P<full_name>.+)?\\|(?P<user_id>\\d+)$ (greedy name)`, text: `@**Pipe|12|${PIPE}**`, expect: [`mention @${PIPE}`], shownName: { 0: 'Pipe|12' } },
  { source: `${M} UserMentionPattern: a name with |digits reads as name|id`, text: '@**Pipe|12**', expect: ['text'], because: { 0: 'idNameMismatch' } },
  { source: `${MENTION} MENTIONS_RE: [^\\*]+ (no * in a name)`, text: '@**Star*Man**', expect: [] },
  { source: `${M} UserMentionPattern: @**|id** for any name`, text: `@**|${STAR}**`, expect: [`mention @${STAR}`], shownName: { 0: 'Star*Man' } },
  { source: `${MENTION} CROSS_REALM_BOT_EMAILS in get_full_name_info_list`, text: '@**Notification Bot**', expect: [`mention @${NOTIFICATION_BOT}`] },
  { source: `${MENTION} CROSS_REALM_BOT_EMAILS in get_full_name_info_list`, text: `@**|${NOTIFICATION_BOT}**`, expect: [`mention @${NOTIFICATION_BOT}`] },
  { source: `${M} UserMentionPattern: not user.is_active → silent`, text: `@**|${FORMER}**`, expect: [`silent @${FORMER}`], because: { 0: 'deactivatedMember' } },
  { source: `${M} UserMentionPattern: not user.is_active → silent`, text: '@**Former Member**', expect: [`silent @${FORMER}`] },
  { source: `${MENTION} get_full_name_info_list (bots are users)`, text: '@**Welcome Bot**', expect: [`mention @${WELCOME_BOT}`] },
  { source: `${MENTION} MENTIONS_RE: the lookbehind sees the * of the previous mention`, text: '@**King Hamlet**@**Iago**', expect: [`mention @${HAMLET}`] },
  { source: `${MENTION} MENTIONS_RE: [^\\*]+ crosses lines in a paragraph`, text: '@**King\nHamlet**', expect: ['text'] },
  { source: `${MENTION} BEFORE_MENTION_ALLOWED_REGEX: \\s`, text: 'cc\u00a0@**King Hamlet**', expect: [`mention @${HAMLET}`] },

  // Groups.
  { source: `${T} test_user_group_mention_single`, text: '@**King Hamlet** @*support*', expect: [`mention @${HAMLET}`, `mention g${SUPPORT}`] },
  { source: `${T} test_invalid_user_group_followed_by_valid_mention_single`, text: '@**King Hamlet** @*Invalid user group* @*support*', expect: [`mention @${HAMLET}`, 'text', `mention g${SUPPORT}`], because: { 1: 'unknownGroup' } },
  { source: `${T} test_user_group_mention_atomic_string`, text: '@**King Hamlet** @*support #123*', expect: [`mention @${HAMLET}`, `mention g${SUPPORT_123}`] },
  { source: `${T} test_possible_user_group_mentions`, text: 'smush@*steve*smush', expect: [] },
  {
    source: `${T} test_possible_user_group_mentions`,
    text: "@*support* Hello @**King Hamlet** and @**Cordelia, Lear's daughter**\n@**Foo van Barson** @**all**",
    expect: [`mention g${SUPPORT}`, `mention @${HAMLET}`, `mention @${CORDELIA}`, 'text', 'mention *'],
  },
  { source: `${T} test_possible_user_group_mentions`, text: 'Attention @*support*, @*frontend* and @*backend*\ngroups.', expect: [`mention g${SUPPORT}`, `mention g${FRONTEND}`, `mention g${BACKEND}`] },
  { source: `${T} test_possible_user_group_mentions`, text: 'I prefer @_*backend* over @_*frontend*,', expect: [`silent g${BACKEND}`, `silent g${FRONTEND}`] },
  { source: `${T} test_possible_user_group_mentions`, text: 'Attention @*frontend* please refer to @_*support*,', expect: [`mention g${FRONTEND}`, `silent g${SUPPORT}`] },
  { source: `${T} test_user_group_mention_multiple`, text: '@*support* and @*backend*, check this out', expect: [`mention g${SUPPORT}`, `mention g${BACKEND}`] },
  { source: `${T} test_user_group_mention_edit`, text: '@*support-invalid* edited', expect: ['text'] },
  { source: `${T} test_user_group_mention_edit`, text: '@_*support*', expect: [`silent g${SUPPORT}`] },
  { source: `${T} test_user_group_mention_edit`, text: '@_*role:administrators*', expect: [`silent g${ADMINS}`], shownName: { 0: 'Administrators' } },
  { source: `${T} test_user_group_mention_invalid`, text: 'Hey @*Nonexistent group*', expect: ['text'] },
  { source: `${T} test_user_group_silent_mention`, text: "We'll add you to @_*support* user group.", expect: [`silent g${SUPPORT}`] },
  { source: `${T} test_deactivated_user_group_mention`, text: "We'll add you to @*oldteam* user group.", expect: [`silent g${OLD_TEAM}`], because: { 0: 'deactivatedGroup' } },
  { source: `${T} test_user_group_mention_in_quotes`, text: '> @*backend*', expect: [`silent g${BACKEND}`], because: { 0: 'quoted' } },
  { source: `${T} test_user_group_mention_in_quotes`, text: '> @_*backend*', expect: [`silent g${BACKEND}`] },
  { source: `${T} test_user_group_mention_in_quotes`, text: '```quote\n@*backend*\n```', expect: [`silent g${BACKEND}`] },
  { source: `${T} test_user_group_mention_in_quotes`, text: '```quote\n@_*backend*\n```', expect: [`silent g${BACKEND}`] },
  { source: `${MENTION} init_user_group_data: name__in (exact)`, text: '@*Design*', expect: [`mention g${DESIGN}`] },
  { source: `${MENTION} init_user_group_data: name__in (exact)`, text: '@*design*', expect: ['text'], because: { 0: 'groupCase' } },
  { source: 'zulip.yaml can_mention_group (sending is refused)', text: '@*leads*', expect: [`mention g${LEADS}`], refused: [0] },
  { source: 'zulip.yaml can_mention_group (silent mentions are allowed)', text: '@_*leads*', expect: [`silent g${LEADS}`] },
  { source: `${M} build_inlinepatterns: tex (90) before usergroupmention (65)`, text: '$$ @*support* $$', expect: [] },
  { source: `${M} build_inlinepatterns: usermention (95) before tex (90)`, text: '$$ @**King Hamlet** $$', expect: [`mention @${HAMLET}`] },
  { source: `${M} build_inlinepatterns: timestamp (75) before usergroupmention (65)`, text: '<time: @*support*>', expect: [] },

  // Code.
  { source: `${M} build_inlinepatterns: backtick (105) first`, text: '`@**King Hamlet**`', expect: [] },
  { source: `${M} build_inlinepatterns: backtick (105) first`, text: 'see ``x @**King Hamlet** y`` and @**Iago**', expect: [`mention @${IAGO}`] },
  { source: 'Python-Markdown BACKTICK_RE with re.DOTALL: a code span crosses lines', text: 'a `x\n@**King Hamlet**\ny` @**Iago**', expect: [`mention @${IAGO}`] },
  { source: `${F} FENCE_RE, CodeHandler`, text: '```\n@**King Hamlet**\n```\n@**Iago**', expect: [`mention @${IAGO}`] },
  { source: `${F} FENCE_RE (~~~)`, text: '~~~\n@**King Hamlet**\n~~~', expect: [] },
  { source: `${F} FENCE_RE (language)`, text: '```python\n@**King Hamlet**\n```', expect: [] },
  { source: `${F} FencedBlockPreprocessor.run: unclosed fences end with the message`, text: '```\n@**King Hamlet**', expect: [] },
  { source: `${F} ZulipBaseHandler.handle_line: only the same fence closes`, text: '````\n```\n@**King Hamlet**\n```\n````\n@**Iago**', expect: [`mention @${IAGO}`] },
  { source: `${F} SpoilerHandler (contents are Markdown)`, text: '```spoiler Secret\n@**King Hamlet**\n```', expect: [`mention @${HAMLET}`] },
  { source: `${F} TexHandler`, text: '```math\n@**King Hamlet**\n```', expect: [] },
  { source: `${F} QuoteHandler (~~~quote)`, text: '~~~quote\n@**King Hamlet**\n~~~', expect: [`silent @${HAMLET}`] },
  { source: `${F} generic_handler ("quoted")`, text: '```quoted\n@**King Hamlet**\n```', expect: [`silent @${HAMLET}`] },
  { source: `${F} QuoteHandler: nested fences`, text: '````quote\n```\n@**King Hamlet**\n```\n````', expect: [] },
  { source: `${F} QuoteHandler: nested quote`, text: '````quote\n```quote\n@**King Hamlet**\n```\n````', expect: [`silent @${HAMLET}`] },
  { source: `${F} FENCE_RE: ^ (an indented fence is not one; the backticks make a code span)`, text: ' ```\n@**King Hamlet**\n ```', expect: [] },
  { source: `${T} test_default_code_block_language (quote)`, text: '```\n@**King Hamlet**\n```', defaultCodeBlockLanguage: 'quote', expect: [`silent @${HAMLET}`] },
  { source: `${T} test_default_code_block_language (math)`, text: '```\n@**King Hamlet**\n```\n@**Iago**', defaultCodeBlockLanguage: 'math', expect: [`mention @${IAGO}`] },
  { source: `${T} test_disabled_code_block_processor`, text: 'Hello,\n\n    @**King Hamlet**', expect: [] },
  { source: 'Python-Markdown ParagraphProcessor: an indented line continues a paragraph', text: 'Hello,\n    @**King Hamlet**', expect: [`mention @${HAMLET}`] },
  { source: 'Python-Markdown NormalizeWhitespace: a tab is 4 columns', text: '\t@**King Hamlet**', expect: [] },
  { source: 'Python-Markdown CodeBlockProcessor: the rest of the block is a new block', text: '    code\n@**King Hamlet**', expect: [`mention @${HAMLET}`] },

  // Quotes.
  { source: `${M} BlockQuoteProcessor.RE: [ ]?`, text: '>@**King Hamlet**', expect: [`silent @${HAMLET}`] },
  { source: `${M} BlockQuoteProcessor.RE: [ ]{0,3}`, text: '   > @**King Hamlet**', expect: [`silent @${HAMLET}`] },
  { source: 'Python-Markdown CodeBlockProcessor (85) before quote (55)', text: '    > @**King Hamlet**', expect: [] },
  { source: `${M} BlockQuoteProcessor: nested`, text: '> > @**King Hamlet**', expect: [`silent @${HAMLET}`] },
  { source: `${M} BlockQuoteProcessor.run: to the end of the block (lazy lines)`, text: '> quote\n@**King Hamlet**', expect: [`silent @${HAMLET}`] },
  { source: `${M} BlockQuoteProcessor (a blank line ends the quote)`, text: '> quote\n\n@**King Hamlet**', expect: [`mention @${HAMLET}`] },
  { source: `${M} BlockQuoteProcessor.RE: search (a quote may start inside a block)`, text: 'text @**Iago**\n> @**King Hamlet**', expect: [`mention @${IAGO}`, `silent @${HAMLET}`] },
  { source: `${M} BlockQuoteProcessor: the quote's content is Markdown (indented code)`, text: '>     @**King Hamlet**', expect: [] },
  { source: `${M} UListProcessor`, text: '- @**King Hamlet**', expect: [`mention @${HAMLET}`] },
  { source: `${M} UListProcessor (item text is parsed as blocks)`, text: '- > @**King Hamlet**\n- @**Iago**', expect: [`silent @${HAMLET}`, `mention @${IAGO}`] },
  { source: `${M} HashHeaderProcessor`, text: '# @**King Hamlet**', expect: [`mention @${HAMLET}`] },

  // Documents that are not Markdown.
  { source: 'plain text: mentions anywhere on a line', kind: 'plain', text: '> @**King Hamlet**', expect: [`mention @${HAMLET}`], asMarkdown: { 0: 'quoted' } },
  { source: 'plain text: mentions anywhere on a line', kind: 'plain', text: '    // @**King Hamlet**', expect: [`mention @${HAMLET}`], asMarkdown: { 0: 'code' } },
  { source: 'plain text: mentions anywhere on a line', kind: 'plain', text: 'x ` @**King Hamlet** `', expect: [`mention @${HAMLET}`], asMarkdown: { 0: 'code' } },
  { source: 'plain text: no Markdown fences', kind: 'plain', text: '```\n@**King Hamlet**\n```', expect: [`mention @${HAMLET}`], asMarkdown: { 0: 'code' } },
  { source: 'plain text: the same as Markdown outside code and quotes', kind: 'plain', text: '# fix by @**Iago**', expect: [`mention @${IAGO}`], asMarkdown: {} },
];
