import * as v from 'valibot';
import type { NodeChild } from './child-process';
import type { FaultProxy } from './fault-proxy';

/** The body of POST /_local/faults. */
export const FaultChange = v.strictObject({
  dependency: v.picklist(['cognito', 's3', 'dynamodb']),
  state: v.picklist(['running', 'stopped', 'slow']),
  /** How long a slow dependency holds each new connection; a minute is past every deadline. */
  delayMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60_000))),
});
export type FaultChange = v.InferOutput<typeof FaultChange>;
type Dependency = FaultChange['dependency'];
type DependencyState = FaultChange['state'];

interface Controlled {
  emulator: NodeChild;
  proxy: FaultProxy;
  state: DependencyState;
  delayMs: number;
}

/**
 * Local-only fault injection, behind POST <ApiUrl>/_local/faults: stop an emulator (the
 * process really stops), make it slow (its proxy delays every new connection), or bring it
 * back. Used by the fault tests; never part of anything deployed.
 */
export class DependencyFaults {
  private readonly dependencies: Record<Dependency, Controlled>;

  constructor(dependencies: Record<Dependency, { emulator: NodeChild; proxy: FaultProxy }>) {
    const controlled = (name: Dependency): Controlled => ({
      ...dependencies[name],
      state: 'running',
      delayMs: 0,
    });
    this.dependencies = {
      cognito: controlled('cognito'),
      s3: controlled('s3'),
      dynamodb: controlled('dynamodb'),
    };
  }

  state(): Record<Dependency, { state: DependencyState; delayMs: number }> {
    const view = ({ state, delayMs }: Controlled) => ({ state, delayMs });
    return {
      cognito: view(this.dependencies.cognito),
      s3: view(this.dependencies.s3),
      dynamodb: view(this.dependencies.dynamodb),
    };
  }

  async set({ dependency, state, delayMs = 8_000 }: FaultChange): Promise<void> {
    const target = this.dependencies[dependency];
    if (state === 'stopped') {
      target.proxy.setDelay(0);
      await target.emulator.stop();
    } else {
      if (target.state === 'stopped') await target.emulator.start();
      target.proxy.setDelay(state === 'slow' ? delayMs : 0);
    }
    target.state = state;
    target.delayMs = state === 'slow' ? delayMs : 0;
  }
}
