import pino, { type Logger } from 'pino';

/**
 * Personal information never reaches the logs: cookies, authorisation, and any field that may carry a
 * phone number, an ID number, a password or a one-time code are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
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
