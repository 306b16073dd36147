import type { Flash } from '../sessions/flash.service';

/**
 * Recovery codes as a flash's one-time reveal (shown once, never stored in the clear), with a
 * text file to download: Account → Two-factor's new set, and the first factor's codes when a
 * passkey is the first one enrolled (passkeys).
 */
export function recoveryCodesReveal(codes: string[]): Flash['reveal'] {
  const text = `Gatehouse recovery codes (each works once)\n\n${codes.join('\n')}\n`;
  return {
    title: 'Your recovery codes',
    value: codes.join(' '),
    lines: codes,
    download: { filename: 'gatehouse-recovery-codes.txt', href: `data:text/plain;charset=utf-8,${encodeURIComponent(text)}` },
  };
}
