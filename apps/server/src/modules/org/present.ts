import type { Organisation, OrganisationDetail } from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import { orgActions } from './policy.ts';
import type { MemberRecord, OrganisationRecord } from './repository.ts';

export function presentOrganisation(org: OrganisationRecord, actor: Actor | null): Organisation {
  return {
    id: org.id,
    parentId: org.parentId,
    kind: org.kind,
    name: org.name,
    code: org.code,
    unit: { id: org.unit.id, kind: org.unit.kind, code: org.unit.code, name: org.unit.name },
    streetId: org.streetId,
    isActive: org.isActive,
    version: org.version,
    attrs: org.attrs,
    allowedActions: orgActions(actor, org),
  };
}

export function presentOrganisationDetail(
  org: OrganisationRecord,
  actor: Actor | null,
  extra: { members: MemberRecord[]; servedHouseholds: OrganisationDetail['servedHouseholds'] },
): OrganisationDetail {
  return {
    ...presentOrganisation(org, actor),
    members: extra.members.map((member) => ({
      userId: member.userId,
      displayName: member.displayName,
      title: member.title,
      joinedAt: member.joinedAt.toISOString(),
    })),
    servedHouseholds: extra.servedHouseholds,
  };
}
