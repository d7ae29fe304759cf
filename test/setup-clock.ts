// Every suite runs on the virtual clock: no test sleeps for real. The module's other facts stay.
jest.mock('../nodes/Wistfare/api/clock', () => ({
	...jest.requireActual('../nodes/Wistfare/api/clock'),
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	clock: require('./virtual-clock').virtualClock,
}));
