/**
 * An `error_description` as RFC 6749 §5.2 and RFC 6750 §3 allow it: printable ASCII only, without
 * `"` and `\` (%x20-21 / %x23-5B / %x5D-7E). Our messages are written for people and may say
 * `§3.3`, `user’s` or `–`; they are spelled out in ASCII, anything else left out. Every renderer of
 * an OAuth error or a Bearer challenge passes its description through here.
 */
export function errorDescription(text: string): string {
  return text
    .replace(/§\s*/g, 'section ')
    .replace(/[‘’`]/g, "'")
    .replace(/["“”]/g, "'")
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/\\/g, '/')
    .replace(/\s/g, ' ')
    .replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '');
}
