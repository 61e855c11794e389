import type {
  NotificationTemplate,
  NotificationTemplateKey,
  SetNotificationTemplate,
} from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import { grantsCovering, type Actor } from '../../policy/index.ts';
import { presentTemplate } from './list-notification-templates.ts';
import { authorizeTemplates, EDIT_ROLES } from './policy.ts';
import { findUnit, lockTemplate, overridesAlong, writeTemplate } from './repository.ts';
import { journalTemplateEvent } from './template-journal.ts';

/**
 * Sets a unit's own text of a template (both languages; the body's schema has refused unknown
 * placeholders and lengths), or resets it (texts null: the unit inherits again). The row and its
 * journal entry are written together; the version shown must still be current (409 otherwise).
 */
export async function setNotificationTemplate(
  db: Db,
  actor: Actor | null,
  unitId: string,
  key: NotificationTemplateKey,
  input: SetNotificationTemplate | { reset: true; expectedVersion: number },
): Promise<NotificationTemplate> {
  const unit = await findUnit(db, unitId);
  authorizeTemplates(actor, unit, 'edit');
  const role = grantsCovering(actor, EDIT_ROLES, unit.path)[0]!.role;
  return inTransaction(db, async (trx) => {
    const current = await lockTemplate(trx, unit.id, key);
    if ((current?.version ?? 0) !== input.expectedVersion) throw errors.staleVersion(current?.version ?? 0);
    const reset = 'reset' in input;
    if (reset && (!current || current.text_zh === null)) {
      throw errors.unprocessable('template_not_overridden', {
        zh: '该单位没有自定义此模板，无需恢复默认',
        en: 'This unit has not changed this template; there is nothing to reset',
      });
    }
    const row = await writeTemplate(
      trx,
      {
        id: current?.id ?? crypto.randomUUID(),
        unit_id: unit.id,
        street_id: unit.street_id ?? unit.id,
        key,
        text_zh: reset ? null : input.textZh,
        text_en: reset ? null : input.textEn,
        version: (current?.version ?? 0) + 1,
        updated_by: actor!.userId,
        updated_at: new Date(),
      },
      !current,
    );
    await journalTemplateEvent(trx, row, reset ? 'reset' : 'update', { userId: actor!.userId, role });
    const overrides = await overridesAlong(trx, unit.path, [key], { withReset: true });
    return presentTemplate(actor, unit, key, overrides);
  });
}
