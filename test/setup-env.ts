// Every test process: quiet logs, cheap (but still real) scrypt, test mode.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.PASSWORD_SCRYPT_LOG_N ??= '12';
