// n8n-core logs every node error through its own logger; tests read errors from the run instead.
// A test file that inspects logs sets N8N_LOG_LEVEL itself before loading n8n-core.
process.env.N8N_LOG_LEVEL = 'silent';
