// Every suite runs on the virtual clock: no test sleeps for real.
jest.mock('../nodes/Wistfare/transport/clock', () => ({
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	clock: require('./virtual-clock').virtualClock,
}));
