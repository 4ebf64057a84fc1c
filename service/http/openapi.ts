import { z } from 'zod';
import type { Endpoint, StreamedBody } from '../../shared/api/endpoints';
import { ApiErrorBodySchema } from '../../shared/errors/codes';
import type { EndpointTable } from './route-table';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** zod names reusable schemas (those with .meta({id})) under #/$defs; OpenAPI wants them in components. */
const rewriteRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : rewriteRefs(v),
    ]),
  );
};

export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** OpenAPI 3.1 from the same zod schemas the routes validate with (JSON Schema 2020-12, the wire form). */
export const buildOpenApiDocument = (table: EndpointTable, info: { version: string }): Json => {
  const schemas: Record<string, Json> = {};

  const toSchema = (schema: z.ZodType): Json => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
    const { $defs, $schema: _dialect, ...rest } = json;
    if (isObject($defs)) {
      for (const [id, def] of Object.entries($defs)) {
        const rewritten = rewriteRefs(def) as Json;
        const existing = schemas[id];
        if (existing && JSON.stringify(existing) !== JSON.stringify(rewritten)) {
          throw new Error(`two different schemas are both named ${id}`);
        }
        schemas[id] = rewritten;
      }
    }
    return rewriteRefs(rest) as Json;
  };

  const parameters = (schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] => {
    if (!schema) return [];
    const json = toSchema(schema);
    const properties = isObject(json.properties) ? json.properties : {};
    const required = Array.isArray(json.required) ? json.required : [];
    return Object.entries(properties).map(([name, s]) => ({
      name,
      in: where,
      required: where === 'path' || required.includes(name),
      schema: s,
    }));
  };

  const errorSchema = toSchema(ApiErrorBodySchema);
  const errorResponse = (description: string): Json => ({
    description,
    content: { 'application/json': { schema: errorSchema } },
  });

  /** JSON lines: each line is one record of the response schema; text: a string (e.g. CSV). */
  const streamedContent = (stream: StreamedBody, record: z.ZodType): Json =>
    Object.fromEntries(
      Object.entries(stream.contentTypes).map(([type, kind]) => [
        type,
        kind === 'json-lines' ? { schema: toSchema(record), 'x-json-lines': true } : { schema: { type: 'string' } },
      ]),
    );

  // 'optional': no credentials ({}), or a person's session.
  const securityOf = (p: Endpoint['permission']): Json[] =>
    p === 'public' ? [] : p === 'optional' ? [{}, { sessionToken: [] }] : [{ sessionToken: [] }, { operatorToken: [] }];

  const operation = (name: string, e: Endpoint): Json => {
    const responses: Json = {
      [String(e.status)]:
        e.status === 204
          ? { description: e.summary }
          : { description: e.summary, content: e.stream
                ? streamedContent(e.stream, e.response)
                : e.document
                  ? Object.fromEntries(e.document.contentTypes.map((t) => [t, { schema: t === 'application/json' ? toSchema(e.response) : { type: 'string' } }]))
                  : { 'application/json': { schema: toSchema(e.response) } },
          },
    };
    if (e.params || e.query || e.body) responses['400'] = errorResponse('Invalid request (invalid_json, validation_failed)');
    if (e.permission !== 'public') {
      responses['401'] = errorResponse('Missing, invalid or expired credentials (auth_required, invalid_token, session_expired, session_revoked)');
    }
    if (typeof e.permission === 'object') {
      responses['403'] = errorResponse(
        `Requires permission ${e.permission.action}, except on the caller's own current session (${e.permission.ownSession}) (forbidden, step_up_required)`,
      );
    } else if (e.permission !== 'public' && e.permission !== 'optional' && e.permission !== 'authenticated') {
      responses['403'] = errorResponse(`Requires permission ${e.permission} (forbidden, step_up_required)`);
    }
    if (e.params) responses['404'] = errorResponse('No such resource (not_found)');
    if (e.body) {
      responses['413'] = errorResponse('Request body too large (payload_too_large)');
      responses['415'] = errorResponse('Request body is not JSON (unsupported_media_type)');
    }
    // Every route is rate limited (service/http/rate-limit.ts); sign-in steps and invites also lock on failures.
    responses['429'] = errorResponse('Too many requests or failed attempts: retry after the seconds in Retry-After (rate_limited, account_locked)');
    responses.default = errorResponse('Unexpected error (internal_error)');
    return {
      operationId: name,
      summary: e.summary,
      tags: [e.tag],
      security: securityOf(e.permission),
      'x-permission': e.permission,
      parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
      ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(e.body) } } } } : {}),
      responses,
    };
  };

  const paths: Record<string, Json> = {};
  for (const [name, e] of Object.entries(table)) {
    const path = openApiPath(e.path);
    paths[path] = { ...paths[path], [e.method.toLowerCase()]: operation(name, e) };
  }

  return {
    openapi: '3.1.0',
    info: { title: 'Attest service API', version: info.version },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [...new Set(Object.values(table).map((e) => e.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        sessionToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A session access token (atst_at_…) from POST /v1/auth/mfa, /v1/auth/enrol/complete or /v1/auth/refresh.',
        },
        operatorToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An operator API token (atst_op_…), printed once by `attest-service init`.',
        },
      },
    },
  };
};
