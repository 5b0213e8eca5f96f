#!/usr/bin/env node
// Latency/memory benchmark of one ONNX model with ONNX Runtime (CPU), the
// peer bespoke is compared with. Prints one JSON object on stdout.
//
//   node ort_bench.js --model m.onnx [--threads 1] [--warmup 5] [--runs 30] [--shape 1,3,224,224]
//
// Memory: peak RSS of this process minus its RSS once the package (and its
// native binding) is loaded but no model is: what the model costs on top of
// the runtime, comparable with bespoke's and LibTorch's numbers.
'use strict';
const fs = require('fs');
const { loadOrt, ortVersion } = require('../tests/fixtures/ort_load.js');

function parseArgs(argv) {
  const args = { threads: 1, warmup: 5, runs: 30, shape: [1, 3, 224, 224] };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${key} needs a value`);
    if (key === '--model') args.model = value;
    else if (key === '--threads') args.threads = Number(value);
    else if (key === '--warmup') args.warmup = Number(value);
    else if (key === '--runs') args.runs = Number(value);
    else if (key === '--shape') args.shape = value.split(',').map(Number);
    else throw new Error(`unknown option ${key}`);
  }
  if (!args.model) throw new Error('usage: ort_bench.js --model m.onnx [--threads n] [--warmup n] [--runs n] [--shape a,b,c,d]');
  if (!(args.runs > 0) || !(args.threads > 0)) throw new Error('--runs and --threads must be positive');
  return args;
}

// Deterministic input in [-1, 1) (xorshift32): every engine sees a comparable, non-degenerate input.
function seededInput(count, seed) {
  const data = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; ++i) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    data[i] = (s / 4294967296) * 2 - 1;
  }
  return data;
}

function percentile(sorted, p) {
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

const mb = (bytes) => bytes / (1024 * 1024);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(args.model)) throw new Error(`model not found: ${args.model}`);
  const ort = loadOrt();
  ort.listSupportedBackends();  // make sure the native binding is loaded before the baseline
  const baselineRss = process.memoryUsage().rss;

  const t0 = process.hrtime.bigint();
  const session = await ort.InferenceSession.create(args.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const count = args.shape.reduce((a, b) => a * b, 1);
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', seededInput(count, 12345), args.shape) };
  for (let i = 0; i < args.warmup; ++i) await session.run(feeds);
  const times = [];
  for (let i = 0; i < args.runs; ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const peakRss = process.resourceUsage().maxRSS * 1024;  // KiB -> bytes
  const result = {
    engine: 'onnxruntime',
    version: ortVersion(),
    model: args.model,
    threads: args.threads,
    warmup: args.warmup,
    runs: args.runs,
    median_ms: percentile(sorted, 50),
    p90_ms: percentile(sorted, 90),
    min_ms: sorted[0],
    load_ms: loadMs,
    peak_rss_mb: mb(peakRss),
    baseline_rss_mb: mb(baselineRss),
    model_rss_mb: mb(peakRss - baselineRss),
    times_ms: times,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  console.error(`ort_bench: ${e.message}`);
  process.exit(1);
});
