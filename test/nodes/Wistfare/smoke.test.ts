import { initiateParameters, runWistfare, useSandbox } from '../../helpers';

const handle = useSandbox();

test('smoke', async () => {
	const result = await runWistfare(handle, { parameters: initiateParameters });
	console.log(JSON.stringify(result.output, null, 1), result.error);
	console.log(JSON.stringify(handle.sandbox.requests, null, 1));
});
