/**
 * How the organisation network hangs on the area tree (docs/decisions/0104-organisation-network.md):
 * the five party levels follow the five area levels of the seed (街道党工委 at the street, 社区党委 at
 * the community, 小区党支部 at the compound — or the village, 楼栋党小组 at the building, 党员中心户 at
 * the household), each under the level above; teams attach where they work.
 */
import type { LocalizedText } from '../../errors.ts';
import type { UnitKind } from '../areas/repository.ts';
import type { OrgKind } from './repository.ts';

const TEAM_PARENTS: readonly (OrgKind | null)[] = [
  null,
  'party_working_committee',
  'party_committee',
  'party_branch',
  'committee',
  'department',
  'mediation_team',
  'volunteer_team',
  'property_company',
  'sanitation_team',
  'other',
];
const TEAM_UNITS: readonly UnitKind[] = ['street', 'community', 'grid', 'compound'];

export const ORG_PARENT_KINDS: Record<OrgKind, readonly (OrgKind | null)[]> = {
  party_working_committee: [null],
  party_committee: [null, 'party_working_committee'],
  party_branch: [null, 'party_committee', 'party_working_committee'],
  building_group: ['party_branch'],
  party_member_household: ['building_group', 'party_branch'],
  mediation_team: TEAM_PARENTS,
  volunteer_team: TEAM_PARENTS,
  property_company: TEAM_PARENTS,
  sanitation_team: TEAM_PARENTS,
  department: TEAM_PARENTS,
  committee: TEAM_PARENTS,
  other: TEAM_PARENTS,
};

export const ORG_UNIT_KINDS: Record<OrgKind, readonly UnitKind[]> = {
  party_working_committee: ['street'],
  party_committee: ['community'],
  // A village's party branch sits at the village itself; an urban compound's at the compound.
  party_branch: ['community', 'grid', 'compound'],
  building_group: ['compound', 'building'],
  party_member_household: ['household'],
  mediation_team: TEAM_UNITS,
  volunteer_team: TEAM_UNITS,
  property_company: TEAM_UNITS,
  sanitation_team: TEAM_UNITS,
  department: ['city', 'county', 'street', 'community'],
  committee: ['street', 'community'],
  other: TEAM_UNITS,
};

export const ORG_KIND_NAMES: Record<OrgKind, LocalizedText> = {
  party_working_committee: { zh: '街道党工委', en: 'party working committee' },
  party_committee: { zh: '社区党委', en: 'community party committee' },
  party_branch: { zh: '党支部', en: 'party branch' },
  building_group: { zh: '楼栋党小组', en: 'building party group' },
  party_member_household: { zh: '党员中心户', en: 'party-member household' },
  mediation_team: { zh: '调解服务队', en: 'mediation team' },
  volunteer_team: { zh: '志愿服务队', en: 'volunteer team' },
  property_company: { zh: '物业公司', en: 'property company' },
  sanitation_team: { zh: '环卫队', en: 'sanitation team' },
  department: { zh: '职能部门', en: 'department' },
  committee: { zh: '居委会/村委会', en: "residents'/villagers' committee" },
  other: { zh: '其他组织', en: 'other organisation' },
};

export function orgUnitProblem(kind: OrgKind, unitKind: UnitKind): LocalizedText | null {
  if (ORG_UNIT_KINDS[kind].includes(unitKind)) return null;
  return {
    zh: `${ORG_KIND_NAMES[kind].zh}只能设在以下层级：${ORG_UNIT_KINDS[kind].join('、')}`,
    en: `a ${ORG_KIND_NAMES[kind].en} is attached to a ${ORG_UNIT_KINDS[kind].join(', ')}`,
  };
}

export function orgParentProblem(kind: OrgKind, parentKind: OrgKind | null): LocalizedText | null {
  if (ORG_PARENT_KINDS[kind].includes(parentKind)) return null;
  const names = ORG_PARENT_KINDS[kind].map((k) => (k === null ? null : ORG_KIND_NAMES[k]));
  return {
    zh: `${ORG_KIND_NAMES[kind].zh}的上级组织应为：${names.map((n) => n?.zh ?? '无').join('、')}`,
    en: `a ${ORG_KIND_NAMES[kind].en} belongs under: ${names.map((n) => n?.en ?? 'none').join(', ')}`,
  };
}
