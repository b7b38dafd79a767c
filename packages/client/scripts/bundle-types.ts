/**
 * Writes dist/index.d.ts with the router's types inlined: a project that installs the client has no
 * @chatsynth/api to import them from (it is private), and without them every call would be `any`.
 *
 * Two steps. tsc emits the declarations of the client and of the workspace code it reaches, exactly
 * as the workspace's own type check sees them. rollup-plugin-dts then bundles them from the client's
 * entry, keeping only what the client's types reach; every package the result imports must be a
 * dependency of the client. The one thing it must not follow is the server's request context (the
 * database, the session), which no caller ever sees: it reads as `object` (server-context.d.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup, type Plugin } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const workspace = join(root, '../..');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const dependencies = Object.keys(pkg.dependencies);
const isDependency = (id: string) => dependencies.some((name) => id === name || id.startsWith(`${name}/`));
/**
 * Workspace code is inlined, and so are tRPC's types: @trpc/client's own declarations reach its
 * WebSocket link, whose types import `ws` in a form current @types/ws no longer has, so a project
 * checking its libraries (skipLibCheck off) would fail inside tRPC (trpc/trpc#6136). Inlined, only
 * the declarations the client's types use come along. Every other package stays an import.
 */
const inlined = (id: string) => id.startsWith('@chatsynth/') || id.startsWith('@trpc/') || id.startsWith('.') || id.startsWith('/');
const isExternal = (id: string) => !inlined(id);

const requireHere = createRequire(join(root, 'package.json'));
const out = await mkdtemp(join(tmpdir(), 'chatsynth-client-types-'));
try {
  const tsc = requireHere.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'scripts/tsconfig.types.json'), '--outDir', out], { stdio: 'inherit' });
  /** Where tsc put the declarations of a workspace source file. */
  const declarationOf = (source: string) => join(out, relative(workspace, source)).replace(/\.ts$/, '.d.ts');

  const serverContext = join(root, 'scripts/server-context.d.ts');
  const workspaceDeclarations: Plugin = {
    name: 'workspace-declarations',
    async resolveId(source, importer) {
      if (source === './context' && importer?.startsWith(join(out, 'packages/api/src/'))) return serverContext;
      if (source.startsWith('@trpc/')) {
        // Their declarations, as TypeScript finds them from the client (the emitted files have no node_modules).
        const found = ts.resolveModuleName(source, join(root, 'src/index.ts'), { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }, ts.sys);
        return found.resolvedModule?.resolvedFileName ?? null;
      }
      if (!source.startsWith('@chatsynth/')) return null;
      // The package's own source file (through its exports map), then the declarations tsc made of it.
      return declarationOf(await realpath(requireHere.resolve(source)));
    },
  };

  const bundle = await rollup({
    input: declarationOf(join(root, 'src/index.ts')),
    external: isExternal,
    plugins: [workspaceDeclarations, dts({ respectExternal: true })],
  });
  const { output } = await bundle.generate({ format: 'es' });
  const { code, imports } = output[0];
  const stray = imports.filter((id) => !isDependency(id));
  if (stray.length) throw new Error(`dist/index.d.ts would import ${stray.join(', ')}, which an installed client does not have`);
  if (/\bContextInner\b(?! = object)/.test(code) && !code.includes('type ContextInner = object')) throw new Error('the server context leaked into the types');
  await bundle.write({ file: join(root, 'dist/index.d.ts'), format: 'es' });
  console.log(`dist/index.d.ts: ${(code.length / 1024).toFixed(0)} KB, importing only ${imports.join(', ')}`);
} finally {
  await rm(out, { recursive: true, force: true });
}
