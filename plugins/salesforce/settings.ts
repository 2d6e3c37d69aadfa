// The source's settings (sources.<name>.settings in appraise.config.yaml), with their defaults.
// The host validates them against the manifest's settingsSchema; this reads them defensively
// all the same, because a plugin may also be driven by a test or by an older host.
import { DEFAULT_API_VERSION } from './client.ts';

export interface SalesforceSettings {
  instanceUrl: string;
  apiVersion: string;
  /** Deals closing before this day and quotas starting before it are not read (ISO date). */
  startDate?: string;
  quotas: 'auto' | 'off';
  /** Only quotas of this forecast type (a ForecastingType Id), when the org has several. */
  quotaForecastingTypeId?: string;
  /** Records per batch and stream (one keyset window of the SOQL query). */
  pageSize: number;
}

export function readSettings(raw: Readonly<Record<string, unknown>>): SalesforceSettings {
  const instanceUrl = raw.instanceUrl;
  if (typeof instanceUrl !== 'string' || !/^https?:\/\//.test(instanceUrl)) {
    throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: the Salesforce source needs settings.instanceUrl, the org's My Domain URL (https://acme.my.salesforce.com).`);
  }
  const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion.replace(/^v/, '') : DEFAULT_API_VERSION;
  if (!/^\d{2,3}\.0$/.test(apiVersion)) {
    throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: settings.apiVersion "${apiVersion}" is not a Salesforce REST API version such as ${DEFAULT_API_VERSION}.`);
  }
  const startDate = typeof raw.startDate === 'string' && !Number.isNaN(Date.parse(raw.startDate)) ? new Date(raw.startDate).toISOString() : undefined;
  const pageSize = typeof raw.pageSize === 'number' && Number.isInteger(raw.pageSize) && raw.pageSize > 0 ? Math.min(raw.pageSize, 10_000) : 2000;
  return {
    instanceUrl,
    apiVersion,
    startDate,
    quotas: raw.quotas === 'off' ? 'off' : 'auto',
    quotaForecastingTypeId: typeof raw.quotaForecastingTypeId === 'string' && raw.quotaForecastingTypeId ? raw.quotaForecastingTypeId : undefined,
    pageSize,
  };
}
