// Several tools store a conversation as a tree (edits and regenerations fork it). This walks the
// branch the person last saw and collects the others, iteratively and cycle-safe, for any of them.

export type TreeNode = {
  id: string;
  /** null for a root; an id missing from the tree counts as a root too, with a note. */
  parentId: string | null;
  /** Tie-break and "latest" order: larger is newer. */
  order: number;
};

export type TreePath = {
  /** Root first. */
  ids: string[];
  notes: string[];
};

/** Follows parent links up from `leafId`, stopping at a root, a missing parent or a cycle. */
export function pathToRoot(nodes: ReadonlyMap<string, TreeNode>, leafId: string): TreePath {
  const ids: string[] = [];
  const notes: string[] = [];
  const visited = new Set<string>();
  let current: string | null = leafId;
  while (current !== null) {
    if (visited.has(current)) {
      notes.push(`parent links form a cycle at node ${current}; the conversation starts after it`);
      break;
    }
    const node = nodes.get(current);
    if (node === undefined) {
      if (current !== leafId) notes.push(`node ${ids[ids.length - 1] ?? leafId} points to missing parent ${current}`);
      break;
    }
    visited.add(current);
    ids.push(current);
    current = node.parentId;
  }
  ids.reverse();
  return { ids, notes };
}

export function childrenByParent(nodes: ReadonlyMap<string, TreeNode>): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const node of nodes.values()) {
    if (node.parentId === null || !nodes.has(node.parentId) || node.parentId === node.id) continue;
    const list = children.get(node.parentId);
    if (list === undefined) children.set(node.parentId, [node.id]);
    else list.push(node.id);
  }
  return children;
}

/** The newest leaf: what a tool without a "current node" pointer shows as the conversation. */
export function latestLeaf(nodes: ReadonlyMap<string, TreeNode>): string | undefined {
  const children = childrenByParent(nodes);
  let best: TreeNode | undefined;
  for (const node of nodes.values()) {
    if (children.has(node.id)) continue;
    if (best === undefined || node.order >= best.order) best = node;
  }
  return best?.id;
}

export type Branch = {
  /** The node on an already-kept chain the branch grows from; null when it is a separate root. */
  forkAfter: string | null;
  leafId: string;
  /** Root-most first, excluding `forkAfter`. */
  ids: string[];
};

export type Branches = {
  branches: Branch[];
  /** Nodes on no leaf's chain, e.g. inside a parent-link cycle. */
  unreachable: string[];
};

/**
 * Every node off the main path lands in exactly one branch: each leaf, oldest first, contributes the
 * chain from itself up to the first node already kept, so nested forks do not repeat their prefixes.
 */
export function alternativeBranches(nodes: ReadonlyMap<string, TreeNode>, mainPath: readonly string[]): Branches {
  const kept = new Set(mainPath);
  const children = childrenByParent(nodes);
  const leaves = [...nodes.values()]
    .filter((node) => !children.has(node.id) && !kept.has(node.id))
    .sort((a, b) => a.order - b.order);
  const branches: Branch[] = [];
  for (const leaf of leaves) {
    const chain: string[] = [];
    const seen = new Set<string>();
    let current: string | null = leaf.id;
    let forkAfter: string | null = null;
    while (current !== null) {
      if (kept.has(current)) {
        forkAfter = current;
        break;
      }
      const node = nodes.get(current);
      if (node === undefined || seen.has(current)) break;
      seen.add(current);
      chain.push(current);
      current = node.parentId;
    }
    if (chain.length === 0) continue;
    for (const id of chain) kept.add(id);
    branches.push({ forkAfter, leafId: leaf.id, ids: chain.reverse() });
  }
  const unreachable = [...nodes.keys()].filter((id) => !kept.has(id));
  return { branches, unreachable };
}

/** Alternative branches are kept for reference, not for display; a bound keeps one pathological tree small. */
export const MAX_BRANCH_MESSAGES = 2000;

export type BranchMetadata<M> = {
  /** Tree node the branch forks from (null: a separate root). */
  forkAfter: string | null;
  /** How many messages of the main conversation come before the fork. */
  afterMessageCount: number | null;
  leafId: string;
  messages: M[];
};

export type DescribedBranches<M> = { branches: BranchMetadata<M>[]; problems: string[] };

/**
 * Turns branches into metadata with the caller's message conversion; `countBefore` maps a main-path
 * node id to the number of kept messages up to and including it.
 */
export function describeBranches<M>(
  found: Branches,
  convert: (ids: string[]) => M[],
  countBefore: ReadonlyMap<string, number>,
): DescribedBranches<M> {
  const branches: BranchMetadata<M>[] = [];
  const problems: string[] = [];
  let kept = 0;
  let omitted = 0;
  for (const branch of found.branches) {
    const messages = convert(branch.ids);
    if (messages.length === 0) continue;
    if (kept + messages.length > MAX_BRANCH_MESSAGES) {
      omitted += messages.length;
      continue;
    }
    kept += messages.length;
    branches.push({
      forkAfter: branch.forkAfter,
      afterMessageCount: branch.forkAfter === null ? null : (countBefore.get(branch.forkAfter) ?? null),
      leafId: branch.leafId,
      messages,
    });
  }
  if (omitted > 0) {
    problems.push(`${omitted} messages on alternative branches were not kept (limit ${MAX_BRANCH_MESSAGES})`);
  }
  if (found.unreachable.length > 0) {
    problems.push(
      `${found.unreachable.length} nodes are on no branch (a parent-link cycle?) and were not imported: ${found.unreachable.slice(0, 5).join(', ')}`,
    );
  }
  return { branches, problems };
}
