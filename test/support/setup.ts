// Loaded before every test file (`node --test --import`): quiet Lambda logs unless asked for.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'us-east-1';
