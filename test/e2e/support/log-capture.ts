/**
 * Captures what the app logs: pino writes through `process.stdout` when its `write` has been
 * replaced before the app starts (docs/testing.md), so call this before `startTestApp`.
 * `output` collects every chunk; `stdout.mockRestore()` ends the capture.
 */
export function captureStdout(): { output: string[]; stdout: jest.SpyInstance } {
  const output: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  return { output, stdout };
}
