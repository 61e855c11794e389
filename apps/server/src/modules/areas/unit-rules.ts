/**
 * What a unit of each kind may hang under, which geometry it may carry, and the form of its code
 * (统计用区划代码 for streets and communities, GB/T 30428.1 for grids). See
 * docs/decisions/0102-unit-codes-and-levels.md.
 */
import type { LocalizedText } from '../../errors.ts';
import type { UnitKind } from './repository.ts';

export const PARENT_KINDS: Record<UnitKind, readonly (UnitKind | null)[]> = {
  province: [null],
  city: [null, 'province'],
  county: [null, 'province', 'city'],
  street: [null, 'city', 'county'],
  community: ['street'],
  grid: ['community'],
  // A natural village or compound lies in a grid; a village household may hang under its natural village.
  compound: ['grid'],
  building: ['compound', 'grid'],
  household: ['building', 'compound'],
};

type GeometryType = 'Polygon' | 'MultiPolygon' | 'Point';

export const GEOMETRY_TYPES: Record<UnitKind, readonly GeometryType[]> = {
  province: ['Polygon', 'MultiPolygon'],
  city: ['Polygon', 'MultiPolygon'],
  county: ['Polygon', 'MultiPolygon'],
  street: ['Polygon', 'MultiPolygon'],
  community: ['Polygon', 'MultiPolygon'],
  grid: ['Polygon', 'MultiPolygon'],
  compound: ['Polygon', 'MultiPolygon', 'Point'],
  building: ['Polygon', 'MultiPolygon', 'Point'],
  // A household is a door, not an area: at most a point, and it is never shown to the public.
  household: ['Point'],
};

export const KIND_NAMES: Record<UnitKind, LocalizedText> = {
  province: { zh: '省', en: 'province' },
  city: { zh: '市', en: 'city' },
  county: { zh: '区县', en: 'county' },
  street: { zh: '街道/乡镇', en: 'street/township' },
  community: { zh: '社区/村', en: 'community/village' },
  grid: { zh: '网格', en: 'grid' },
  compound: { zh: '小区/自然村', en: 'compound/natural village' },
  building: { zh: '楼栋', en: 'building' },
  household: { zh: '户', en: 'household' },
};

/** Codes of these kinds are prefixes of their children's codes, so they cannot change once children exist. */
export const PREFIX_CODE_KINDS: readonly UnitKind[] = ['province', 'city', 'county', 'street', 'community'];

export function parentKindProblem(kind: UnitKind, parentKind: UnitKind | null): LocalizedText | null {
  if (PARENT_KINDS[kind].includes(parentKind)) return null;
  const allowed = PARENT_KINDS[kind];
  const names = (pick: 'zh' | 'en') =>
    allowed.map((k) =>
      k === null ? (pick === 'zh' ? '无（顶级）' : 'none (top level)') : KIND_NAMES[k][pick],
    );
  return {
    zh: `${KIND_NAMES[kind].zh}的上级应为：${names('zh').join('、')}`,
    en: `a ${KIND_NAMES[kind].en} belongs under: ${names('en').join(', ')}`,
  };
}

export function geometryTypeProblem(kind: UnitKind, type: GeometryType): LocalizedText | null {
  if (GEOMETRY_TYPES[kind].includes(type)) return null;
  return {
    zh: `${KIND_NAMES[kind].zh}的图形只能是 ${GEOMETRY_TYPES[kind].join('、')}`,
    en: `a ${KIND_NAMES[kind].en} geometry must be ${GEOMETRY_TYPES[kind].join(' or ')}`,
  };
}

const digits = (n: number) => new RegExp(`^[0-9]{${n}}$`);

/** What is wrong with `code` for a unit of `kind` under `parent`, or null when it is right. */
export function codeProblem(
  kind: UnitKind,
  code: string,
  parent: { kind: UnitKind; code: string } | null,
): LocalizedText | null {
  switch (kind) {
    case 'province':
    case 'city':
    case 'county':
      return /^[0-9]{6}([0-9]{6})?$/.test(code)
        ? null
        : {
            zh: '省、市、区县代码应为 6 位行政区划代码或 12 位统计用区划代码',
            en: 'a province, city or county code is the 6-digit division code or the 12-digit statistical code',
          };
    case 'street':
      if (!digits(12).test(code) || !code.endsWith('000')) {
        return {
          zh: '街道/乡镇代码应为 12 位统计用区划代码，末 3 位为 000',
          en: 'a street/township code is the 12-digit statistical division code ending in 000',
        };
      }
      if (parent?.kind === 'county' && !code.startsWith(parent.code.slice(0, 6))) {
        return {
          zh: `街道/乡镇代码应以所属区县代码 ${parent.code.slice(0, 6)} 开头`,
          en: `a street/township code starts with its county's code ${parent.code.slice(0, 6)}`,
        };
      }
      return null;
    case 'community':
      if (!digits(12).test(code) || code.endsWith('000')) {
        return {
          zh: '社区/村代码应为 12 位统计用区划代码，末 3 位不为 000',
          en: 'a community/village code is the 12-digit statistical division code, not ending in 000',
        };
      }
      if (parent && !code.startsWith(parent.code.slice(0, 9))) {
        return {
          zh: `社区/村代码的前 9 位应与所属街道/乡镇相同（${parent.code.slice(0, 9)}）`,
          en: `a community/village code starts with its street's first 9 digits (${parent.code.slice(0, 9)})`,
        };
      }
      return null;
    case 'grid':
      if (!digits(15).test(code) || code.endsWith('000')) {
        return {
          zh: '网格代码应为 15 位（社区代码 12 位 + 网格序号 3 位，GB/T 30428.1），序号不为 000',
          en: 'a grid code has 15 digits: the 12-digit community code and a 3-digit grid number other than 000 (GB/T 30428.1)',
        };
      }
      if (parent && code.slice(0, 12) !== parent.code) {
        return {
          zh: `网格代码的前 12 位应为所属社区/村的代码 ${parent.code}`,
          en: `a grid code starts with its community's code ${parent.code}`,
        };
      }
      return null;
    default:
      // Compounds, buildings and households carry local codes: free, but unique (the database says so).
      return null;
  }
}
