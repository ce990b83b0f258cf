import { IRole } from './tokens';

/** At most this many roles are rendered at once; the rest wait for a narrower search. */
export const MAX_VISIBLE_ROLES = 50;

/** Roles trusting SageMaker first, then the rest; each group by name. */
export function sortRoles(roles: readonly IRole[]): IRole[] {
  return [...roles].sort((a, b) => {
    if (a.trusts_sagemaker !== b.trusts_sagemaker) {
      return a.trusts_sagemaker ? -1 : 1;
    }
    return a.name.localeCompare(b.name);
  });
}

export interface IRoleMatches {
  /** The roles to render (at most `limit`), in display order. */
  shown: IRole[];
  /** How many more matched but are not rendered. */
  more: number;
  /** How many matched in all. */
  total: number;
}

/**
 * The sorted roles whose name, path or ARN contains every word of `query` (case-insensitive).
 * Linear in the number of roles, so 1,000 roles filter within a keystroke.
 */
export function matchRoles(
  sorted: readonly IRole[],
  query: string,
  limit = MAX_VISIBLE_ROLES
): IRoleMatches {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const shown: IRole[] = [];
  let total = 0;
  for (const role of sorted) {
    const hay = role.arn.toLowerCase();
    if (words.every(word => hay.includes(word))) {
      total += 1;
      if (shown.length < limit) {
        shown.push(role);
      }
    }
  }
  return { shown, more: total - shown.length, total };
}

/** The listed role a name or ARN refers to, if any. */
export function findRole(
  roles: readonly IRole[],
  nameOrArn: string | null
): IRole | null {
  if (!nameOrArn) {
    return null;
  }
  const value = nameOrArn.trim();
  return (
    roles.find(role => role.arn === value) ??
    roles.find(role => role.name === value) ??
    null
  );
}

/** The role's ARN without the account prefix, e.g. `role/service-role/Exec`. */
export function shortRoleArn(arn: string): string {
  const at = arn.indexOf(':role/');
  return at >= 0 ? arn.slice(at + 1) : arn;
}
