import { soak } from './soak';

soak('a thin envelope, pages of 50, the status filter ignored', { thinEnvelope: true, maxPerPage: 50, ignoreFilters: ['status'] }, 0);
