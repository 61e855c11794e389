import type { Db } from '../../db/database.ts';
import {
  findUnitSummaries,
  findUserById,
  listActiveAssignments,
  lockUser,
  type RoleAssignmentRow,
  type UnitSummaryRow,
  type UserRow,
} from './repository.ts';
import type { AccountPlacement } from './policy.ts';

/** An account with everything the policy and the presenters need: its roles, home and placement. */
export interface Account {
  row: UserRow;
  assignments: RoleAssignmentRow[];
  homeUnit: UnitSummaryRow | null;
  placement: AccountPlacement;
}

/** Assembles accounts from their rows, in two queries however many there are. */
export async function assembleAccounts(db: Db, rows: readonly UserRow[]): Promise<Account[]> {
  const assignments = await listActiveAssignments(
    db,
    rows.map((row) => row.id),
  );
  const units = await findUnitSummaries(
    db,
    rows.flatMap((row) => [row.home_unit_id, row.street_id]).filter((id): id is string => !!id),
  );
  return rows.map((row) => {
    const own = assignments.filter((assignment) => assignment.userId === row.id);
    const homeUnit = row.home_unit_id ? (units.get(row.home_unit_id) ?? null) : null;
    const streetPath = row.street_id ? units.get(row.street_id)?.path : undefined;
    const anchorPaths = [
      ...own.map((assignment) => assignment.unit.path),
      ...(homeUnit ? [homeUnit.path] : []),
      ...(streetPath ? [streetPath] : []),
    ];
    return {
      row,
      assignments: own,
      homeUnit,
      placement: {
        userId: row.id,
        anchorPaths,
        grants: own.map((assignment) => ({ role: assignment.role, unitPath: assignment.unit.path })),
      },
    };
  });
}

/** One account, or undefined; with `forUpdate` its row stays locked until the transaction ends. */
export async function loadAccount(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Account | undefined> {
  const row = options.forUpdate ? await lockUser(db, id) : await findUserById(db, id);
  if (!row) return undefined;
  const [account] = await assembleAccounts(db, [row]);
  return account;
}
