/**
 * An error that knows its own HTTP response. Feature modules (e.g. the authorization
 * endpoint's errors) implement it so the one global filter can render them without importing them.
 */
export interface RenderedError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** A server-rendered page instead of `body`: the template under views/ and its data (the layout's context is already on the reply). */
  view?: { template: string; data: Record<string, unknown> };
}

export interface RenderableError {
  render(requestId: string): RenderedError;
}

export function isRenderable(err: unknown): err is RenderableError {
  return typeof (err as RenderableError | null)?.render === 'function';
}
