import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestLanguage } from '../../errors.ts';
import { renderLandingPage, type LandingLink } from './landing-page.ts';

/** Everything the landing page may point to; only the parts whose routes exist on this server are shown. */
const CANDIDATE_LINKS: (LandingLink & { route: string })[] = [
  {
    route: '/screen',
    href: '/screen',
    zh: '民情地图大屏',
    en: 'Live map (big screen)',
    descriptionZh: '1920×1080 电子大屏，实时滚动更新',
    descriptionEn: 'The 1920×1080 live map',
  },
  {
    route: '/m',
    href: '/m',
    zh: '手机端',
    en: 'Phone app',
    descriptionZh: '居民上报、网格员巡查',
    descriptionEn: 'Residents report, grid workers patrol',
  },
  {
    route: '/console',
    href: '/console',
    zh: '工作台',
    en: 'Staff console',
    descriptionZh: '受理、派遣、核查、回访与管理',
    descriptionEn: 'Accept, dispatch, verify, follow up, administer',
  },
  {
    route: '/books',
    href: '/books',
    zh: '村务公开（三资）',
    en: 'Open books',
    descriptionZh: '村集体资金、资产、收支，村民随时查询和核验',
    descriptionEn: "The village collective's funds, assets and accounts, open to every villager",
  },
  {
    route: '/api/figures',
    href: '/api/figures',
    zh: '绩效指标',
    en: 'Performance figures',
    descriptionZh: '结案率、按期结案率、满意率等（公开）',
    descriptionEn: 'Closure, on-time and satisfaction rates (public)',
  },
  {
    route: '/api/units',
    href: '/api/units',
    zh: '区域与网格',
    en: 'Areas and grids',
    descriptionZh: '街道—社区—网格的区域树（公开部分）',
    descriptionEn: 'The street → community → grid tree (public part)',
  },
  {
    route: '/api/categories',
    href: '/api/categories',
    zh: '事件分类',
    en: 'Case categories',
    descriptionZh: '分类、受理标准与处置时限',
    descriptionEn: 'Categories, standards and time limits',
  },
  {
    route: '/api/journal/batches',
    href: '/api/journal/batches',
    zh: '存证批次',
    en: 'Journal batches',
    descriptionZh: '签名的默克尔树批次头，人人可核查',
    descriptionEn: 'Signed Merkle batch heads anyone can check',
  },
  {
    route: '/.well-known/minqing/journal-keys.json',
    href: '/.well-known/minqing/journal-keys.json',
    zh: '签名公钥',
    en: 'Signing keys',
    descriptionZh: '用于核验存证签名的 Ed25519 公钥',
    descriptionEn: 'Ed25519 public keys that sign the journal',
  },
  {
    route: '/api/openapi.json',
    href: '/api/openapi.json',
    zh: '接口文档',
    en: 'API document',
    descriptionZh: 'OpenAPI 3.1，由共享的数据契约生成',
    descriptionEn: 'OpenAPI 3.1, generated from the shared contract',
  },
  {
    route: '/api/health',
    href: '/api/health',
    zh: '服务状态',
    en: 'Health',
    descriptionZh: '服务器与数据库状态',
    descriptionEn: 'Server and database status',
  },
];

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      schema: {
        hide: true,
        querystring: z.object({ lang: z.enum(['zh', 'en']).optional() }),
      },
    },
    async (request, reply) => {
      const language = request.query.lang ?? requestLanguage(request);
      const links = CANDIDATE_LINKS.filter((link) => app.hasRoute({ method: 'GET', url: link.route }));
      return reply
        .type('text/html; charset=utf-8')
        .send(renderLandingPage({ language, links, demo: app.demo.status, databaseKind: app.database.kind }));
    },
  );

  app.get(
    '/api/demo/status',
    {
      schema: {
        tags: ['system'],
        summary: 'Progress of the demo seeding on first start',
        response: {
          200: z.object({
            state: z.enum(['none', 'seeding', 'ready', 'failed']),
            step: z.string(),
            fraction: z.number(),
          }),
        },
      },
    },
    async () => ({
      state: app.demo.status.state,
      step: app.demo.status.step,
      fraction: app.demo.status.fraction,
    }),
  );
};
