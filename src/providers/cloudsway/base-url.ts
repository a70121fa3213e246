/**
 * Both Cloudsway APIs live at `{basePath}/{endpointPath}`: the base path ends in `/v1/ai`
 * (a newer page revision shows `/v2/ai`), the endpoint path is one random segment per endpoint.
 * Without an endpoint path the base URL is taken to include it already.
 */
export function cloudswayBaseUrl(baseUrl: string, endpointPath: string | undefined): string {
  const base = baseUrl.replace(/\/+$/, '');
  const segment = (endpointPath ?? '').replace(/^\/+|\/+$/g, '');
  return segment === '' ? base : `${base}/${segment}`;
}
