import { soak } from './soak';

soak(
	"ties shuffled on every request, pages of 30, the server's clock 5 minutes behind, payouts listed up to 8 minutes late",
	{ shuffleTies: true, maxPerPage: 30, clockSkewMs: -5 * 60_000 },
	8 * 60_000,
);
