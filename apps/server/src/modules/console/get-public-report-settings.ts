import type { PublicReportSettings } from '@minqing/contract';
import type { App } from '../../app.ts';
import { RATE_LIMITS } from '../../plugins/rate-limit.ts';

/**
 * The public-report settings in force (公众上报设置), as the console shows them to staff. They are the
 * instance's configuration, not records: one value for every street of the deployment, set by the
 * operator (docs/decisions/0303), so the console shows them and says where they are changed.
 */
export function getPublicReportSettings(app: App): PublicReportSettings {
  const seconds = (ms: number) => Math.round(ms / 1000);
  return {
    publicReports: app.config.publicReports,
    // authorizeReport (cases/policy.ts) refuses a report without sign-in and without a phone number.
    contactRequired: true,
    publicWriteLimit: {
      max: RATE_LIMITS.publicWrite.max,
      windowSeconds: seconds(RATE_LIMITS.publicWrite.timeWindow),
    },
    smsCodeLimit: { max: RATE_LIMITS.smsCode.max, windowSeconds: seconds(RATE_LIMITS.smsCode.timeWindow) },
    residentSessionDays: app.config.residentSessionDays,
    configuredBy: ['PUBLIC_REPORTS', 'RESIDENT_SESSION_DAYS', 'SMS_PROVIDER'],
  };
}
