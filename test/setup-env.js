// n8n-core logs every node error through its own logger; tests read errors from the run instead.
// A test file that inspects logs sets N8N_LOG_LEVEL itself before loading n8n-core.
process.env.N8N_LOG_LEVEL = 'silent';

// The test that an IPv6 loopback base URL (http://[::1]:1) is allowed sends a request to it, and the
// HTTP helper n8n-core uses parses that URL with Node's legacy parser, which warns (DEP0170) on every
// run. The warning is about n8n's dependency, not about the package: it is kept out of the output so
// that a newcomer does not read it as a failure. Every other warning still shows.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
	const code = typeof rest[0] === 'object' && rest[0] !== null ? rest[0].code : rest[1];
	if (code === 'DEP0170') return;
	return emitWarning.call(process, warning, ...rest);
};
