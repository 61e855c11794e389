import { errorResponses, ZFigures, ZFiguresQuery } from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { computeFigures } from './compute-figures.ts';
import { parseWeights } from './formulas.ts';

export const figuresRoutes: FastifyPluginAsyncZod = async (app) => {
  // Weights are configuration; a malformed KPI_WEIGHTS stops the start rather than skewing every score.
  const weights = parseWeights(app.config.kpiWeights);

  app.get(
    '/api/figures',
    {
      schema: {
        tags: ['figures'],
        summary: 'Performance figures (结案率, 按期结案率, 满意率 …) of a unit over a period',
        description:
          'Public: aggregate counts only. Formulas in docs/kpis.md; the composite score uses the KPI_WEIGHTS configuration.',
        querystring: ZFiguresQuery,
        response: { 200: ZFigures, 400: errorResponses[400], 404: errorResponses[404] },
      },
    },
    async (request) => computeFigures(app.db, request.query, weights),
  );
};
