// Loaded before every test file (`node --test --import`): quiet Lambda logs unless asked for.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// Metrics (EMF lines on stdout) likewise; test/integration/metrics.test.ts turns them on to read them.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_REGION ??= 'us-east-1';
