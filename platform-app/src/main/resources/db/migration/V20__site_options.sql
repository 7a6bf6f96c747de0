-- A site's HSTS, HTTPS redirect and response headers (the keys `hsts`, `redirect-https` and
-- `headers` of a site file), as YAML text like plugin_settings. Before this version they were
-- not stored, so a site imported into the store lost them; such a site keeps none until it is
-- saved or imported again.
alter table site add column site_options text default '' not null;
