-- Refresh tokens already exchanged for new ones (their SHA-256, never the token): a second
-- use of one revokes the whole grant it belonged to (OAuth 2.1 refresh token rotation with
-- reuse detection). Rows go once the token would have expired anyway.

create table identity_used_refresh_token (
    token_hash        varchar(64) not null primary key,
    authorization_id  varchar(100) not null,
    expires_at        timestamp with time zone not null
);
