import { z } from 'zod';

export const BACKUP_FORMAT = 'minqing-backup';
export const BACKUP_VERSION = 1;
export const MANIFEST_PATH = 'manifest.json';

const ZPart = z.object({
  path: z.string().describe('Where the part sits in the archive'),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * What a backup archive holds, written first into it: enough to check every part before anything
 * is written, to rebuild the schema the rows belong to, and to say what was restored.
 */
export const ZBackupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.iso.datetime({ offset: true }),
  appVersion: z.string(),
  engine: z.enum(['pglite', 'postgres']).describe('Where the backup was taken; restore works into either'),
  migrations: z
    .array(z.object({ version: z.string(), name: z.string(), checksum: z.string() }))
    .describe('The schema the rows belong to: the migrations applied, in order'),
  tables: z
    .array(ZPart.extend({ name: z.string(), rows: z.number().int().min(0) }))
    .describe('Every table as NDJSON (one row_to_json object a line), parents before children'),
  sequences: z.array(z.object({ name: z.string(), lastValue: z.number().int().nullable() })),
  uploads: z.array(ZPart).describe('The uploads folder, file by file'),
  /** Fingerprint of the field-encryption key the personal data was encrypted with (the key itself is never in a backup). */
  fieldKeyFingerprint: z.string().nullable(),
});
export type BackupManifest = z.infer<typeof ZBackupManifest>;
