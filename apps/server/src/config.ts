import { resolve } from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((value) => ['1', 'true', 'on', 'yes'].includes(value));

/** Every setting comes from the environment; README "Configuration" lists them. */
const ZEnvironment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Whether people who are not signed in may report a problem (with a phone number). */
  PUBLIC_REPORTS: flag.default(true),
  /** Seed the demo street when the database is empty: 'auto' (default), 'always' never re-seeds an existing one. */
  SEED_DEMO: flag.default(true),
  STAFF_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  RESIDENT_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Send cookies only over HTTPS; set when minqing sits behind a TLS proxy. */
  COOKIE_SECURE: flag.default(false),
  TRUST_PROXY: flag.default(false),
  /** 'log' writes one-time codes to the server log (development); 'http' posts them to SMS_HTTP_URL. */
  SMS_PROVIDER: z.enum(['log', 'http']).default('log'),
  SMS_HTTP_URL: z.string().url().optional(),
  SMS_HTTP_TOKEN: z.string().optional(),
  /** 32 bytes, base64: encrypts personal information at rest. Generated into DATA_DIR/keys when unset. */
  FIELD_ENCRYPTION_KEY: z.string().optional(),
  /** Ed25519 private key (PEM) that signs journal batch heads. Generated into DATA_DIR/keys when unset. */
  SIGNING_KEY_FILE: z.string().optional(),
  /** Seconds between sealer runs (journal Merkle batches). */
  SEAL_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(2),
  /** Seconds between deadline scans (reminders, escalations, follow-up timeouts). */
  SCHEDULER_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  /** Optional Redis for rate limits shared by several server processes. */
  REDIS_URL: z.string().url().optional(),
  /** KPI composite-score weights as JSON, e.g. {"onTimeClosureRate":0.3,...}; see docs/kpis.md. */
  KPI_WEIGHTS: z.string().optional(),
  TZ_NAME: z.string().default('Asia/Shanghai'),
  /** Days a patrol's GPS track (sensitive location data) is kept after the patrol ended; then it is deleted. */
  PATROL_TRACK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** Base map of the 民情地图: none (the area's own outlines; works offline), tianditu, amap, or url. */
  MAP_TILES: z.enum(['none', 'tianditu', 'amap', 'url']).default('none'),
  /** MAP_TILES=url: an OSM-style template, e.g. https://tiles.example.gov.cn/{z}/{x}/{y}.png ({s} allowed). */
  MAP_TILE_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+\/\S*\{z\}\S*$/, 'an http(s) URL template with {z}, {x} and {y}')
    .optional(),
  /** The {s} values of MAP_TILE_URL, comma-separated. */
  MAP_TILE_SUBDOMAINS: z.string().default('a,b,c'),
  MAP_TILE_ATTRIBUTION: z.string().max(300).optional(),
  /** MAP_TILES=url: wgs84, or gcj02 for tiles drawn in GCJ-02 (most Chinese providers). */
  MAP_TILE_CRS: z.enum(['wgs84', 'gcj02']).default('wgs84'),
  /** MAP_TILES=tianditu: the key (天地图 tk) issued for this deployment. */
  TIANDITU_KEY: z
    .string()
    .regex(/^[0-9a-zA-Z]{8,64}$/, 'letters and digits')
    .optional(),
  /** The embedded PostgreSQL's buffer pool (PostgreSQL units: 16MB, 64MB, 1GB). */
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^[1-9][0-9]{0,5}(kB|MB|GB)$/, 'a size such as 32MB / 大小，如 32MB')
    .default('32MB'),
  /** Closed cases stay on the live map this many days after closing. */
  MAP_CLOSED_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /** In a demo database only: a grid worker reports, or an admin accepts, every 20 s (the map stays alive). */
  DEMO_ACTIVITY: flag.default(true),
  /** Seconds between heartbeat comments on live streams (keeps proxies from closing idle streams). */
  LIVE_HEARTBEAT_SECONDS: z.coerce.number().min(0.05).max(300).default(15),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  // A variable set to the empty string (`DATABASE_URL= npm start`) means "not set", as in most tools.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = ZEnvironment.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration / 配置有误:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  if (value.MAP_TILES === 'url' && !value.MAP_TILE_URL) {
    throw new Error('invalid configuration / 配置有误:\n  MAP_TILE_URL: required when MAP_TILES=url');
  }
  if (value.MAP_TILES === 'tianditu' && !value.TIANDITU_KEY) {
    throw new Error('invalid configuration / 配置有误:\n  TIANDITU_KEY: required when MAP_TILES=tianditu');
  }
  const dataDir = resolve(value.DATA_DIR);
  return {
    port: value.PORT,
    host: value.HOST,
    dataDir,
    databaseUrl: value.DATABASE_URL,
    pgliteSharedBuffers: value.PGLITE_SHARED_BUFFERS,
    logLevel: value.LOG_LEVEL,
    publicReports: value.PUBLIC_REPORTS,
    seedDemo: value.SEED_DEMO,
    staffIdleMinutes: value.STAFF_IDLE_MINUTES,
    residentSessionDays: value.RESIDENT_SESSION_DAYS,
    cookieSecure: value.COOKIE_SECURE,
    trustProxy: value.TRUST_PROXY,
    sms: { provider: value.SMS_PROVIDER, httpUrl: value.SMS_HTTP_URL, httpToken: value.SMS_HTTP_TOKEN },
    fieldEncryptionKey: value.FIELD_ENCRYPTION_KEY,
    signingKeyFile: value.SIGNING_KEY_FILE ?? resolve(dataDir, 'keys/journal-ed25519.pem'),
    sealIntervalMs: Math.round(value.SEAL_INTERVAL_SECONDS * 1000),
    schedulerIntervalMs: Math.round(value.SCHEDULER_INTERVAL_SECONDS * 1000),
    redisUrl: value.REDIS_URL,
    kpiWeights: value.KPI_WEIGHTS,
    timeZone: value.TZ_NAME,
    patrolTrackRetentionDays: value.PATROL_TRACK_RETENTION_DAYS,
    map: {
      tiles: value.MAP_TILES,
      tileUrl: value.MAP_TILE_URL,
      tileSubdomains: value.MAP_TILE_SUBDOMAINS.split(',')
        .map((part) => part.trim())
        .filter(Boolean),
      tileAttribution: value.MAP_TILE_ATTRIBUTION,
      tileCrs: value.MAP_TILE_CRS,
      tiandituKey: value.TIANDITU_KEY,
      closedDays: value.MAP_CLOSED_DAYS,
    },
    live: { heartbeatMs: Math.round(value.LIVE_HEARTBEAT_SECONDS * 1000) },
    demoActivity: value.DEMO_ACTIVITY,
    /** Background loops (sealer, scheduler) run in servers; tests drive them by hand. */
    runBackgroundJobs: true,
    uploadsDir: resolve(dataDir, 'uploads'),
  };
}
