import type { z } from 'zod';

/** Decides whether an issue (with its absolute path) is one of the documented exceptions. */
export type IssueAcceptor = (issue: z.core.$ZodIssue) => boolean;

/**
 * Flattens zod's issues into the field problems Discord would report. A union that failed
 * reports the branch the sender meant: one whose `type` matched (components, callbacks and
 * command options all carry one) and that took the value's kind (an object, not `undefined`),
 * then the one with the fewest problems, then the one that got deepest. Exceptions are applied inside each branch, so a union
 * passes when any branch passes once they are allowed.
 */
export function resolveIssues(
  issues: readonly z.core.$ZodIssue[],
  accepted: IssueAcceptor,
  base: readonly PropertyKey[] = [],
): z.core.$ZodIssue[] {
  const kept: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((branch) => resolveIssues(branch, accepted, path));
      if (branches.some((branch) => branch.length === 0)) continue;
      kept.push(...bestBranch(branches, path.length));
      continue;
    }
    const absolute = { ...issue, path };
    if (!accepted(absolute)) kept.push(absolute);
  }
  return kept;
}

function bestBranch(branches: z.core.$ZodIssue[][], depth: number): z.core.$ZodIssue[] {
  const wrongType = (branch: z.core.$ZodIssue[]) =>
    branch.some((issue) => issue.path.length === depth + 1 && issue.path[depth] === 'type');
  const wrongKind = (branch: z.core.$ZodIssue[]) =>
    branch.some((issue) => issue.path.length === depth && issue.code === 'invalid_type');
  const rank = (branch: z.core.$ZodIssue[]) => (wrongType(branch) ? 2 : 0) + (wrongKind(branch) ? 1 : 0);
  // Between equals, the branch that got further into the value is the likelier meaning.
  const reach = (branch: z.core.$ZodIssue[]) => Math.max(...branch.map((issue) => issue.path.length));
  return branches.reduce((best, branch) => {
    const difference = rank(branch) - rank(best) || branch.length - best.length || reach(best) - reach(branch);
    return difference < 0 ? branch : best;
  });
}

/** The value a path points at in a JSON body; undefined where the path leads nowhere. */
export function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let node = body;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
