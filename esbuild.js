// Bundles the extension into one CommonJS file for VS Code, and the integration suite into
// another (it runs inside the extension host, next to the extension).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the form VS Code's problem matcher ($esbuild-watch) understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * node-fetch reads multipart bodies (Response.formData) with a 4 KB parser it imports on first
 * use; the client never asks for one, so a stub that says so stands in for it.
 */
const noMultipartParser = {
  name: 'no-multipart-parser',
  setup(build) {
    build.onResolve({ filter: /\/multipart-parser\.js$/ }, (args) => (args.importer.includes('node-fetch') ? { path: args.path, namespace: 'no-multipart' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'no-multipart' }, () => ({
      contents: "export function toFormData() { throw new Error('Zulip for VS Code reads no multipart bodies'); }",
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    // fetch-blob (under node-fetch) loads this streams polyfill only where globalThis.ReadableStream
    // is missing; VS Code's Node always has it, so the 60 KB polyfill stays out of the bundle.
    external: ['vscode', 'web-streams-polyfill/*'],
    outfile: 'dist/extension.js',
    minify: production,
    plugins: [...common.plugins, noMultipartParser],
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
    metafile: true,
  },
];

// The integration suite is test code: never part of a release build.
if (!production) {
  // One output file per test file: index.js hands them to Mocha one by one. Mocha is loaded
  // from node_modules at run time (it reads its own files from disk).
  targets.push({
    ...common,
    entryPoints: ['test/integration/index.ts', 'test/integration/*.test.ts'],
    outbase: 'test/integration',
    outdir: 'out/integration',
    // `proxy` is an ES module that finds its own files through import.meta.url: imported at run time.
    external: ['vscode', 'mocha', 'proxy'],
  });
}

async function main() {
  const contexts = await Promise.all(targets.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
