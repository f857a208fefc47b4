import { applyDecorators, HttpCode, SetMetadata } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

export const ENDPOINT_SCHEMAS = Symbol('ENDPOINT_SCHEMAS');

export interface EndpointSchemas {
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
}

export interface EndpointOptions extends EndpointSchemas {
  summary: string;
  response?: z.ZodType;
  status?: number;
}

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function objectProperties(schema: z.ZodObject): [string, JsonSchema, boolean][] {
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => [
    name,
    property,
    json.required?.includes(name) ?? false,
  ]);
}

/**
 * Declares an endpoint's request and response schemas once: the global validation interceptor
 * parses the request with them (400 naming the field), and the OpenAPI document at /docs is
 * generated from the same zod schemas.
 */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const decorators: MethodDecorator[] = [
    SetMetadata(ENDPOINT_SCHEMAS, { body: options.body, query: options.query, params: options.params }),
    ApiOperation({ summary: options.summary }),
  ];
  if (options.status) decorators.push(HttpCode(options.status));
  if (options.body) decorators.push(ApiBody({ schema: jsonSchema(options.body, 'input') }));
  for (const [name, schema, required] of options.query ? objectProperties(options.query) : []) {
    decorators.push(ApiQuery({ name, required, schema }));
  }
  for (const [name, schema] of options.params ? objectProperties(options.params) : []) {
    decorators.push(ApiParam({ name, required: true, schema }));
  }
  decorators.push(
    ApiResponse({
      status: options.status ?? 200,
      description: options.summary,
      ...(options.response ? { schema: jsonSchema(options.response, 'output') } : {}),
    }),
  );
  return applyDecorators(...decorators);
}
