import pino, { type Logger } from 'pino';

/**
 * Personal information never reaches the logs: cookies, authorisation, and any field that may carry a
 * phone number, an ID number, a password or a one-time code are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  // People read a terminal; machines read JSON (a service manager, a log collector).
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  return pino({
    level,
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.phone',
        '*.password',
        '*.code',
        '*.idNumber',
        '*.reporterPhone',
      ],
      censor: '[redacted]',
    },
  });
}
