import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { invokeFresh } from './children';
import type { Scenario } from './scenarios';
import { shuffled } from './stats';
import type { Target } from './targets';

export interface Samples {
  /** Import + first event, wall clock. */
  cold: number[];
  /** The same in CPU time of the process. */
  coldCpu: number[];
  init: number[];
  first: number[];
  warm: number[];
  boot: number[];
  statuses: Record<string, number>;
}

/**
 * `runs` rounds; in each, every target once in a fresh process, in a new random order, so
 * that whatever else the machine does hits every target alike and ratios between targets of
 * the same round hold. Each process handles one cold event and `warmPerRun` warm ones.
 * Samples are kept in round order: index i of every target is round i.
 */
export async function measureColdStarts(options: {
  targets: Target[];
  scenarios: Map<string, Scenario>;
  runs: number;
  warmPerRun: number;
  runDir: string;
  onRound: (round: number, seconds: number) => void;
}): Promise<Map<Target, Samples>> {
  const samples = new Map<Target, Samples>(
    options.targets.map((target) => [
      target,
      { cold: [], coldCpu: [], init: [], first: [], warm: [], boot: [], statuses: {} },
    ]),
  );
  const scenarioOf = (target: Target) => {
    const scenario = options.scenarios.get(target.scenario);
    if (!scenario) throw new Error(`No scenario for ${target.name}`);
    return scenario;
  };
  let runIndex = 0;
  for (let round = 1; round <= options.runs; round += 1) {
    const started = performance.now();
    const order = shuffled(options.targets);
    // Everything a round consumes (sign-ups, codes, sessions, log entries) is made before its
    // first process starts, so that no set-up work runs beside a measurement.
    const eventFiles = new Map<Target, string>();
    for (const target of order) {
      const file = path.join(options.runDir, `${runIndex + eventFiles.size}.events.json`);
      writeFileSync(file, JSON.stringify(await scenarioOf(target).events(1 + options.warmPerRun)));
      eventFiles.set(target, file);
    }
    for (const target of order) {
      const result = await invokeFresh({
        bundle: target.bundle.file,
        exportName: target.bundle.exportName,
        env: target.env,
        eventsFile: eventFiles.get(target) as string,
        resultFile: path.join(options.runDir, `${runIndex}.result.json`),
        timeoutMs: 30_000,
      });
      runIndex += 1;
      const expected = scenarioOf(target).expect;
      for (const invocation of result.invocations) {
        const status = Number(invocation.statusCode);
        if (expected === undefined ? !(status < 500) : status !== expected) {
          throw new Error(
            `${target.name} answered ${status} (expected ${expected ?? 'below 500'}): ${invocation.body}`,
          );
        }
      }
      const [first, ...warm] = result.invocations;
      if (!first) throw new Error(`${target.name} handled no event`);
      const record = samples.get(target) as Samples;
      record.boot.push(result.bootMs);
      record.init.push(result.initMs);
      record.first.push(first.durationMs);
      record.cold.push(result.initMs + first.durationMs);
      record.coldCpu.push(result.initCpuMs + first.cpuMs);
      record.warm.push(...warm.map((invocation) => invocation.durationMs));
      for (const invocation of result.invocations) {
        const key = String(invocation.statusCode);
        record.statuses[key] = (record.statuses[key] ?? 0) + 1;
      }
    }
    options.onRound(round, (performance.now() - started) / 1000);
  }
  return samples;
}
