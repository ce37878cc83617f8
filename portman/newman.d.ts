/** The part of newman's library API the contract runner uses (newman ships no types). */
declare module 'newman' {
  import type { EventEmitter } from 'node:events';

  export interface NewmanVariable {
    key: string;
    value: string;
  }

  export interface NewmanRunOptions {
    collection: object | string;
    envVar?: NewmanVariable[];
    reporters?: string | string[];
    reporter?: Record<string, Record<string, unknown>>;
    timeout?: number;
    timeoutRequest?: number;
    timeoutScript?: number;
    ignoreRedirects?: boolean;
    color?: 'on' | 'off' | 'auto';
  }

  export interface NewmanStat {
    total: number;
    failed: number;
    pending: number;
  }

  export interface NewmanFailure {
    error: { name: string; message: string; test?: string };
    at: string;
    source?: { name: string };
  }

  export interface NewmanRunSummary {
    run: {
      stats: Record<
        'items' | 'requests' | 'assertions' | 'testScripts' | 'prerequestScripts',
        NewmanStat
      >;
      failures: NewmanFailure[];
      error?: Error;
    };
  }

  export function run(
    options: NewmanRunOptions,
    callback: (error: Error | null, summary: NewmanRunSummary) => void,
  ): EventEmitter;
}
