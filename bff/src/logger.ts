import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Phone numbers, tokens and secrets are never logged: the usual places they hide are
 * redacted here, and code never logs request bodies.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'heyi-bff', pid: process.pid },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
          '*.token',
          '*.appAuthToken',
          '*.accessToken',
          '*.refreshToken',
          '*.secret',
          '*.signKey',
          '*.phone',
          '*.recipientPhone',
          '*.sessionKey',
        ],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Query parameters that carry credentials on some platforms; stripped from logged URLs. */
const SECRET_QUERY = /([?&](?:access_token|token|sign|sig|signature|secret|appAuthToken|js_code|code)=)[^&]*/gi;

export function safeUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1***');
}
