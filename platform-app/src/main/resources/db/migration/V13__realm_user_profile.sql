-- Realm users gain an optional profile for the authorization server's ID tokens and
-- userinfo: an email address, a display name and the groups they are in (group names
-- joined by commas; a group name holds no comma). Portable between H2 and PostgreSQL.

alter table auth_realm_user add column email varchar(254);
alter table auth_realm_user add column display_name varchar(200);
alter table auth_realm_user add column group_names varchar(2000);
