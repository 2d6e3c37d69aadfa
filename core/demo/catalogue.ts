// The fixed vocabulary of the demo organisation: departments, sites, channels, sales segments,
// courses, accounts, survey comments. Plain data, so the demo's flavour can change here without
// touching a distribution.

export interface Site {
  name: string;
  /** Hours from UTC (fixed; the demo ignores daylight saving). */
  utcOffset: number;
  /** Weights over ETHNICITIES: workforces differ by country, which a fairness report must cope with. */
  ethnicity: readonly number[];
}

export const ETHNICITIES = ['Asian', 'Black', 'Hispanic or Latino', 'White', 'Middle Eastern or North African', 'Two or more', 'Prefer not to say'] as const;

export const SITES: Record<string, Site> = {
  lisbon: { name: 'Lisbon, PT', utcOffset: 0, ethnicity: [3, 6, 4, 78, 2, 3, 4] },
  dublin: { name: 'Dublin, IE', utcOffset: 0, ethnicity: [6, 3, 2, 80, 2, 3, 4] },
  krakow: { name: 'Kraków, PL', utcOffset: 1, ethnicity: [2, 1, 1, 88, 1, 2, 5] },
  manila: { name: 'Manila, PH', utcOffset: 8, ethnicity: [88, 0.5, 1, 2, 0.5, 4, 4] },
  austin: { name: 'Austin, US', utcOffset: -6, ethnicity: [8, 9, 33, 42, 1, 4, 3] },
  bogota: { name: 'Bogotá, CO', utcOffset: -5, ethnicity: [1, 8, 75, 8, 0.5, 4, 3.5] },
  london: { name: 'London, UK', utcOffset: 0, ethnicity: [18, 13, 3, 55, 3, 5, 3] },
  newyork: { name: 'New York, US', utcOffset: -5, ethnicity: [14, 20, 24, 36, 1, 3, 2] },
  singapore: { name: 'Singapore, SG', utcOffset: 8, ethnicity: [78, 1, 1, 8, 2, 5, 5] },
};

export type Track = 'support' | 'sales' | 'success' | 'quality' | 'workforce';

export interface Department {
  track: Track;
  name: string;
  /** Share of the organisation (below the executive). */
  share: number;
  /** Short prefix of team names. */
  teamPrefix: string;
  /** Role of the individual contributors (a few departments mix two). */
  roles: readonly string[];
  roleWeights: readonly number[];
  sites: readonly string[];
  siteWeights: readonly number[];
  /** Share of women among its staff (a realistic skew the fairness report should see). */
  female: number;
}

// Customer Support and Sales carry the policies; the smaller departments make the org chart and
// the attribute mix believable, and keep the average near the requested records per employee.
export const DEPARTMENTS: readonly Department[] = [
  { track: 'support', name: 'Customer Support', share: 0.44, teamPrefix: 'Support', roles: ['support-agent'], roleWeights: [1], sites: ['manila', 'lisbon', 'austin', 'bogota', 'krakow', 'dublin'], siteWeights: [25, 22, 15, 15, 13, 10], female: 0.55 },
  { track: 'sales', name: 'Sales', share: 0.24, teamPrefix: 'Sales', roles: ['sales-rep'], roleWeights: [1], sites: ['newyork', 'london', 'austin', 'singapore', 'dublin'], siteWeights: [30, 25, 20, 15, 10], female: 0.38 },
  { track: 'success', name: 'Customer Success', share: 0.13, teamPrefix: 'Customer Success', roles: ['customer-success-manager'], roleWeights: [1], sites: ['dublin', 'austin', 'london', 'singapore'], siteWeights: [30, 30, 25, 15], female: 0.5 },
  { track: 'quality', name: 'Quality & Enablement', share: 0.12, teamPrefix: 'Quality', roles: ['qa-analyst', 'trainer'], roleWeights: [2, 1], sites: ['lisbon', 'manila', 'austin'], siteWeights: [40, 35, 25], female: 0.56 },
  { track: 'workforce', name: 'Workforce Management', share: 0.07, teamPrefix: 'Workforce Planning', roles: ['wfm-analyst'], roleWeights: [1], sites: ['lisbon', 'austin', 'manila'], siteWeights: [40, 35, 25], female: 0.45 },
];

export const SUPPORT_CHANNELS = ['phone', 'chat', 'email'] as const;
export type SupportChannel = (typeof SUPPORT_CHANNELS)[number];
export const SUPPORT_CHANNEL_WEIGHTS = [40, 35, 25];

export interface ChannelTraits {
  /** Contacts an agent of a team on this channel handles, relative to the average. */
  volume: number;
  /** Median seconds to the first response, and its log-scale spread. */
  firstResponse: number;
  firstResponseSpread: number;
  /** Median seconds from first response to resolution when one contact is enough. */
  quickResolution: number;
  /** Share of resolved contacts whose customer answers the survey (in-chat surveys are answered most). */
  surveyResponse: number;
  /** Share of surveys that ask the effort question. */
  asksEffort: number;
  /** Contacts that end before anyone answers (abandoned calls and chats). */
  abandoned: number;
}

export const CHANNEL_TRAITS: Record<SupportChannel, ChannelTraits> = {
  phone: { volume: 1.0, firstResponse: 90, firstResponseSpread: 0.9, quickResolution: 9 * 60, surveyResponse: 0.82, asksEffort: 0.25, abandoned: 0.015 },
  chat: { volume: 1.1, firstResponse: 150, firstResponseSpread: 0.9, quickResolution: 14 * 60, surveyResponse: 0.88, asksEffort: 0.4, abandoned: 0.015 },
  email: { volume: 0.95, firstResponse: 3 * 3600, firstResponseSpread: 0.95, quickResolution: 3 * 3600, surveyResponse: 0.8, asksEffort: 0.6, abandoned: 0.004 },
};

export interface SalesSegment {
  name: string;
  /** Median value of a deal. */
  dealMedian: number;
  /** Closed deals per rep per 90 days at 100 records per employee. */
  closedPer90: number;
  /** Median days from first engagement to close. */
  cycleDays: number;
  products: readonly string[];
}

export const SALES_SEGMENTS: readonly SalesSegment[] = [
  { name: 'SMB', dealMedian: 9000, closedPer90: 22, cycleDays: 24, products: ['Starter plan', 'Team plan', 'Add-on: analytics'] },
  { name: 'Mid-Market', dealMedian: 32000, closedPer90: 17, cycleDays: 50, products: ['Team plan', 'Business plan', 'Add-on: analytics', 'Onboarding package'] },
  { name: 'Enterprise', dealMedian: 115000, closedPer90: 14, cycleDays: 95, products: ['Enterprise plan', 'Premium support', 'Custom integration', 'Onboarding package'] },
];
export const SALES_SEGMENT_WEIGHTS = [45, 35, 20];

export const GENDERS = ['F', 'M', 'X', 'Undisclosed'] as const;

export const COURSES = {
  everyone: ['Data protection essentials', 'Information security basics', 'Inclusive workplace'],
  support: ['Active listening', 'De-escalation techniques', 'Product fundamentals', 'Writing clear replies', 'Knowledge base deep dive', 'Handling complaints'],
  sales: ['Discovery calls', 'Negotiation skills', 'Pipeline management', 'Product demo mastery', 'Objection handling'],
  success: ['Renewal conversations', 'Account health reviews', 'Product fundamentals'],
  lead: ['Coaching conversations', 'Fair performance reviews', 'Unconscious bias awareness', 'Running effective one-to-ones'],
  onboarding: ['Onboarding: tools and systems', 'Onboarding: product basics', 'Onboarding: our customers'],
  /** The course a support coaching case sends an agent to (the policy's `programme`). */
  supportCoaching: 'Customer care refresher',
  salesCoaching: 'Pipeline management',
} as const;

export const ACCOUNT_PREFIXES = ['Blue', 'North', 'Silver', 'Granite', 'Harbor', 'Summit', 'Cedar', 'Bright', 'Iron', 'Maple', 'Nova', 'Orbit', 'Pioneer', 'Quartz', 'Red', 'Sterling', 'Tidal', 'Urban', 'Vertex', 'Willow'] as const;
export const ACCOUNT_SUFFIXES = ['Logistics', 'Health', 'Foods', 'Analytics', 'Retail', 'Energy', 'Labs', 'Finance', 'Media', 'Travel', 'Manufacturing', 'Insurance', 'Education', 'Robotics', 'Apparel'] as const;

// Survey comments by sentiment. A few carry accents, quotes and commas on purpose: exports
// have them, and importers must survive them.
export const COMMENTS = {
  positive: [
    'Quick and friendly, thank you!', 'Solved my problem in one go.', 'Very patient and clear.', 'Great service as always.',
    'The agent went above and beyond.', 'Muito obrigado, resolveu tudo!', 'Super helpful, knew exactly what to do.',
    'Fast answer, no "please hold" music for ages.', 'Très rapide, merci.', 'Explained everything, step by step.',
  ],
  neutral: [
    'Fine, but it took a while.', 'OK. Had to explain my issue twice.', 'Resolved, eventually.', 'Average experience.',
    'Answer was correct but a bit generic.', 'Good, although I waited a long time for the first reply.',
  ],
  negative: [
    'Still not fixed.', 'I had to call three times.', 'Nobody got back to me.', 'Felt like I was talking to a script.',
    'Took days to get an answer, very frustrating.', 'The issue came back the next day.', 'Rude and unhelpful.',
    'Transferred around, then "we will call you back" – they did not.',
  ],
  relationship: [
    'Our CSM knows our business well.', 'Quarterly reviews are really useful.', 'Would like more proactive advice.',
    'Onboarding was smooth.', 'Pricing changes were not communicated well.', 'Responsive and reliable partner.',
  ],
} as const;
