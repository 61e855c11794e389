import {
  NOTIFICATION_TEMPLATE_KEYS,
  NOTIFICATION_TEMPLATES,
  TEMPLATE_PLACEHOLDERS,
  type NotificationTemplate,
  type NotificationTemplates,
} from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { authorizeTemplates, templateActions } from './policy.ts';
import { findUnit, overridesAlong, type OverrideRow } from './repository.ts';

/** Every template as it reads at a unit, and where each text comes from. */
export async function listNotificationTemplates(
  db: Db,
  actor: Actor | null,
  unitId: string,
): Promise<NotificationTemplates> {
  const unit = await findUnit(db, unitId);
  authorizeTemplates(actor, unit, 'read');
  const overrides = await overridesAlong(db, unit.path, undefined, { withReset: true });
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    placeholders: TEMPLATE_PLACEHOLDERS.map((p) => ({ name: p.name, zh: p.zh, label: p.label })),
    items: NOTIFICATION_TEMPLATE_KEYS.map((key) => presentTemplate(actor, unit, key, overrides)),
  };
}

export function presentTemplate(
  actor: Actor | null,
  unit: { id: string; path: string },
  key: (typeof NOTIFICATION_TEMPLATE_KEYS)[number],
  overrides: readonly OverrideRow[],
): NotificationTemplate {
  const definition = NOTIFICATION_TEMPLATES[key];
  const mine = overrides.find((row) => row.key === key && row.unit_id === unit.id);
  // overrides come nearest first: the first with texts is the one in force.
  const inForce = overrides.find((row) => row.key === key && row.text_zh !== null);
  const hasOwn = !!mine && mine.text_zh !== null;
  return {
    key,
    kind: definition.kind,
    audience: definition.audience,
    label: definition.label,
    textZh: inForce?.text_zh ?? definition.zh,
    textEn: inForce?.text_en ?? definition.en,
    defaultZh: definition.zh,
    defaultEn: definition.en,
    source: !inForce ? 'default' : inForce.unit_id === unit.id ? 'own' : 'inherited',
    sourceUnit: inForce ? { id: inForce.unit_id, name: inForce.unit_name } : null,
    version: mine?.version ?? 0,
    updatedAt: mine?.updated_at.toISOString() ?? null,
    allowedActions: templateActions(actor, unit.path, hasOwn),
  };
}
