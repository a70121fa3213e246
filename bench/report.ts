import type { AckResult } from './ack.js';
import type { CallbackResult } from './callbacks.js';
import type { DiscordCallsResult } from './discord-calls.js';
import type { GridResult } from './grid.js';
import type { HostileResult } from './hostile.js';
import type { HostileLoadResult } from './hostile-load.js';
import type { LoadResult } from './load.js';
import { PROFILE_PARTS } from './profile.js';
import type { ResubmitWindowResult } from './resubmit-window.js';
import type { MemoryResult } from './memory.js';
import type { DistributedResult } from './distributed.js';
import type { PhaseResult, PollingResult } from './polling.js';

export interface Measurements {
  grid?: GridResult;
  hostile?: HostileResult;
  resubmitWindow?: ResubmitWindowResult;
  ack?: AckResult;
  polling?: PollingResult[];
  callbacks?: CallbackResult[];
  discordCalls?: DiscordCallsResult;
  memory?: MemoryResult;
  distributed?: DistributedResult;
  load?: LoadResult;
  hostileLoad?: HostileLoadResult;
}

/** The bot's figure over the bare client's, both from the same run. */
export function ackRatios(ack: AckResult): { p99: number; cpu: number } {
  return {
    p99: ack.bot.latency_ms.p99 / ack.floor.latency_ms.p99,
    cpu: ack.bot.cpu_ms_per_command / ack.floor.cpu_ms_per_command,
  };
}

/** The profiled bursts' self time per part, bot beside the bare client, in ms per command. */
export function profileTable(ack: AckResult): string {
  const lines = ['| Part | Bot, ms per command | Bare client, ms per command |', '| --- | --- | --- |'];
  const total = (run: AckResult['bot']) =>
    PROFILE_PARTS.reduce((sum, part) => sum + run.profile_ms_per_command[part], 0);
  for (const part of PROFILE_PARTS)
    lines.push(
      `| ${part} | ${ack.bot.profile_ms_per_command[part].toFixed(3)} | ${ack.floor.profile_ms_per_command[part].toFixed(3)} |`,
    );
  lines.push(`| **all** | ${total(ack.bot).toFixed(2)} | ${total(ack.floor).toFixed(2)} |`);
  return lines.join('\n');
}

export interface Row {
  metric: string;
  value: string;
  target: string;
  /** undefined: informational, no target. */
  met?: boolean;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const fixed = (value: number, digits = 2) => value.toFixed(digits);
const percent = (value: number) => `${Math.round(value * 100)} %`;

const PROVIDER_LABELS: Record<string, string> = { apixo: 'APIXO', kie: 'Kie.ai', 'cloudsway-mj': 'Cloudsway MJ' };

function pollingRows(result: PollingResult, phaseName: 'cold' | 'warm', phase: PhaseResult): Row[] {
  const label = `${PROVIDER_LABELS[result.provider] ?? result.provider}, ${phaseName} (${phase.jobs} jobs)`;
  const bot = phase.bot.delivery_ms;
  const recipe = phase.recipe.delivery_ms;
  return [
    {
      metric: `${label}: status requests per job, bot vs recipe`,
      value: `${fixed(phase.bot.status_requests_per_job)} vs ${fixed(phase.recipe.status_requests_per_job)} (${percent(phase.request_ratio)})`,
      target: '≤ 40 % of recipe',
      met: phase.request_ratio <= 0.4,
    },
    {
      metric: `${label}: delivery p50 / p95, bot vs recipe`,
      value: `${seconds(bot.p50)} / ${seconds(bot.p95)} vs ${seconds(recipe.p50)} / ${seconds(recipe.p95)}`,
      target: 'bot p95 ≤ recipe p95',
      met: bot.p95 <= recipe.p95,
    },
  ];
}

/** Bot against the percent-blind oracle (bench/oracle.ts) at the bot's own detect p95. */
function pollOracleRows(result: PollingResult): Row[] {
  const provider = PROVIDER_LABELS[result.provider] ?? result.provider;
  return (['cold', 'warm'] as const).map((phaseName) => {
    const phase = result[phaseName];
    return {
      metric: `${provider}, ${phaseName}: status requests per job, bot vs oracle at the bot's detect p95 (${seconds(phase.oracle.budget_ms)})`,
      value: `${fixed(phase.bot.status_requests_per_job)} vs ${fixed(phase.oracle.status_requests_per_job)} (${fixed(phase.poll_oracle_ratio)}×)`,
      target: '≤ 1.2×',
      met: phase.poll_oracle_ratio <= 1.2,
    };
  });
}

/** The table, one row per figure that has a target, plus the references the targets are read against. */
export function rows(measurements: Measurements, errors: Record<string, string>): Row[] {
  const table: Row[] = [];
  const failed = (name: string, metric: string, target: string) => {
    if (errors[name]) table.push({ metric, value: `error: ${errors[name].slice(0, 80)}`, target, met: false });
  };
  const { ack, polling, callbacks, discordCalls, grid, memory, hostile, resubmitWindow } = measurements;
  if (resubmitWindow) {
    table.push({
      metric: `Resubmit window: provider's answer to a submit → task id committed (SQLite WAL), ${resubmitWindow.jobs} jobs`,
      value: `p50 ${fixed(resubmitWindow.p50_ms)} / p99 ${fixed(resubmitWindow.p99_ms)} / max ${fixed(resubmitWindow.max_ms)} ms`,
      target: '—',
    });
  } else failed('resubmitWindow', 'Resubmit window', '—');
  if (hostile) {
    table.push({
      metric: `Hostile prompts: parse + filter, median / p99 / worst of ${hostile.inputs} inputs`,
      value: `${fixed(hostile.median_ms, 3)} / ${fixed(hostile.p99_ms, 2)} / ${fixed(hostile.worst_ms, 2)} ms (worst: ${hostile.worst_input}, ${hostile.worst_length} characters)`,
      target: 'worst ≤ 5 ms',
      met: hostile.worst_ms <= 5,
    });
  } else failed('hostile', 'Hostile prompts: parse + filter', 'worst ≤ 5 ms');
  if (ack) {
    const ratio = ackRatios(ack);
    table.push({
      metric: `Acknowledgement p50 / p99, ${ack.commands} simultaneous /imagine, bot vs bare discord.js client that only replies`,
      value: `${ms(ack.bot.latency_ms.p50)} / ${ms(ack.bot.latency_ms.p99)} vs ${ms(ack.floor.latency_ms.p50)} / ${ms(ack.floor.latency_ms.p99)}`,
      target: '—',
    });
    table.push({
      metric: 'Acknowledgement p99, bot / bare client',
      value: fixed(ratio.p99),
      target: '≤ 1.2',
      met: ratio.p99 <= 1.2 && ack.bot.failed === 0,
    });
    table.push({
      metric: 'CPU per command until the burst is acknowledged, bot / bare client',
      value: `${fixed(ratio.cpu)} (${fixed(ack.bot.cpu_ms_per_command)} ms vs ${fixed(ack.floor.cpu_ms_per_command)} ms)`,
      target: '≤ 1.5',
      met: ratio.cpu <= 1.5,
    });
  } else failed('ack', 'Acknowledgement p99, bot / bare client', '≤ 1.2');
  if (polling) {
    for (const result of polling)
      table.push(...pollingRows(result, 'cold', result.cold), ...pollingRows(result, 'warm', result.warm));
    for (const result of polling) table.push(...pollOracleRows(result));
  } else failed('polling', 'Polling against the recipes', '≤ 40 %, delivery no worse');
  if (callbacks) {
    const names = callbacks.map((result) => PROVIDER_LABELS[result.provider] ?? result.provider).join(', ');
    const requests = Math.max(...callbacks.map((result) => result.status_requests_per_job));
    const p95 = Math.max(...callbacks.map((result) => result.delivery_ms.p95));
    table.push({
      metric: `With callbacks (${names}): status requests per job`,
      value: fixed(requests),
      target: '≤ 1',
      met: requests <= 1,
    });
    table.push({
      metric: 'With callbacks: delivery p95 (provider done → image in channel)',
      value: ms(p95),
      target: '≤ 500 ms',
      met: p95 <= 500,
    });
  } else failed('callbacks', 'With callbacks', '≤ 1 request, p95 ≤ 500 ms');
  if (discordCalls) {
    table.push({
      metric: `Discord REST calls per job (${discordCalls.jobs} jobs, one channel)`,
      value: fixed(discordCalls.calls_per_job),
      target: '≤ 3',
      met: discordCalls.calls_per_job <= 3,
    });
    table.push({
      metric: 'Discord 429 responses in that run',
      value: String(discordCalls.rate_limited),
      target: '0',
      met: discordCalls.rate_limited === 0,
    });
  } else failed('discordCalls', 'Discord REST calls per job', '≤ 3, no 429');
  if (grid) {
    table.push({
      metric: `Grid: composeGrid / gridFloor, four ${grid.tile_edge}² PNGs (medians of ${grid.pairs})`,
      value: `${fixed(grid.ratio)} (${ms(grid.compose_median_ms)} vs ${ms(grid.floor_median_ms)})`,
      target: '≤ 1.3',
      met: grid.ratio <= 1.3,
    });
  } else failed('grid', 'Grid ratio', '≤ 1.3');
  if (memory) {
    const runs = memory.runs_rss_mb_per_1000_jobs;
    const median =
      runs && runs.length > 1
        ? `, median of ${runs.length} runs: ${runs.map((value) => fixed(value, 1)).join(', ')} MB`
        : '';
    table.push({
      metric: `Resident memory per 1000 jobs in flight (${memory.jobs_in_flight} jobs after ${memory.warm_up_jobs} warm-up jobs${memory.gc ? ', after GC' : ', no GC'}${median})`,
      value: `${fixed(memory.rss_mb_per_1000_jobs, 1)} MB (heap ${fixed(memory.heap_used_mb_per_1000_jobs, 1)} MB)`,
      target: '≤ 10 MB',
      met: memory.rss_mb_per_1000_jobs <= 10,
    });
  } else failed('memory', 'Resident memory per 1000 jobs', '≤ 10 MB');
  const { load, hostileLoad } = measurements;
  if (load) {
    const label = `${load.jobs_in_flight} jobs in flight in one process`;
    table.push({
      metric: `${label}: resident memory per 1000 jobs (after GC)`,
      value: `${fixed(load.rss_mb_per_1000_jobs, 1)} MB (heap ${fixed(load.heap_used_mb_per_1000_jobs, 1)} MB)`,
      target: '≤ 10 MB',
      met: load.rss_mb_per_1000_jobs <= 10,
    });
    table.push({
      metric: `${label}: event-loop delay p50 / p99 / max while polling`,
      value: `${fixed(load.loop_delay_ms.p50_ms, 1)} / ${fixed(load.loop_delay_ms.p99_ms, 1)} / ${fixed(load.loop_delay_ms.max_ms, 1)} ms`,
      target: 'p99 ≤ 20 ms',
      met: load.loop_delay_ms.p99_ms <= 20,
    });
    table.push({
      metric: `${label}: status queries and bot CPU per job per minute`,
      value: `${fixed(load.status_requests_per_job_per_minute)} queries, ${fixed(load.poll_cpu_ms_per_job_per_minute, 3)} ms CPU`,
      target: '—',
    });
    const floor = measurements.ack?.floor.latency_ms.p99;
    table.push({
      metric: `${label}: 200 simultaneous /imagine, ack p99 (loop delay p99), over the bare client's p99`,
      value: `${ms(load.ack_ms.p99)} (${fixed(load.ack_loop_delay_ms.p99_ms, 1)} ms)${floor ? `, ${fixed(load.ack_ms.p99 / floor)}×` : ''}`,
      target: '≤ 1.2×',
      met: floor !== undefined && load.ack_ms.p99 / floor <= 1.2 && load.ack_failed === 0,
    });
  } else failed('load', '10,000 jobs in flight in one process', 'loop delay p99 ≤ 20 ms, ≤ 10 MB per 1000');
  if (hostileLoad) {
    table.push({
      metric: `Hostile input: event-loop delay p99 / max while one member sends the pathological prompts, 10 a second (at rest: p99 ${fixed(hostileLoad.idle_loop_delay_ms.p99_ms, 1)} ms)`,
      value: `${fixed(hostileLoad.loop_delay_ms.p99_ms, 1)} / ${fixed(hostileLoad.loop_delay_ms.max_ms, 1)} ms`,
      target: 'p99 ≤ 20 ms',
      met: hostileLoad.loop_delay_ms.p99_ms <= 20 && hostileLoad.failed === 0,
    });
  } else failed('hostileLoad', 'Hostile input: event-loop delay', 'p99 ≤ 20 ms');
  const { distributed } = measurements;
  if (distributed) {
    for (const run of distributed.runs)
      table.push({
        metric: `Distributed mode, ${run.processes} bot process${run.processes === 1 ? '' : 'es'} (${run.finished_jobs} of ${run.jobs} jobs): jobs per second, CPU of the bots / PostgreSQL / Redis`,
        value: `${fixed(run.jobs_per_second)} jobs/s; ${seconds(run.bot_cpu_ms)} / ${seconds(run.postgres_cpu_ms)} / ${seconds(run.redis_cpu_ms)} CPU`,
        target: '—',
      });
  } else failed('distributed', 'Distributed mode: jobs per second by one and two processes', '—');
  return table;
}

export function markdownTable(table: readonly Row[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| Metric | Value | Target | Met? |', '| --- | --- | --- | --- |'];
  for (const row of table)
    lines.push(
      `| ${cell(row.metric)} | ${cell(row.value)} | ${cell(row.target)} | ${row.met === undefined ? '—' : row.met ? 'yes' : 'no'} |`,
    );
  return lines.join('\n');
}
