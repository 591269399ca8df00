// Times loading the extension bundle and its activate() in plain Node, with a stand-in `vscode`
// module (the real extension host is not scriptable from a benchmark). One process per
// measurement, so the module load is cold as in a new window. Prints one JSON line:
//   {"loadMs":…, "activateMs":…, "subscriptions":…, "commands":…}
// Usage: node bench/activate.cjs <bundle.js> [--account]
//   --account: one signed-in account is stored (its organization then starts loading, which
//   activate() only kicks off).
'use strict';
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const bundle = path.resolve(process.argv[2]);
const withAccount = process.argv.includes('--account');

// ---- The stand-in `vscode` module ----
// Everything the extension touches at activation is answered: explicit classes where the code
// relies on their behaviour (EventEmitter, Disposable, Uri, configuration), and a permissive
// proxy for the rest (any property is a function returning a disposable-like object).

const registeredCommands = new Set();

function permissive(name) {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'dispose') return () => undefined;
      if (!cache.has(prop)) cache.set(prop, permissive(`${name}.${String(prop)}`));
      return cache.get(prop);
    },
    set(_t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    apply() {
      return permissive(`${name}()`);
    },
    construct() {
      return permissive(`new ${name}`);
    },
  });
}

class Disposable {
  constructor(fn) {
    this.fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((d) => d && d.dispose && d.dispose()));
  }
  dispose() {
    if (this.fn) this.fn();
    this.fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener, thisArg) => {
      const bound = thisArg ? listener.bind(thisArg) : listener;
      this.listeners.add(bound);
      return new Disposable(() => this.listeners.delete(bound));
    };
  }
  fire(value) {
    for (const l of [...this.listeners]) l(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

class Uri {
  constructor(scheme, authority, pathPart, query, fragment) {
    Object.assign(this, { scheme, authority, path: pathPart, query: query || '', fragment: fragment || '' });
  }
  get fsPath() {
    return this.path;
  }
  static file(p) {
    return new Uri('file', '', p);
  }
  static parse(text) {
    const u = new URL(text);
    return new Uri(u.protocol.replace(/:$/, ''), u.host, u.pathname, u.search.slice(1), u.hash.slice(1));
  }
  static from(parts) {
    return new Uri(parts.scheme, parts.authority || '', parts.path || '', parts.query, parts.fragment);
  }
  static joinPath(base, ...segments) {
    return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...segments), base.query, base.fragment);
  }
  with(change) {
    return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString() {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
}

class Memento {
  constructor(values = {}) {
    this.values = new Map(Object.entries(values));
  }
  get(key, fallback) {
    return this.values.has(key) ? this.values.get(key) : fallback;
  }
  keys() {
    return [...this.values.keys()];
  }
  update(key, value) {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
  setKeysForSync() {}
}

class SecretStorage {
  constructor(values = {}) {
    this.values = new Map(Object.entries(values));
    this.changed = new EventEmitter();
    this.onDidChange = this.changed.event;
  }
  get(key) {
    return Promise.resolve(this.values.get(key));
  }
  store(key, value) {
    this.values.set(key, value);
    return Promise.resolve();
  }
  delete(key) {
    this.values.delete(key);
    return Promise.resolve();
  }
  keys() {
    return Promise.resolve([...this.values.keys()]);
  }
}

const configuration = {
  get: (_key, fallback) => fallback,
  has: () => false,
  inspect: () => undefined,
  update: () => Promise.resolve(),
};

/**
 * A class the code constructs (TreeItem, ThemeIcon, MarkdownString…): keeps its arguments and
 * what is assigned; any method it lacks (appendText…) does nothing and returns the object.
 */
function plainClass(name) {
  return {
    [name]: class {
      constructor(...args) {
        this.args = args;
        const self = new Proxy(this, {
          get(target, prop, receiver) {
            if (prop in target || typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON') return Reflect.get(target, prop, receiver);
            return () => self;
          },
        });
        return self;
      }
    },
  }[name];
}

const vscode = {
  version: '1.100.0',
  Disposable,
  EventEmitter,
  Uri,
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  CompletionItemKind: { Text: 0, Keyword: 13, User: 29, Reference: 17 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  // Read at load (the fix-all kind is built from SourceFixAll).
  CodeActionKind: permissive('vscode.CodeActionKind'),
  workspace: Object.assign(permissive('vscode.workspace'), {
    getConfiguration: () => configuration,
    onDidChangeConfiguration: () => new Disposable(),
  }),
  commands: Object.assign(permissive('vscode.commands'), {
    registerCommand: (id) => {
      registeredCommands.add(id);
      return new Disposable(() => registeredCommands.delete(id));
    },
    executeCommand: () => Promise.resolve(undefined),
  }),
  env: Object.assign(permissive('vscode.env'), { language: 'en', machineId: 'bench', sessionId: 'bench' }),
  window: permissive('vscode.window'),
  languages: permissive('vscode.languages'),
  authentication: permissive('vscode.authentication'),
  extensions: permissive('vscode.extensions'),
  l10n: { t: (message) => (typeof message === 'string' ? message : message.message) },
};
for (const name of [
  'TreeItem',
  'ThemeIcon',
  'ThemeColor',
  'MarkdownString',
  'Range',
  'Position',
  'Hover',
  'CompletionItem',
  'CompletionList',
  'FileDecoration',
  'CancellationTokenSource',
  'Diagnostic',
  'CodeAction',
  'WorkspaceEdit',
]) {
  vscode[name] = plainClass(name);
}

// Resolve `vscode` to the stand-in, as the extension host does for the real API.
const STUB_ID = path.join(os.tmpdir(), '__zulip_bench_vscode__.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? STUB_ID : resolve.call(this, request, ...rest);
};
const stubModule = new Module(STUB_ID);
stubModule.filename = STUB_ID;
stubModule.loaded = true;
stubModule.exports = vscode;
require.cache[STUB_ID] = stubModule;

// ---- The extension context ----

const storage = path.join(os.tmpdir(), `zulip-bench-storage-${process.pid}`);
const site = 'http://127.0.0.1:9';
const accountId = `${site}|bench@example.com`;
const account = {
  id: accountId,
  site,
  email: 'bench@example.com',
  userId: 8,
  fullName: 'Bench Mark',
  realmName: 'Bench',
  featureLevel: 372,
  zulipVersion: '10.2',
};
const globalState = new Memento(withAccount ? { 'zulip.accounts': [account], 'zulip.defaultAccount': accountId, 'zulip.environmentImportOffered': true } : {});
const secrets = new SecretStorage(withAccount ? { [`zulip.apiKey:${accountId}`]: 'x'.repeat(32) } : {});
const packageJSON = require(path.join(__dirname, '..', 'package.json'));
const extensionUri = Uri.file(path.join(__dirname, '..'));
const context = {
  subscriptions: [],
  globalState,
  workspaceState: new Memento(),
  secrets,
  extensionUri,
  extensionPath: extensionUri.fsPath,
  globalStorageUri: Uri.file(storage),
  storageUri: Uri.file(path.join(storage, 'workspace')),
  logUri: Uri.file(path.join(storage, 'logs')),
  extensionMode: 1,
  extension: { id: 'zulip-for-vscode.zulip', packageJSON, extensionUri, extensionPath: extensionUri.fsPath },
  environmentVariableCollection: permissive('environmentVariableCollection'),
  asAbsolutePath: (p) => path.join(extensionUri.fsPath, p),
};

// The environment-import offer reads these; a benchmark machine may have them set.
for (const name of ['ZULIP_CONFIG', 'ZULIP_SITE', 'ZULIP_EMAIL', 'ZULIP_API_KEY']) delete process.env[name];

const t0 = performance.now();
const extension = require(bundle);
const t1 = performance.now();
extension.activate(context);
const t2 = performance.now();
process.stdout.write(
  JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, subscriptions: context.subscriptions.length, commands: registeredCommands.size }) + '\n',
);
// Whatever activate() started (an organization's first load) is not part of activation.
process.exit(0);
