/**
 * An error that knows its own HTTP response. Feature modules (e.g. the authorization
 * endpoint's errors) implement it so the one global filter can render them without importing them.
 */
export interface RenderedError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RenderableError {
  render(requestId: string): RenderedError;
}

export function isRenderable(err: unknown): err is RenderableError {
  return typeof (err as RenderableError | null)?.render === 'function';
}
