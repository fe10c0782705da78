// The one demo account of the Acme Mutual claims demo system.
export const DEMO_USER = 'clerk';
export const DEMO_PASSWORD = 'Winter2004!';
