// A constants module (documenso's stripe constants, umami's column lists).
export const LIVE_SUBSCRIPTION_STATUSES = ['active', 'trialing', 'past_due'];
export const SESSION_COLUMNS = ['browser', 'os', 'device', 'country'];
