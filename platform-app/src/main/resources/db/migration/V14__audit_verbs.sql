-- One set of verbs in the audit log (added, changed, removed, enabled, disabled, revoked,
-- rotated, imported): entries written before it used create/update/delete and others.
-- An index on the actor for the log's filter. Portable between H2 and PostgreSQL.

update audit_log set action = 'added' where action = 'create';
update audit_log set action = 'changed' where action in ('update', 'reset-password');
update audit_log set action = 'removed' where action = 'delete';
update audit_log set action = 'revoked' where action = 'revoke';
update audit_log set action = 'rotated' where action in ('rotate', 'rotate-secret');
update audit_log set action = 'imported' where action = 'import';

create index audit_log_actor on audit_log (actor);
