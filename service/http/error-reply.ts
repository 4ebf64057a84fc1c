import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiErrorBody } from '../../shared/errors/codes';
import { NotATenantError } from '../db/db';
import { ApiError } from './api-error';

/** Fastify's own request errors, mapped to stable codes and messages of our own. */
const fastifyErrors = (bodyLimit: number): Readonly<Record<string, () => ApiError>> => ({
  FST_ERR_CTP_INVALID_JSON_BODY: () => new ApiError(400, 'invalid_json', 'The request body is not valid JSON.'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new ApiError(400, 'invalid_json', 'The request body is empty, but its content type says JSON.'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new ApiError(413, 'payload_too_large', `The request body is larger than ${bodyLimit} bytes.`),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ApiError(415, 'unsupported_media_type', 'Request bodies must be sent as application/json.'),
  FST_ERR_BAD_URL: () => new ApiError(400, 'bad_request', 'The URL is not valid (check its percent-encoding).'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new ApiError(400, 'bad_request', 'The Content-Length header does not match the request body.'),
});

const statusOf = (err: unknown): number | undefined => {
  if (typeof err !== 'object' || err === null || !('statusCode' in err)) return undefined;
  return typeof err.statusCode === 'number' ? err.statusCode : undefined;
};

const codeOf = (err: unknown): string | undefined => {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
};

/** Anything that is not an ApiError becomes one; unknown errors are logged and become a bare 500. */
export const toApiError = (err: unknown, request: FastifyRequest, bodyLimit: number): ApiError => {
  if (err instanceof ApiError) return err;
  if (err instanceof NotATenantError) return new ApiError(404, 'not_found', 'No tenant with this id.');
  const code = codeOf(err);
  const known = code ? fastifyErrors(bodyLimit)[code] : undefined;
  if (known) return known();
  const status = statusOf(err);
  if (code?.startsWith('FST_') && status !== undefined && status >= 400 && status < 500) {
    return new ApiError(400, 'bad_request', 'The request could not be processed.');
  }
  request.log.error({ err }, 'unhandled error');
  return new ApiError(500, 'internal_error', 'Something went wrong on our side. Quote the request id if you report it.');
};

export const sendApiError = (reply: FastifyReply, error: ApiError, requestId: string): FastifyReply => {
  const body: ApiErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      ...(error.issues ? { issues: [...error.issues] } : {}),
      ...(error.details ? { details: { ...error.details } } : {}),
    },
  };
  for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
  return reply.status(error.status).type('application/json; charset=utf-8').send(body);
};
