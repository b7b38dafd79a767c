// The entry points the web app bundles must not reach Node's APIs or the streaming/zip libraries:
// Vite would either fail on them or ship shims for code the browser never runs.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const ALLOWED_PACKAGES = new Set(['zod']);
const NODE_GLOBALS = new Set(['Buffer', 'process', 'require', '__dirname', '__filename', 'global']);

type Reach = { files: string[]; packages: string[]; nodeGlobals: string[] };

/** Every module an entry loads at run time (type-only imports are erased, so they do not count). */
function reach(entry: string): Reach {
  const result: Reach = { files: [], packages: [], nodeGlobals: [] };
  const pending = [resolve(src, entry)];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    result.files.push(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      let specifier: ts.Expression | undefined;
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) specifier = node.moduleSpecifier;
      if (ts.isExportDeclaration(node) && !node.isTypeOnly) specifier = node.moduleSpecifier;
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) specifier = node.arguments[0];
      if (specifier !== undefined && ts.isStringLiteral(specifier)) {
        const name = specifier.text;
        if (name.startsWith('.')) pending.push(resolve(dirname(file), name.endsWith('.ts') ? name : `${name}.ts`));
        else result.packages.push(name);
      }
      if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
        const parent = node.parent;
        const isMemberName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
        if (!isMemberName) result.nodeGlobals.push(`${node.text} in ${file}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return result;
}

describe.each(['text.ts', 'canonical.ts'])('src/%s is safe to bundle for the browser', (entry) => {
  const reached = reach(entry);

  it('imports no package but zod, and none of Node', () => {
    expect(reached.packages.filter((name) => !ALLOWED_PACKAGES.has(name))).toEqual([]);
  });

  it("uses none of Node's globals", () => {
    expect(reached.nodeGlobals).toEqual([]);
  });

  it('stays clear of the file readers', () => {
    const relative = reached.files.map((file) => file.slice(src.length + 1));
    expect(relative.filter((file) => file.startsWith('io/') || /^(open-export|read-export|read-unit|sniff)\.ts$/.test(file))).toEqual([]);
  });
});

it('src/text.ts exports the text parsers and nothing else', async () => {
  expect(Object.keys(await import('../src/text')).sort()).toEqual(['parseMarkdownTranscript', 'parseOpenAIConversation']);
});
