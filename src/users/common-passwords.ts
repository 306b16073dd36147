/**
 * A small bundled list of passwords that breach corpora show again and again, lower-cased, at
 * least 12 characters (shorter ones already fail the length rule). Checked case-insensitively, as
 * NIST SP 800-63B §5.1.1.2 asks ("values known to be commonly used"); not a substitute for a
 * full breach corpus, which would be too big to ship.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '1234567891011', '123123123123',
  '111111111111', '000000000000', '121212121212', '123321123321', '112233445566', '098765432109',
  '987654321098', '147258369147', '159753159753', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'q1w2e3r4t5y6',
  'qwertyuiop12', 'qwertyuiop123', 'qwerty123456', 'qwerty12345678', 'qwertyqwerty', 'qwertyuiopas',
  'asdfghjkl123', 'asdfasdfasdf', 'zxcvbnm12345', 'zaq12wsxcde3', '1qazxsw23edc', 'qazwsxedcrfv',
  'password1234', 'password12345', 'password123456', 'password1234567', 'passwordpassword', 'password123!',
  'password1!password', 'p@ssw0rd1234', 'p@ssword1234', 'passw0rd1234', 'mypassword123', 'newpassword123',
  'changeme1234', 'changeme123!', 'letmein12345', 'letmeinplease', 'welcome12345', 'welcome123456',
  'welcome2024!', 'welcome2025!', 'welcome2026!', 'iloveyou1234', 'iloveyouforever', 'iloveyou12345',
  'trustno1trustno1', 'administrator', 'administrator1', 'admin1234567', 'adminadmin123', 'rootroot1234',
  'superman1234', 'batman123456', 'football1234', 'baseball1234', 'basketball12', 'basketball123',
  'sunshine1234', 'princess1234', 'starwars1234', 'dragon123456', 'monkey123456', 'shadow123456',
  'master123456', 'michael12345', 'jennifer1234', 'computer1234', 'internet1234', 'whatever1234',
  'abc123456789', 'abcdefghijkl', 'abcd12345678', 'abcdef123456', 'aaaaaaaaaaaa', 'abcabcabcabc',
  'summer2024!!', 'winter2024!!', 'spring2025!!', 'autumn2025!!', 'january2025!', 'december2025',
  'gatehouse123', 'gatehouse1234', 'gatehousegatehouse', 'correcthorse', 'correcthorsebattery',
  'thisismypassword', 'mysecretpassword', 'secretpassword', 'supersecret123', 'secret123456',
  'qwerty1234567', '1234qwerasdf', 'qwer1234asdf', '1234abcd1234', 'a1b2c3d4e5f6', 'pa55word1234',
  'test12345678', 'testtesttest', 'testing12345', 'demo12345678', 'guest1234567', 'default12345',
  'login1234567', 'user12345678', 'temp12345678', 'temppassword', 'temporary123', 'welcomehome1',
]);
