import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { renderDbTypes } from '../src/db/render-db-types.ts';
import { buildTestApp, testDatabase } from './harness.ts';

const OPENAPI_PATH = fileURLToPath(new URL('../openapi.json', import.meta.url));
const DB_TYPES_PATH = fileURLToPath(new URL('../src/db/schema.generated.ts', import.meta.url));

describe('generated files are in step with the code', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('has a committed OpenAPI document equal to the one the routes generate (npm run openapi)', () => {
    const committed = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
    expect(JSON.parse(JSON.stringify(app.swagger()))).toEqual(committed);
  });

  it('serves the same document at /api/openapi.json', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.json().openapi).toBe('3.1.0');
    expect(Object.keys(response.json().paths)).toContain('/api/health');
  });

  it('has committed database types equal to the migrated schema (npm run db:types)', async () => {
    const rendered = await renderDbTypes(await testDatabase());
    expect(rendered).toBe(readFileSync(DB_TYPES_PATH, 'utf8'));
  });
});
