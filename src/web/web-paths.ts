import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root: one level above src/, two above dist/src/ (where views/ and public/ live). */
export const ROOT = existsSync(join(__dirname, '..', '..', 'views')) ? join(__dirname, '..', '..') : join(__dirname, '..', '..', '..');
export const PUBLIC_DIR = join(ROOT, 'public');
