import { Fragment, type ReactNode } from 'react';
import type { Code, Definition, Nodes, Parents, Root, Table } from 'mdast';
import { alignText, buildLeaves, type Piece } from '../../lib/markdown-pieces';
import { safeHref } from '../../lib/markdown-parse';
import type { Mark } from '../../lib/message-segments';
import { CodeBlock } from './code-block';
import { renderLeaves } from './leaves';

/**
 * Markdown to React, by hand. Every element is one React creates from a fixed list, every string a
 * React text node, so nothing in a log becomes HTML: raw HTML is shown as the text it is, a link
 * opens only an http(s) or mailto address, an image is a named chip that never loads. Every text
 * node sits in a span carrying its offset in the raw message (see markdown-pieces), so annotation
 * marks, selections and search highlights work on the rendered Markdown as on plain text.
 */

type Context = { raw: string; marks: readonly Mark[]; definitions: Map<string, Definition> };

const LINK_REL = 'noopener noreferrer nofollow';

function startOf(node: Nodes): number | undefined {
  return node.position?.start.offset;
}

function endOf(node: Nodes): number | undefined {
  return node.position?.end.offset;
}

/** `value` as shown for the source `[from, node end)`, cut at marks, as offset-carrying spans. */
function textOf(ctx: Context, node: Nodes, value: string, from = startOf(node)): ReactNode[] {
  const end = endOf(node);
  if (from === undefined || end === undefined) return [value];
  return renderLeaves(buildLeaves(alignText(ctx.raw, from, end, value), ctx.marks));
}

/** Where the code of a fenced block starts: after its opening fence line (an indented block has none). */
function codeStart(raw: string, node: Code): number | undefined {
  const start = startOf(node);
  const end = endOf(node);
  if (start === undefined || end === undefined) return undefined;
  const head = raw.slice(start, end);
  if (!/^[ \t]{0,3}(?:`{3,}|~{3,})/.test(head)) return start;
  const lineEnd = /\r\n|\r|\n/.exec(head);
  return lineEnd ? start + lineEnd.index + lineEnd[0].length : end;
}

function collectDefinitions(node: Nodes, into: Map<string, Definition>) {
  if (node.type === 'definition') {
    if (!into.has(node.identifier)) into.set(node.identifier, node);
    return;
  }
  if ('children' in node) for (const child of node.children) collectDefinitions(child, into);
}

function children(ctx: Context, node: Parents): ReactNode[] {
  return node.children.map((child, index) => renderNode(ctx, child, index, node));
}

function link(ctx: Context, url: string | null | undefined, title: string | null | undefined, content: ReactNode[], key: number): ReactNode {
  const href = safeHref(url);
  if (!href) {
    // Not an address a log may open (javascript:, data:, a path into this app): its text only.
    return (
      <span key={key} className="md-link-blocked">
        {content}
      </span>
    );
  }
  return (
    <a key={key} href={href} title={title ?? undefined} target="_blank" rel={LINK_REL}>
      {content}
    </a>
  );
}

/** An image is never loaded from a log (it would tell its host the log was read): a chip naming it. */
function imageChip(ctx: Context, node: Nodes, alt: string | null | undefined, url: string | null | undefined, key: number): ReactNode {
  const start = startOf(node);
  const label = alt ? textOf(ctx, node, alt, start === undefined ? undefined : start + 2) : [url || 'image'];
  const href = safeHref(url);
  return (
    <span key={key} className="md-image-chip">
      <span className="md-chip-kind">Image</span>{' '}
      {href ? (
        <a href={href} target="_blank" rel={LINK_REL}>
          {label}
        </a>
      ) : (
        label
      )}
    </span>
  );
}

function table(ctx: Context, node: Table, key: number): ReactNode {
  const [head, ...body] = node.children;
  const align = (i: number) => node.align?.[i] ?? undefined;
  return (
    // Focusable so a wide table can be scrolled sideways from the keyboard.
    <div key={key} className="md-table-scroll" tabIndex={0}>
      <table className="md-table">
        {head ? (
          <thead>
            <tr>
              {head.children.map((cell, i) => (
                <th key={i} scope="col" style={{ textAlign: align(i) }}>
                  {children(ctx, cell)}
                </th>
              ))}
            </tr>
          </thead>
        ) : null}
        {body.length ? (
          <tbody>
            {body.map((row, r) => (
              <tr key={r}>
                {row.children.map((cell, i) => (
                  <td key={i} style={{ textAlign: align(i) }}>
                    {children(ctx, cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        ) : null}
      </table>
    </div>
  );
}

function renderNode(ctx: Context, node: Nodes, key: number, parent?: Parents): ReactNode {
  switch (node.type) {
    case 'root':
      return children(ctx, node);
    case 'paragraph':
      return (
        <p key={key} className="md-p">
          {children(ctx, node)}
        </p>
      );
    case 'heading': {
      // The page has its h1 and h2s: a message's headings rank below them, styled by their depth.
      const Tag = `h${Math.min(6, node.depth + 2)}` as 'h3';
      return (
        <Tag key={key} className={`md-heading md-h${node.depth}`}>
          {children(ctx, node)}
        </Tag>
      );
    }
    case 'text':
      return <Fragment key={key}>{textOf(ctx, node, node.value)}</Fragment>;
    case 'emphasis':
      return <em key={key}>{children(ctx, node)}</em>;
    case 'strong':
      return <strong key={key}>{children(ctx, node)}</strong>;
    case 'delete':
      return <del key={key}>{children(ctx, node)}</del>;
    case 'inlineCode': {
      let from = startOf(node);
      while (from !== undefined && ctx.raw[from] === '`') from++;
      return (
        <code key={key} className="md-code">
          {textOf(ctx, node, node.value, from)}
        </code>
      );
    }
    case 'break':
      return <br key={key} />;
    case 'thematicBreak':
      return <hr key={key} className="md-rule" />;
    case 'blockquote':
      return (
        <blockquote key={key} className="md-quote">
          {children(ctx, node)}
        </blockquote>
      );
    case 'list': {
      const items = children(ctx, node);
      const className = `md-list${node.spread ? '' : ' md-tight'}`;
      return node.ordered ? (
        <ol key={key} className={className} start={node.start ?? undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key} className={className}>
          {items}
        </ul>
      );
    }
    case 'listItem': {
      const task = typeof node.checked === 'boolean';
      return (
        <li key={key} className={task ? 'md-task' : undefined}>
          {task ? <input type="checkbox" className="md-task-box" checked={node.checked === true} disabled aria-label={node.checked ? 'Done' : 'To do'} /> : null}
          {children(ctx, node)}
        </li>
      );
    }
    case 'code': {
      const from = codeStart(ctx.raw, node);
      const end = endOf(node);
      const pieces: Piece[] | undefined = from !== undefined && end !== undefined ? alignText(ctx.raw, from, end, node.value) : undefined;
      return <CodeBlock key={key} code={node.value} language={node.lang ?? null} pieces={pieces} marks={ctx.marks} />;
    }
    case 'html': {
      // Raw HTML from a log is shown as the text it is, never parsed.
      const inline = parent !== undefined && !['root', 'blockquote', 'listItem', 'footnoteDefinition'].includes(parent.type);
      return inline ? (
        <span key={key} className="md-html">
          {textOf(ctx, node, node.value)}
        </span>
      ) : (
        <p key={key} className="md-p md-html">
          {textOf(ctx, node, node.value)}
        </p>
      );
    }
    case 'link':
      return link(ctx, node.url, node.title, children(ctx, node), key);
    case 'linkReference': {
      const definition = ctx.definitions.get(node.identifier);
      return definition ? link(ctx, definition.url, definition.title, children(ctx, node), key) : <span key={key}>{children(ctx, node)}</span>;
    }
    case 'image':
      return imageChip(ctx, node, node.alt, node.url, key);
    case 'imageReference':
      return imageChip(ctx, node, node.alt, ctx.definitions.get(node.identifier)?.url, key);
    case 'definition':
      // Shown where it is used, as platforms do.
      return null;
    case 'table':
      return table(ctx, node, key);
    case 'footnoteReference': {
      const start = startOf(node);
      const end = endOf(node);
      const source = start !== undefined && end !== undefined ? ctx.raw.slice(start, end) : `[^${node.label ?? node.identifier}]`;
      return (
        <sup key={key} className="md-footnote-ref">
          {textOf(ctx, node, source)}
        </sup>
      );
    }
    case 'footnoteDefinition':
      return (
        <div key={key} className="md-footnote">
          <span className="md-footnote-label">{node.label ?? node.identifier}:</span> {children(ctx, node)}
        </div>
      );
    default: {
      // A node type this renderer does not know (a future extension): its children, or its source as text.
      const other = node as Nodes;
      if ('children' in other) return <span key={key}>{children(ctx, other)}</span>;
      const start = startOf(other);
      const end = endOf(other);
      return start !== undefined && end !== undefined ? <span key={key}>{textOf(ctx, other, ctx.raw.slice(start, end))}</span> : null;
    }
  }
}

/** The Markdown tree of `raw` as React elements, with `marks` (annotations) over raw offsets. */
export function renderMarkdown(raw: string, tree: Root, marks: readonly Mark[]): ReactNode {
  const definitions = new Map<string, Definition>();
  collectDefinitions(tree, definitions);
  return renderNode({ raw, marks, definitions }, tree, 0);
}
