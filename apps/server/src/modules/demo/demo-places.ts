/**
 * The demo street of the seed article (../shared/seed/README.md): 附城镇 with 新山村 and invented
 * neighbours at its centre, and the article's other places as communities of their own streets at
 * their real locations. County codes are GB/T 2260; street and community codes below county level are
 * invented for the demo, in the 12-digit 统计用区划代码 shape.
 */
export interface DemoCommunity {
  name: string;
  /** login name of the community's admin; staff of the community get it as a prefix */
  slug: string;
  code: string;
  kind: 'village' | 'community';
  lng: number;
  lat: number;
  /** grid lattice: columns × rows cells */
  cols: number;
  rows: number;
  note?: string;
}

export interface DemoStreet {
  name: string;
  slug: string;
  code: string;
  kind: 'town' | 'street';
  province: string;
  city: string;
  county: string;
  communities: DemoCommunity[];
}

export const DEMO_STREETS: DemoStreet[] = [
  {
    name: '附城镇',
    slug: 'fucheng',
    code: '441521101000',
    kind: 'town',
    province: '广东省',
    city: '汕尾市',
    county: '海丰县',
    communities: [
      {
        name: '新山村',
        slug: 'xinshan',
        code: '441521101201',
        kind: 'village',
        lng: 115.36,
        lat: 22.99,
        cols: 3,
        rows: 2,
        note: '民情地图大屏、半年化解矛盾纠纷84起、三资公开',
      },
      {
        name: '东湖村',
        slug: 'donghu',
        code: '441521101202',
        kind: 'village',
        lng: 115.378,
        lat: 22.992,
        cols: 2,
        rows: 2,
      },
      {
        name: '城西社区',
        slug: 'chengxi',
        code: '441521101003',
        kind: 'community',
        lng: 115.342,
        lat: 22.987,
        cols: 2,
        rows: 3,
      },
    ],
  },
  {
    name: '梧村街道',
    slug: 'wucun',
    code: '350203005000',
    kind: 'street',
    province: '福建省',
    city: '厦门市',
    county: '思明区',
    communities: [
      {
        name: '深田社区',
        slug: 'shentian',
        code: '350203005012',
        kind: 'community',
        lng: 118.105,
        lat: 24.47,
        cols: 3,
        rows: 2,
        note: '五级组织网络、调解服务队、百事帮互助队',
      },
    ],
  },
  {
    name: '清水塘街道',
    slug: 'qingshuitang_jd',
    code: '430105002000',
    kind: 'street',
    province: '湖南省',
    city: '长沙市',
    county: '开福区',
    communities: [
      {
        name: '清水塘社区',
        slug: 'qingshuitang',
        code: '430105002005',
        kind: 'community',
        lng: 112.985,
        lat: 28.205,
        cols: 2,
        rows: 3,
        note: '同心议事会',
      },
    ],
  },
  {
    name: '毓璜顶街道',
    slug: 'yuhuangding',
    code: '370602003000',
    kind: 'street',
    province: '山东省',
    city: '烟台市',
    county: '芝罘区',
    communities: [
      {
        name: '大海阳社区',
        slug: 'dahaiyang',
        code: '370602003008',
        kind: 'community',
        lng: 121.39,
        lat: 37.535,
        cols: 3,
        rows: 2,
        note: '民情日记、壹家饭堂',
      },
    ],
  },
  {
    name: '岳峰镇',
    slug: 'yuefeng',
    code: '350111100000',
    kind: 'town',
    province: '福建省',
    city: '福州市',
    county: '晋安区',
    communities: [
      {
        name: '桂溪社区',
        slug: 'guixi',
        code: '350111100011',
        kind: 'community',
        lng: 119.325,
        lat: 26.085,
        cols: 2,
        rows: 2,
        note: '老年食堂',
      },
    ],
  },
  {
    name: '张村乡',
    slug: 'zhangcun',
    code: '410782203000',
    kind: 'town',
    province: '河南省',
    city: '新乡市',
    county: '辉县市',
    communities: [
      {
        name: '裴寨村',
        slug: 'peizhai',
        code: '410782203210',
        kind: 'village',
        lng: 113.72,
        lat: 35.38,
        cols: 2,
        rows: 2,
        note: '党支部建在产业上',
      },
    ],
  },
];

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤';
export const GIVEN_NAMES = [
  '建国',
  '秀英',
  '桂英',
  '志强',
  '丽华',
  '海燕',
  '国庆',
  '春梅',
  '明',
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '超',
  '霞',
  '平',
  '刚',
  '红',
  '晓燕',
  '文华',
  '玉兰',
  '德明',
  '少军',
  '淑珍',
  '永福',
  '美玲',
  '家豪',
  '子涵',
  '浩然',
  '梓萱',
  '思远',
  '雨轩',
  '金凤',
  '振华',
  '凤英',
  '长生',
  '福生',
  '水生',
  '月娥',
  '惠芳',
];

export const URBAN_COMPOUNDS = [
  '幸福里小区',
  '文屏花园',
  '莲花新村',
  '阳光苑',
  '和美家园',
  '丰泽小区',
  '锦绣花园',
  '民安小区',
  '翠竹苑',
  '东方明珠小区',
  '长青里',
  '桂花苑',
];
export const NATURAL_VILLAGES = [
  '上围',
  '下围',
  '新寨',
  '老屋村',
  '塘尾',
  '山背',
  '田心',
  '岭头',
  '水口',
  '榕树下',
  '大坑',
  '石桥头',
];
