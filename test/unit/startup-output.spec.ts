import { Writable } from 'node:stream';
import pino from 'pino';
import { PinoLoggerService } from '../../src/common/pino-logger.service';

describe('start-up output (issue 15)', () => {
  function capture(level: string) {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    return { lines, logger: new PinoLoggerService(pino({ level }, sink)) };
  }

  it('route mapping and module initialisation are debug: hidden at info, shown at debug', () => {
    const info = capture('info');
    info.logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    info.logger.log('AppModule dependencies initialized', 'InstanceLoader');
    info.logger.log('Gatehouse is running at http://localhost:3000', 'Gatehouse');
    expect(info.lines).toHaveLength(1);
    expect(JSON.parse(info.lines[0])).toMatchObject({ level: 30, context: 'Gatehouse' });
    const debug = capture('debug');
    debug.logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    expect(JSON.parse(debug.lines[0])).toMatchObject({ level: 20, context: 'RouterExplorer', msg: 'Mapped {/health, GET} route' });
  });
});
