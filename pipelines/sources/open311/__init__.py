"""Open311 GeoReport v2 service requests (requests.json) over HTTP."""
