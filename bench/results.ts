import type { SdkClient } from './bundles';
import type { ExportFigures } from './export';
import type { LoadFigures, VerifyFigures } from './gateway';
import type { Goal } from './goals';
import type { LogBytes } from './log-bytes';
import type { Summary } from './stats';
import type { ThrottleFigures } from './throttle';

/** The shape of bench/results.json. Times in milliseconds, sizes in bytes. */
export interface BenchResults {
  generatedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemoryGiB: number;
    node: string;
    platform: string;
    arch: string;
    /** 1, 5 and 15 minute load averages when the bench started: other work skews timings. */
    loadAverage: number[];
    /** The same when the measurements ended: the bench's own work is in it (about 1–2). */
    loadAverageAtEnd: number[];
    /** The bench's nice value (negative: it ran ahead of other work on the machine). */
    priority: number;
  };
  settings: {
    runs: number;
    warmPerRun: number;
    gatewayRequests: number;
    loadSeconds: number;
    loadConnections: number;
    throttleSeconds: number;
  };
  /** The row of the sign-in function. */
  signIn: string;
  ratios: {
    /** Sign-in cold start ÷ the bare-fetch floor's (medians). */
    signinColdVsFloor: number;
    /** Largest of (function bundle ÷ minimal SDK bundle for its client). */
    maxBundleVsMinimal: number;
    /** Sign-in cold start ÷ the minimal Cognito SDK handler's. */
    signinColdVsMinimal: number;
    /** Cold start ÷ the floor's (medians) of the baselines, for comparison. */
    minimalColdVsFloor: number;
    defaultMainFieldsColdVsFloor: number;
    sdkExternalColdVsFloor: number;
  };
  gateway: {
    overheadP50Ms: number;
    overheadP99Ms: number;
    /** GET /me requests per second under load. */
    rps: number;
    /** Non-2xx answers, connection errors and timeouts under load, all routes. */
    errors: number;
    viaGateway: Summary;
    direct: Summary;
    httpFloor: Summary;
    sessionCheck: { checked: Summary; unchecked: Summary };
    load: LoadFigures[];
    verify: VerifyFigures;
  };
  /** Each local throttle's admitted rate against its configured one. Goal: within ±10%. */
  throttles: ThrottleFigures[];
  goals: Goal[];
  bundles: BundleResult[];
  /** POST /me/export of a user with many entries, and the function's timeout. */
  export?: ExportFigures & { timeoutMs: number };
  /** Log bytes per invocation of each function (by logical id), which npm run cost prices. */
  logBytes?: Record<string, LogBytes>;
}

export interface BundleResult {
  name: string;
  group: 'function' | 'baseline' | 'variant';
  /** What the row is, for baselines and variants. */
  description: string;
  client?: SdkClient;
  /** What loads at init: the entry module and the chunks it imports statically. */
  bytes: number;
  gzipBytes: number;
  /** Chunks loaded only on first use (the common-password list). */
  onDemandBytes: number;
  mapBytes: number;
  /** `bytes` ÷ the minimal SDK bundle's for the same client. */
  ratioToMinimal?: number;
  composition: Record<string, number>;
  /** Import + first event (what Lambda bills as init plus the first invocation). */
  cold: Summary;
  /** This row's median cold start ÷ the floor's. */
  coldVsFloor: number;
  /** The CPU time the process spent on the same: less moved by other work on the machine. */
  coldCpu: Summary;
  /** Import alone (Lambda's init phase). */
  init: Summary;
  firstInvocation: Summary;
  warm: Summary;
  /** Node's own start before the import (Lambda does it before init; not in `cold`). */
  boot: Summary;
  /** Statuses answered, for the record. */
  statuses: Record<string, number>;
  /** The raw figures, in round order (index i: round i). */
  samples: { cold: number[]; init: number[]; coldCpu: number[] };
}
