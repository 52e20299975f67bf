import type { FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Problem } from '../problems/problem.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface HttpResponse {
  readonly status: number;
  readonly headers: LightMyRequestResponse['headers'];
  /** The body parsed as JSON when it is JSON, else the raw text. */
  readonly body: unknown;
  readonly text: string;
}

/**
 * One request, built fluently and ended by what the spec expects:
 * `await http(app).post('/x', body).as(token).expectProblem(422, 'CONSENT_REQUIRED')`.
 */
export class RequestBuilder {
  private readonly headers: Record<string, string> = {};

  constructor(
    private readonly app: { inject: FastifyInstance['inject'] },
    private readonly method: Method,
    private readonly url: string,
    private readonly payload?: unknown,
  ) {}

  /** Sends the token as `Authorization: Bearer <token>`. */
  as(token: string): this {
    return this.header('authorization', `Bearer ${token}`);
  }

  header(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  async send(): Promise<HttpResponse> {
    const json = this.payload !== undefined && typeof this.payload !== 'string';
    const response = await this.app.inject({
      method: this.method,
      url: this.url,
      headers: {
        ...(json ? { 'content-type': 'application/json' } : {}),
        ...this.headers,
      },
      ...(this.payload === undefined
        ? {}
        : {
            payload: typeof this.payload === 'string' ? this.payload : JSON.stringify(this.payload),
          }),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: parse(response),
      text: response.body,
    };
  }

  /** The response, after checking its status. */
  async expect(status: number): Promise<HttpResponse> {
    const response = await this.send();
    expect(response.status, response.text).toBe(status);
    return response;
  }

  /** The problem, after checking it is problem+json with this status and code. */
  async expectProblem(status: number, code: string): Promise<Problem> {
    const response = await this.send();
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(
      { status: response.status, code: (response.body as Problem).code },
      response.text,
    ).toEqual({
      status,
      code,
    });
    return response.body as Problem;
  }
}

function parse(response: LightMyRequestResponse): unknown {
  const type = response.headers['content-type'];
  if (typeof type === 'string' && /json/.test(type) && response.body !== '') {
    return JSON.parse(response.body) as unknown;
  }
  return response.body;
}

/** Given/when/then over `app.inject`, for specs. */
export function http(app: { inject: FastifyInstance['inject'] }) {
  return {
    get: (url: string) => new RequestBuilder(app, 'GET', url),
    head: (url: string) => new RequestBuilder(app, 'HEAD', url),
    delete: (url: string) => new RequestBuilder(app, 'DELETE', url),
    post: (url: string, body?: unknown) => new RequestBuilder(app, 'POST', url, body),
    put: (url: string, body?: unknown) => new RequestBuilder(app, 'PUT', url, body),
    patch: (url: string, body?: unknown) => new RequestBuilder(app, 'PATCH', url, body),
  };
}
