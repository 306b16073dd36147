export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
  /** Every Set-Cookie header line. */
  setCookies: string[];
}

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string | string[]>;
  body?: string;
  headers?: Record<string, string>;
  /** A Cookie header value, e.g. from `signIn`. */
  cookie?: string;
  /** Bearer token. */
  bearer?: string;
  /** Send an Origin header (defaults to same-origin for cookie-authenticated unsafe requests). */
  origin?: string | null;
}

/** A thin fetch wrapper for e2e tests: real HTTP, no redirects followed, JSON parsed when present. */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    let body: string | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.form)) for (const one of [v].flat()) params.append(k, one);
      body = params.toString();
    }
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
    if (opts.origin !== null && (opts.origin || (unsafe && opts.cookie))) headers.origin = opts.origin ?? new URL(this.baseUrl).origin;

    const res = await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    // JSON and +json media types; not JSON lines (application/x-ndjson), which is many documents.
    if (/^application\/([\w.-]+\+)?json\b/.test(res.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text, setCookies: res.headers.getSetCookie() };
  }

  get<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('GET', path, opts);
  }
  post<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('POST', path, opts);
  }
  put<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('PUT', path, opts);
  }
  patch<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('PATCH', path, opts);
  }
  delete<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('DELETE', path, opts);
  }
}

/** `name=value` of the first Set-Cookie line for `name`, ready for a Cookie header. */
export function cookiePair(setCookies: string[], name: string): string | undefined {
  const line = setCookies.find((c) => c.startsWith(`${name}=`));
  return line?.split(';')[0];
}
